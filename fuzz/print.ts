// AST → TypeScript source. Every compound sub-expression is parenthesised, so what is printed is
// exactly what the interpreter evaluates (no precedence surprises, `(-x) ** 2` stays legal).
import type { Arg, BExpr, Expr, Fn, Program, Stmt } from "./ast.js";

export interface PrintOptions {
  /** renames functions (a batch prefixes each program's functions with its name) */
  fnName?: (name: string) => string;
  /** `export` the main function */
  exportMain?: boolean;
}

const id = (s: string) => s;

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
    case "neg": return wrap(`-${p(e.a)}`);
    case "bin": return wrap(`${p(e.a)} ${e.op} ${p(e.b)}`);
    case "math": return `Math.${e.fn}(${e.args.map((a) => printExpr(a, o, true)).join(", ")})`;
    case "cond": return wrap(`${printBExpr(e.c, o)} ? ${p(e.a)} : ${p(e.b)}`);
    case "call": return `${fn(e.fn)}(${e.args.map((a) => printArg(a, o)).join(", ")})`;
    case "inc": return wrap(e.prefix ? `${e.op}${e.name}` : `${e.name}${e.op}`);
    case "trip":
      switch (e.form) {
        case "const": return String(e.max);
        case "len": return `${e.arr}.length`;
        case "floor": return `Math.min(${e.max}, Math.floor(Math.abs(${printExpr(e.e!, o, true)})))`;
        case "round": return `Math.min(${e.max}, Math.round(Math.abs(${printExpr(e.e!, o, true)})))`;
      }
  }
}

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
    case "assign": return [`${i}${s.name} ${s.op} ${printExpr(s.e, o, true)};`];
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
  const params = f.params.map((p) => `${p.name}: ${p.type}`).join(", ");
  return [`${exported ? "export " : ""}function ${name}(${params}): number {`, ...printStmts(f.body, o, "  "), "}"].join("\n");
}

/** The functions of a program, callees first, `main` last. */
export function printProgram(p: Program, o: PrintOptions = {}): string {
  return [...p.helpers.map((h) => printFn(h, o)), printFn(p.main, o, !!o.exportMain)].join("\n\n");
}
