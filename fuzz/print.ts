// AST → TypeScript source. Every compound sub-expression is parenthesised, so what is printed is
// exactly what the interpreter evaluates (no precedence surprises, `(-x) ** 2` stays legal).
import { ctorParams, findMember, isCls, printType, type Type, type Arg, type BExpr, type Cls, type Expr, type Fn, type Program, type Rule, type Stmt, type VExpr } from "./ast.js";

export interface PrintOptions {
  /** renames functions (a batch prefixes each program's functions with its name) */
  fnName?: (name: string) => string;
  /** `export` the main function */
  exportMain?: boolean;
}

const id = (s: string) => s;

/** a type, with class names renamed like functions */
const typeText = (t: Type, o: PrintOptions): string => (isCls(t) ? (o.fnName ?? id)(t.cls) : printType(t));

function numText(v: number): string {
  if (Object.is(v, -0)) return "(-0)";
  return v < 0 ? `(${String(v)})` : String(v);
}

export function printExpr(e: Expr, o: PrintOptions = {}, top = false): string {
  const fn = o.fnName ?? id;
  const p = (x: Expr) => printExpr(x, o, false);
  const wrap = (s: string) => (top ? s : `(${s})`);
  switch (e.k) {
    case "num": return top && !Object.is(e.v, -0) ? String(e.v) : numText(e.v);
    case "var": return e.name;
    case "len": return `${e.arr}.length`;
    case "idx": return `${e.arr}[${printExpr(e.index, o, true)}]`;
    // always parenthesised: `??` does not mix with `||`/`&&` unparenthesised
    case "nullish": return `(${p(e.a)} ?? ${p(e.b)})`;
    case "neg": return wrap(`-${p(e.a)}`);
    case "bin": return wrap(`${p(e.a)} ${e.op} ${p(e.b)}`);
    case "math": return `Math.${e.fn}(${e.args.map((a) => printExpr(a, o, true)).join(", ")})`;
    case "cond": return wrap(`${printBExpr(e.c, o)} ? ${p(e.a)} : ${p(e.b)}`);
    case "call": return `${fn(e.fn)}(${e.args.map((a) => printArg(a, o)).join(", ")})`;
    case "mcall": return `${e.obj}.${e.method}(${e.args.map((a) => printExpr(a, o, true)).join(", ")})`;
    case "reduce": return `${e.arr}.reduce((${[e.acc, e.v, ...(e.i ? [e.i] : [])].join(", ")}) => ${printExpr(e.body, o, true)}, ${printExpr(e.init, o, true)})`;
    case "inc": return wrap(e.prefix ? `${e.op}${e.name}` : `${e.name}${e.op}`);
    case "trip":
      switch (e.form) {
        case "const": return String(e.max);
        case "len": return `${e.arr}.length`;
        case "floor": return `Math.min(${e.max}, Math.floor(Math.abs(${printExpr(e.e!, o, true)})))`;
        case "round": return `Math.min(${e.max}, Math.round(Math.abs(${printExpr(e.e!, o, true)})))`;
        case "prefix": return `Math.min(${printExpr(e.e!, o, true)}, ${e.arr}.length)`;
      }
  }
}

const cbParams = (v: string, i?: string) => (i ? `(${v}, ${i})` : `(${v})`);

export function printV(e: VExpr, o: PrintOptions = {}): string {
  const fn = o.fnName ?? id;
  switch (e.k) {
    case "ref": return e.name;
    case "obj": return `{ ${e.fields.map((f) => `${f.name}: ${"k" in f.e && isV(f.e) ? printV(f.e, o) : printExpr(f.e as Expr, o, true)}`).join(", ")} }`;
    case "empty": return "[]";
    case "zeros": return `new Array<number>(${printExpr(e.n, o, true)}).fill(0)`;
    case "slice": return `${e.arr}.slice()`;
    case "f64": return `new ${e.f32 ? "Float32Array" : "Float64Array"}(${printExpr(e.n, o, true)})`;
    case "f64from": return `new ${e.f32 ? "Float32Array" : "Float64Array"}(${e.arr})`;
    case "map": return `${e.arr}.map(${cbParams(e.v, e.i)} => ${printExpr(e.body, o, true)})`;
    case "callv": return `${fn(e.fn)}(${e.args.map((a) => printArg(a, o)).join(", ")})`;
    case "new": return `new ${fn(e.cls)}(${e.args.map((a) => printArg(a, o)).join(", ")})`;
  }
}

const V_KINDS = new Set(["ref", "obj", "empty", "zeros", "slice", "f64", "f64from", "map", "callv", "new"]);
/** a record field's initialiser is a value (nested record), not a number */
export const isV = (e: Expr | VExpr): e is VExpr => V_KINDS.has(e.k);

function printArg(a: Arg, o: PrintOptions): string {
  return a.k === "arr" ? a.name : printExpr(a, o, true);
}

export function printBExpr(b: BExpr, o: PrintOptions = {}): string {
  switch (b.k) {
    case "cmp": return `(${printExpr(b.a, o)} ${b.op} ${printExpr(b.b, o)})`;
    case "and": return `(${printBExpr(b.a, o)} && ${printBExpr(b.b, o)})`;
    case "or": return `(${printBExpr(b.a, o)} || ${printBExpr(b.b, o)})`;
    case "not": return `!${printBExpr(b.a, o)}`;
    case "bool": return String(b.v);
  }
}

/** a condition in `if (…)`: drop one pair of parentheses */
function cond(b: BExpr, o: PrintOptions): string {
  const s = printBExpr(b, o);
  return s.startsWith("(") && s.endsWith(")") && b.k !== "not" ? s.slice(1, -1) : s;
}

export function printStmts(list: Stmt[], o: PrintOptions, indent: string): string[] {
  return list.flatMap((s) => printStmt(s, o, indent));
}

function block(list: Stmt[], o: PrintOptions, indent: string, first: string[] = []): string[] {
  return [...first, ...printStmts(list, o, indent + "  ")];
}

function loopTest(v: string, bound: Expr, extra: BExpr | undefined, o: PrintOptions): string {
  const t = `${v} < ${printExpr(bound, o)}`;
  return extra ? `${t} && ${printBExpr(extra, o)}` : t;
}

export function printStmt(s: Stmt, o: PrintOptions, indent: string): string[] {
  const i = indent;
  const lab = (l?: string) => (l ? `${l}: ` : "");
  switch (s.k) {
    case "let": return [`${i}${s.konst ? "const" : "let"} ${s.name}${s.konst ? ": number" : ""} = ${printExpr(s.init, o, true)};`];
    case "letv": return [`${i}${s.konst ? "const" : "let"} ${s.name}${s.annot ? `: ${typeText(s.type, o)}` : ""} = ${printV(s.init, o)};`];
    case "assign": return [`${i}${s.name} ${s.op} ${printExpr(s.e, o, true)};`];
    case "setidx": return [`${i}${s.arr}[${printExpr(s.index, o, true)}] ${s.op} ${printExpr(s.e, o, true)};`];
    case "push": return [`${i}${s.arr}.push(${printExpr(s.e, o, true)});`];
    case "retv": return [`${i}return ${printV(s.e, o)};`];
    case "forEach": return [`${i}${s.arr}.forEach(${cbParams(s.v, s.i)} => {`, ...block(s.body, o, i), `${i}});`];
    case "fn": {
      const name = (o.fnName ?? id)(s.name);
      const params = s.params.map((p) => `${p.name}: ${typeText(p.type, o)}`).join(", ");
      const only = s.body[0];
      if (s.arrow && s.body.length === 1 && only!.k === "return") return [`${i}const ${name} = (${params}): number => ${printExpr(only.e, o, true)};`];
      if (s.arrow) return [`${i}const ${name} = (${params}): number => {`, ...block(s.body, o, i), `${i}};`];
      return [`${i}function ${name}(${params}): number {`, ...block(s.body, o, i), `${i}}`];
    }
    case "inc": return [`${i}${s.prefix ? s.op + s.name : s.name + s.op};`];
    case "return": return [`${i}return ${printExpr(s.e, o, true)};`];
    case "break": return [`${i}break${s.label ? " " + s.label : ""};`];
    case "continue": return [`${i}continue${s.label ? " " + s.label : ""};`];
    case "if": {
      const out = [`${i}if (${cond(s.c, o)}) {`, ...block(s.then, o, i)];
      if (s.else) {
        // `else if` chains print flat
        if (s.else.length === 1 && s.else[0]!.k === "if") {
          const [head, ...rest] = printStmt(s.else[0]!, o, i);
          out.push(`${i}} else ${head!.trimStart()}`, ...rest);
          return out;
        }
        out.push(`${i}} else {`, ...block(s.else, o, i));
      }
      out.push(`${i}}`);
      return out;
    }
    case "for": {
      const head = s.down
        ? `for (let ${s.v} = ${printExpr(s.bound, o)} - 1; ${s.v} >= 0; ${s.v}--)`
        : `for (let ${s.v} = 0; ${s.v} < ${printExpr(s.bound, o)}; ${s.v}++)`;
      return [`${i}${lab(s.label)}${head} {`, ...block(s.body, o, i), `${i}}`];
    }
    case "forOf": return [`${i}${lab(s.label)}for (const ${s.v} of ${s.arr}) {`, ...block(s.body, o, i), `${i}}`];
    case "while":
      return [
        `${i}let ${s.v} = 0;`,
        `${i}${lab(s.label)}while (${loopTest(s.v, s.bound, s.extra, o)}) {`,
        ...block(s.body, o, i, [`${i}  ${s.v}++;`]),
        `${i}}`,
      ];
    case "do":
      return [
        `${i}let ${s.v} = 0;`,
        `${i}${lab(s.label)}do {`,
        ...block(s.body, o, i, [`${i}  ${s.v}++;`]),
        `${i}} while (${loopTest(s.v, s.bound, s.extra, o)});`,
      ];
    case "switch": {
      const out = [`${i}${lab(s.label)}switch (${printExpr(s.disc, o, true)}) {`];
      for (const c of s.cases) {
        out.push(`${i}  ${c.test === null ? "default" : `case ${c.test}`}: {`, ...printStmts(c.body, o, i + "    "), `${i}  }`);
      }
      out.push(`${i}}`);
      return out;
    }
  }
}

export function printFn(f: Fn, o: PrintOptions = {}, exported = false): string {
  const name = (o.fnName ?? id)(f.name);
  const params = f.params.map((p) => `${p.name}: ${typeText(p.type, o)}${p.def !== undefined ? ` = ${p.def}` : ""}`).join(", ");
  return [`${exported ? "export " : ""}function ${name}(${params}): ${f.ret ? printType(f.ret) : "number"} {`, ...printStmts(f.body, o, "  "), "}"].join("\n");
}

export function printRule(r: Rule, o: PrintOptions = {}): string {
  const name = (o.fnName ?? id)(r.name);
  const params = r.params.map((p) => `${p.name}: ${printType(p.type)}`).join(", ");
  const ex = (e: Expr) => printExpr(e, o);
  if (!r.sum) {
    const pb = r.partials.map((d) => `dy * ${ex(d)}`).join(", ");
    return `const ${name} = withGradient((${params}) => [${printExpr(r.value, o, true)}, (dy: number) => [${pb}]]);`;
  }
  const arr = r.params[0]!.name;
  const w = r.sum.w;
  const pb = [`${arr}.map((${w}) => dy * ${ex(r.partials[0]!)})`, ...r.partials.slice(1).map((d) => `dy * ${arr}.reduce((acc, ${w}) => acc + ${ex(d)}, 0)`)];
  return [
    `const ${name} = withGradient((${params}) => {`,
    `  let s = 0;`,
    `  for (const ${w} of ${arr}) s += ${printExpr(r.value, o, true)};`,
    `  return [s, (dy: number) => [${pb.join(", ")}]];`,
    `});`,
  ].join("\n");
}

export function printClass(c: Cls, o: PrintOptions = {}, all: Cls[] = []): string {
  const fn = o.fnName ?? id;
  const base = c.base ? all.find((x) => x.name === c.base) : undefined;
  // a member that a base class declares too is an override (noImplicitOverride)
  const ov = (name: string) => (base && findMember(all, base, name) ? "override " : "");
  const params = ctorParams(c).map((x) => `${x.prop ? "public " : ""}${x.name}: ${x.arr ? "number[]" : "number"}`).join(", ");
  const body = [
    ...(c.base ? [` super(${(c.superArgs ?? []).map((a) => printArg(a, o)).join(", ")});`] : []),
    ...(c.derived ?? []).map((f) => ` this.${f.name} = ${printExpr(f.e, o, true)};`),
  ];
  return [
    `class ${fn(c.name)}${c.base ? ` extends ${fn(c.base)}` : ""} {`,
    ...c.extra.map((f) => `  ${f.name} = ${printExpr({ k: "num", v: f.v }, o, true)};`),
    ...(c.inits ?? []).map((f) => `  ${f.name} = ${printExpr(f.e, o, true)};`),
    ...(c.derived ?? []).map((f) => `  ${f.name}: number;`),
    `  constructor(${params}) {${body.join("")}${body.length ? " " : ""}}`,
    ...c.methods.flatMap((m) => [
      `  ${ov(m.name)}${m.name}(${m.params.map((n) => `${n}: number`).join(", ")}): number {`,
      `    return ${printExpr(m.body, o, true)};`,
      `  }`,
    ]),
    ...(c.getters ?? []).flatMap((g) => [
      `  ${ov(g.name)}get ${g.name}(): ${g.arr ? "number[]" : "number"} {`,
      `    return ${g.arr ? `this.${g.arr}` : printExpr(g.body!, o, true)};`,
      `  }`,
    ]),
    `}`,
  ].join("\n");
}

/** Rules and classes, then the functions of a program, callees first, `main` last. */
export function printProgram(p: Program, o: PrintOptions = {}): string {
  return [
    ...(p.rules ?? []).map((r) => printRule(r, o)),
    ...(p.classes ?? []).map((c) => printClass(c, o, p.classes)),
    ...p.helpers.map((h) => printFn(h, o)),
    printFn(p.main, o, !!o.exportMain),
  ].join("\n\n");
}
