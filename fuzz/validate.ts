// Is a (shrunk or hand-written) program one the generator could have written: every name
// declared before use, assignments only to parameters and `let` locals, jumps with a target,
// trip counts and recursion depths bounded, every function ending in `return`? Returns the first
// problem, or undefined. The shrinker drops candidates that fail this.
import { chain, ctorParams, findMember, isCls, isRec, isTyped, numFields, sameType, type Arg, type BExpr, type Cls, type Expr, type Fn, type Param, type Program, type Rule, type Stmt, type Type, type VExpr } from "./ast.js";
import { ambiguousLess } from "./generate.js";
import { isV } from "./print.js";

/** "tdz": declared later in the same block, so a use here would throw (temporal dead zone);
 * "array" and "value": not a number (with its type); "fn": a local function */
type Kind = "param" | "local" | "const" | "counter" | "array" | "tdz" | "value" | "fn";
interface Binding { kind: Kind; type?: Type; params?: Param[] }

export function validate(p: Program): string | undefined {
  const fns = new Map<string, Fn>();
  const all = [...p.helpers, p.main];
  const rules = new Map((p.rules ?? []).map((r) => [r.name, r]));
  const classes = new Map((p.classes ?? []).map((c) => [c.name, c]));
  for (const f of all) {
    if (fns.has(f.name) || rules.has(f.name)) return `duplicate function ${f.name}`;
    fns.set(f.name, f);
  }
  if (p.main.params.length === 0) return "main has no parameters";
  for (const r of rules.values()) {
    const problem = ruleProblem(r);
    if (problem) return `${r.name}: ${problem}`;
  }
  for (const c of classes.values()) {
    const problem = classProblem(c, classes);
    if (problem) return `${c.name}: ${problem}`;
  }
  // helpers may only call helpers declared before them (and themselves, when recursive)
  const order = new Map(all.map((f, i) => [f.name, i]));
  for (const f of all) {
    const problem = fnProblem(f, fns, order, rules, classes);
    if (problem) return `${f.name}: ${problem}`;
  }
  return undefined;
}

/** the names an expression reads (rules and methods see only their own parameters) */
function reads(e: Expr, out: Set<string> = new Set()): Set<string> {
  const walk = (x: unknown): void => {
    if (!x || typeof x !== "object") return;
    if (Array.isArray(x)) { x.forEach(walk); return; }
    const o = x as Record<string, unknown>;
    if (o.k === "var" && typeof o.name === "string") out.add(o.name);
    if (o.k === "call" || o.k === "mcall" || o.k === "idx" || o.k === "len" || o.k === "inc" || o.k === "reduce" || o.k === "trip" && o.form !== "const" && o.form !== undefined && o.arr) out.add(`<${String(o.k)}>`);
    Object.values(o).forEach(walk);
  };
  walk(e);
  return out;
}

function ruleProblem(r: Rule): string | undefined {
  const names = new Set(r.params.map((p) => p.name));
  if (r.sum) { if (r.params[0]?.type !== "number[]") return "sum rule without an array"; names.delete(r.params[0].name); names.add(r.sum.w); }
  if (r.params.slice(r.sum ? 1 : 0).some((p) => p.type !== "number")) return "rule parameter type";
  if (r.partials.length !== r.params.length) return "one partial per parameter";
  for (const e of [r.value, ...r.partials]) for (const n of reads(e)) if (!names.has(n)) return `rule reads ${n}`;
  return undefined;
}

function classProblem(c: Cls, classes: Map<string, Cls>): string | undefined {
  const derived = c.derived ?? [];
  const all = chain(classes, c);
  if (c.base && all.length < 2) return `base ${c.base} missing`;
  if (all.slice(1).some((x) => x.name === c.name)) return "extends itself";
  const base = all[1];
  const params = ctorParams(c);
  if (params.length === 0) return "no constructor parameter";
  const numParams = params.filter((x) => !x.arr).map((x) => x.name);
  if (base) {
    const want = ctorParams(base);
    const got = c.superArgs ?? [];
    if (got.length !== want.length) return "super() arity";
    for (let i = 0; i < want.length; i++) {
      const a = got[i]!;
      if (want[i]!.arr) { if (a.k !== "arr" || !params.some((x) => x.arr && x.name === a.name)) return "super() array argument"; }
      else if (a.k === "arr") return "super() number argument";
      else for (const n of reads(a)) if (!numParams.includes(n)) return `super() reads ${n}`;
    }
  } else if (c.superArgs) return "super() without a base";
  // what `this.…` reads: fields (inherited ones too) and number getters; in methods, also `this.m(…)`
  const inherited = base ? numFields(classes, base) : [];
  for (const x of c.inits ?? []) for (const n of reads(x.e)) if (!inherited.map((f) => `this.${f}`).includes(n)) return `field initialiser reads ${n}`;
  for (const x of derived) for (const n of reads(x.e)) if (!numParams.includes(n)) return `constructor reads ${n}`;
  const fields = new Set(numFields(classes, c).map((n) => `this.${n}`));
  for (const x of all) for (const g of x.getters ?? []) if (!g.arr) fields.add(`this.${g.name}`);
  const body = (e: Expr, ps: string[]): string | undefined => {
    for (const n of reads(stripCalls(e))) if (!fields.has(n) && !ps.includes(n)) return `reads ${n}`;
    for (const x of calls(e)) {
      const m = x.obj === "this" ? findMember(classes, c, x.method)?.method : undefined;
      if (!m || m.params.length !== x.args.length) return `calls ${x.obj}.${x.method}`;
      for (const a of x.args) { const pr = body(a, ps); if (pr) return pr; }
    }
    return undefined;
  };
  for (const m of c.methods) { const pr = body(m.body, m.params); if (pr) return `method ${m.name} ${pr}`; }
  for (const g of c.getters ?? []) {
    if (g.arr) { if (!all.some((x) => x.arrs?.includes(g.arr!))) return `getter ${g.name} of a missing array`; continue; }
    if (!g.body) return `getter ${g.name} without a body`;
    const pr = body(g.body, []);
    if (pr) return `getter ${g.name} ${pr}`;
  }
  const names = [...c.methods.map((m) => m.name), ...(c.getters ?? []).map((g) => g.name), ...numFields(classes, c), ...(c.arrs ?? [])];
  if (new Set(names).size !== names.length) return "duplicate member";
  return undefined;
}

/** the method calls in `e`, outermost ones only */
function calls(e: Expr): (Expr & { k: "mcall" })[] {
  const out: (Expr & { k: "mcall" })[] = [];
  const walk = (x: unknown): void => {
    if (!x || typeof x !== "object") return;
    if (Array.isArray(x)) { x.forEach(walk); return; }
    if ((x as Expr).k === "mcall") { out.push(x as Expr & { k: "mcall" }); return; }
    Object.values(x).forEach(walk);
  };
  walk(e);
  return out;
}
/** `e` with each method call replaced by 0 */
function stripCalls(e: Expr): Expr {
  return JSON.parse(JSON.stringify(e), (_k, v) => (v && typeof v === "object" && v.k === "mcall" ? { k: "num", v: 0 } : v)) as Expr;
}

/** a value of type `t` may be passed or bound where `want` is declared (a subclass instance for its base) */
export function assignable(classes: Map<string, Cls>, t: Type, want: Type): boolean {
  if (sameType(t, want)) return true;
  if (!isCls(t) || !isCls(want)) return false;
  const c = classes.get(t.cls);
  return !!c && chain(classes, c).some((x) => x.name === want.cls);
}

function fnProblem(f: Fn, fns: Map<string, Fn>, order: Map<string, number>, rules: Map<string, Rule>, classes: Map<string, Cls>): string | undefined {
  const scopes: Map<string, Binding>[] = [new Map()];
  for (const prm of f.params) {
    if (scopes[0]!.has(prm.name)) return `duplicate parameter ${prm.name}`;
    if (prm.def !== undefined && (prm.type !== "number" || prm !== f.params[f.params.length - 1] || !Number.isFinite(prm.def))) return `default of ${prm.name}`;
    scopes[0]!.set(prm.name, prm.type === "number" ? { kind: prm.name === f.depth ? "counter" : "param" } : { kind: "value", type: prm.type });
  }
  const binding = (n: string): Binding | undefined => {
    for (let i = scopes.length - 1; i >= 0; i--) { const k = scopes[i]!.get(n); if (k) return k; }
    return undefined;
  };
  /** the type of a name or path, "number" for a number binding; undefined if unbound */
  const typeOf = (path: string): Type | undefined => {
    const [head, ...fields] = path.split(".");
    const b = binding(head!);
    if (!b || b.kind === "tdz" || b.kind === "fn") return undefined;
    let t: Type = b.kind === "value" || b.kind === "array" ? b.type ?? "number[]" : "number";
    for (const fl of fields) {
      if (isRec(t)) { const x: { name: string; type: Type } | undefined = t.fields.find((y) => y.name === fl); if (!x) return undefined; t = x.type; }
      else if (isCls(t)) {
        const c = classes.get(t.cls);
        if (!c) return undefined;
        const m = findMember(classes, c, fl);
        if (numFields(classes, c).includes(fl) || (m?.getter && !m.getter.arr)) t = "number";
        else if (chain(classes, c).some((x) => x.arrs?.includes(fl)) || m?.getter?.arr) t = "number[]";
        else return undefined;
      }
      else return undefined;
    }
    return t;
  };
  /** `o.norm` where norm is a getter of o's class */
  const isGetter = (path: string): boolean => {
    const dot = path.lastIndexOf(".");
    const t = dot > 0 ? typeOf(path.slice(0, dot)) : undefined;
    const c = t && isCls(t) ? classes.get(t.cls) : undefined;
    return !!c && !!findMember(classes, c, path.slice(dot + 1))?.getter;
  };
  const kindOf = (n: string): Kind | undefined => (n.includes(".") ? (typeOf(n) === "number" ? "local" : undefined) : binding(n)?.kind);
  const isArray = (path: string) => { const t = typeOf(path); return t === "number[]" || isTyped(t); };
  type Ctl = { kind: "loop" | "switch"; label?: string };
  const ctl: Ctl[] = [];
  let inCallback = false;
  let retNum = !f.ret;
  let problem: string | undefined;
  const bad = (m: string) => { problem ??= m; };

  const isLit = (e: Expr) => e.k === "num";
  function expr(e: Expr, inTrip = false): void {
    switch (e.k) {
      case "num": if (!Number.isFinite(e.v)) bad("non-finite literal"); return;
      case "var": if (typeOf(e.name) !== "number") bad(`unbound number ${e.name}`); return;
      case "len": if (!isArray(e.arr)) bad(`unbound array ${e.arr}`); return;
      case "idx": if (!isArray(e.arr)) bad(`unbound array ${e.arr}`); expr(e.index); return;
      // TypeScript rejects `??` after an operand that is never nullish (a literal, arithmetic)
      case "nullish": if (e.a.k !== "idx") bad("`??` after something other than an element read"); expr(e.a); expr(e.b); return;
      case "mcall": {
        const t = typeOf(e.obj);
        const c = t && isCls(t) ? classes.get(t.cls) : undefined;
        const m = c ? findMember(classes, c, e.method)?.method : undefined;
        if (!m || m.params.length !== e.args.length) bad(`no method ${e.obj}.${e.method}`);
        e.args.forEach((a) => expr(a));
        return;
      }
      case "reduce":
        if (typeOf(e.arr) !== "number[]") bad(`reduce over ${e.arr}`);
        expr(e.init);
        callback([e.acc, e.v], e.i, () => expr(e.body));
        return;
      case "neg": expr(e.a); return;
      case "bin": expr(e.a); expr(e.b); return;
      case "math": e.args.forEach((a) => expr(a)); if (e.args.length === 0) bad("Math call without arguments"); return;
      case "cond": bool(e.c); expr(e.a); expr(e.b); return;
      case "inc": { const k = kindOf(e.name); if (e.name.includes(".") || (k !== "local" && k !== "param")) bad(`cannot increment ${e.name}`); return; }
      case "trip":
        if (!(e.max >= 0 && e.max <= 16 && Number.isInteger(e.max))) bad("trip count out of range");
        if ((e.form === "len" || e.form === "prefix") && !isArray(e.arr!)) bad("trip over a missing array");
        if (e.form === "prefix" && !e.e) bad("prefix trip without its bound");
        if (e.e) expr(e.e, true);
        return;
      case "call": {
        const local = binding(e.fn);
        const rule = rules.get(e.fn);
        if (local?.kind === "fn" || rule) {
          const ps = local?.kind === "fn" ? local.params! : rule!.params;
          if (ps.length !== e.args.length) { bad(`arity of ${e.fn}`); return; }
          ps.forEach((prm, i) => arg(e.fn, prm, e.args[i]!));
          return;
        }
        const g = fns.get(e.fn);
        if (!g) { bad(`no function ${e.fn}`); return; }
        if (g.ret) bad(`${g.name} returns a record, not a number`);
        if (order.get(g.name)! > order.get(f.name)! || (g === f && !f.depth)) bad(`${f.name} calls ${g.name}, declared after it`);
        const required = g.params.filter((prm) => prm.def === undefined).length;
        if (e.args.length < required || e.args.length > g.params.length) { bad(`arity of ${g.name}`); return; }
        g.params.slice(0, e.args.length).forEach((prm, i) => {
          const a = e.args[i]!;
          if (prm.type !== "number") { arg(g.name, prm, a); return; }
          if (a.k === "arr") { bad(`array passed as number to ${g.name}`); return; }
          if (prm.name === g.depth) {
            const ok = g === f
              ? a.k === "bin" && a.op === "-" && a.a.k === "var" && a.a.name === f.depth && a.b.k === "num" && a.b.v === 1
              : a.k === "trip";
            if (!ok) bad(`depth argument of ${g.name} must be ${g === f ? "n - 1" : "a trip count"}`);
          }
          expr(a as Expr);
        });
        return;
      }
    }
    void inTrip;
  }
  function arg(fn: string, prm: Param, a: Arg): void {
    if (prm.type === "number") { if (a.k === "arr") bad(`array passed as number to ${fn}`); else expr(a); return; }
    if (a.k !== "arr") { bad(`number passed for ${prm.name} of ${fn}`); return; }
    const t = typeOf(a.name);
    if (!t || !assignable(classes, t, prm.type)) bad(`argument ${a.name} of ${fn} has the wrong type`);
  }
  /** a callback's parameters are bound in its own scope; no jumps or returns leave it */
  function callback(names: string[], i: string | undefined, body: () => void): void {
    const saved = ctl.splice(0);
    const savedIn = inCallback;
    inCallback = true;
    scopes.push(new Map([...names.map((n): [string, Binding] => [n, { kind: "const" }]), ...(i ? [[i, { kind: "counter" }] as [string, Binding]] : [])]));
    body();
    scopes.pop();
    ctl.push(...saved);
    inCallback = savedIn;
  }
  function value(e: VExpr): Type | undefined {
    switch (e.k) {
      case "ref": return typeOf(e.name);
      case "obj": return { fields: e.fields.map((fl) => ({ name: fl.name, type: isV(fl.e) ? value(fl.e) ?? "number" : (expr(fl.e), "number" as const) })) };
      case "empty": return "number[]";
      case "zeros": expr(e.n); return "number[]";
      case "f64": expr(e.n); return e.f32 ? "Float32Array" : "Float64Array";
      case "slice": if (typeOf(e.arr) !== "number[]") bad(`slice of ${e.arr}`); return "number[]";
      case "f64from": if (typeOf(e.arr) !== "number[]") bad(`Float64Array of ${e.arr}`); return e.f32 ? "Float32Array" : "Float64Array";
      case "map": if (typeOf(e.arr) !== "number[]") bad(`map over ${e.arr}`); callback([e.v], e.i, () => expr(e.body)); return "number[]";
      case "callv": {
        const g = fns.get(e.fn);
        if (!g || !g.ret) { bad(`no record helper ${e.fn}`); return undefined; }
        if (order.get(g.name)! >= order.get(f.name)!) bad(`${f.name} calls ${g.name}, declared after it`);
        const required = g.params.filter((prm) => prm.def === undefined).length;
        if (e.args.length < required || e.args.length > g.params.length) { bad(`arity of ${g.name}`); return undefined; }
        g.params.slice(0, e.args.length).forEach((prm, i) => arg(g.name, prm, e.args[i]!));
        return g.ret;
      }
      case "new": {
        const c = classes.get(e.cls);
        if (!c || ctorParams(c).length !== e.args.length) { bad(`no class ${e.cls}`); return undefined; }
        ctorParams(c).forEach((x, i) => arg(`new ${c.name}`, { name: x.name, type: x.arr ? "number[]" : "number" }, e.args[i]!));
        return { cls: c.name };
      }
    }
  }
  function bool(b: BExpr): void {
    switch (b.k) {
      case "bool": return;
      case "not": bool(b.a); return;
      case "and": case "or": bool(b.a); bool(b.b); return;
      case "cmp":
        // TS2367: comparing two literals with === is a type error
        if ((b.op === "===" || b.op === "!==") && isLit(b.a) && isLit(b.b)) bad("=== between literals");
        if (b.op === "<" && ambiguousLess(b.b)) bad("`< (` reads as type arguments");
        expr(b.a); expr(b.b);
        return;
    }
  }
  function declare(name: string, k: Kind): void {
    scopes[scopes.length - 1]!.set(name, { kind: k });
  }
  function block(list: Stmt[], pre?: (s: Map<string, Binding>) => void): void {
    // no dead code after a jump: the generator writes none, and a shrinker that made some would
    // drift to a different bug (unreachable statements are a class of their own)
    const jump = list.findIndex((s) => s.k === "return" || s.k === "retv" || s.k === "break" || s.k === "continue");
    if (jump >= 0 && jump < list.length - 1) bad("statement after a jump");
    scopes.push(new Map());
    const top = scopes[scopes.length - 1]!;
    pre?.(top);
    // a block's `let`s exist from its start: before their declaration they are in the TDZ
    for (const s of list) {
      const name = s.k === "let" || s.k === "letv" || s.k === "fn" ? s.name : s.k === "while" || s.k === "do" ? s.v : undefined;
      if (name === undefined) continue;
      if (top.has(name)) bad(`${name} declared twice in one block`);
      if (scopes.length === 2 && scopes[0]!.has(name)) bad(`${name} redeclares a parameter`);
      top.set(name, { kind: "tdz" });
    }
    list.forEach(stmt);
    scopes.pop();
  }
  function bound(e: Expr): void {
    if (e.k !== "trip") bad("loop bound is not a trip count");
    expr(e);
  }
  function stmt(s: Stmt): void {
    switch (s.k) {
      case "let": expr(s.init); declare(s.name, s.konst ? "const" : "local"); return;
      case "letv": {
        const t = value(s.init);
        if (!t || !assignable(classes, t, s.type)) bad(`${s.name}: initialiser of another type`);
        if (t && !sameType(t, s.type) && !s.annot) bad(`${s.name}: a base class type needs its annotation`);
        scopes[scopes.length - 1]!.set(s.name, { kind: "value", type: s.type });
        return;
      }
      case "fn": {
        const saved = ctl.splice(0);
        const savedIn = inCallback;
        const savedRet = retNum;
        inCallback = false;
        retNum = true;
        scopes.push(new Map(s.params.map((prm): [string, Binding] => [prm.name, { kind: "param" }])));
        block(s.body);
        scopes.pop();
        const last = s.body[s.body.length - 1];
        if (!last || last.k !== "return") bad(`${s.name} does not end with return`);
        ctl.push(...saved);
        inCallback = savedIn;
        retNum = savedRet;
        scopes[scopes.length - 1]!.set(s.name, { kind: "fn", params: s.params });
        return;
      }
      case "forEach":
        if (typeOf(s.arr) !== "number[]") bad(`forEach over ${s.arr}`);
        callback([s.v], s.i, () => block(s.body));
        return;
      case "setidx": if (!isArray(s.arr)) bad(`no array ${s.arr}`); expr(s.index); expr(s.e); return;
      case "push": if (typeOf(s.arr) !== "number[]") bad(`no array ${s.arr}`); expr(s.e); return;
      case "assign": case "inc": {
        const k = kindOf(s.name);
        if (k !== "local" && k !== "param") bad(`cannot assign ${s.name}`);
        if (isGetter(s.name)) bad(`cannot assign the getter ${s.name}`);
        if (s.k === "inc" && s.name.includes(".")) bad(`cannot increment ${s.name}`);
        if (s.k === "assign") expr(s.e);
        return;
      }
      case "return": if (inCallback || !retNum) bad("return here"); expr(s.e); return;
      case "retv": if (inCallback || !f.ret || !sameType(value(s.e) ?? "number", f.ret)) bad("record return here"); return;
      case "if": bool(s.c); block(s.then); if (s.else) block(s.else); return;
      case "for":
        bound(s.bound);
        ctl.push({ kind: "loop", label: s.label });
        // the counter lives in the loop head's scope, around the body's
        scopes.push(new Map([[s.v, { kind: "counter" as Kind }]]));
        block(s.body);
        scopes.pop();
        ctl.pop();
        return;
      case "forOf":
        if (typeOf(s.arr) !== "number[]") bad(`for…of over ${s.arr}`);
        ctl.push({ kind: "loop", label: s.label });
        scopes.push(new Map([[s.v, { kind: "const" as Kind }]]));
        block(s.body);
        scopes.pop();
        ctl.pop();
        return;
      case "while": case "do":
        declare(s.v, "counter");
        bound(s.bound);
        if (s.extra) bool(s.extra);
        // the body starts with `v++`: a `let v` in it would put that in the TDZ
        if (s.body.some((b) => b.k === "let" && b.name === s.v)) bad(`${s.v} shadowed in its own loop body`);
        ctl.push({ kind: "loop", label: s.label });
        block(s.body);
        ctl.pop();
        return;
      case "switch":
        expr(s.disc);
        if (s.disc.k === "num") bad("switch over a literal");
        if (new Set(s.cases.map((c) => c.test)).size !== s.cases.length) bad("duplicate case");
        ctl.push({ kind: "switch", label: s.label });
        s.cases.forEach((c) => block(c.body));
        ctl.pop();
        return;
      case "break":
        if (s.label ? !ctl.some((c) => c.label === s.label) : ctl.length === 0) bad("break without target");
        return;
      case "continue":
        if (s.label ? !ctl.some((c) => c.kind === "loop" && c.label === s.label) : !ctl.some((c) => c.kind === "loop")) bad("continue without target");
        return;
    }
  }
  // a label may be used only once on the way down
  const labels = new Set<string>();
  const walkLabels = (list: Stmt[]): void => {
    for (const s of list) {
      if ("label" in s && s.label && (s.k === "for" || s.k === "forOf" || s.k === "while" || s.k === "do" || s.k === "switch")) {
        if (labels.has(s.label)) bad(`label ${s.label} twice`);
        labels.add(s.label);
      }
      if (s.k === "if") { walkLabels(s.then); if (s.else) walkLabels(s.else); }
      if (s.k === "for" || s.k === "forOf" || s.k === "while" || s.k === "do") walkLabels(s.body);
      if (s.k === "switch") s.cases.forEach((c) => walkLabels(c.body));
      if (s.k === "forEach" || s.k === "fn") walkLabels(s.body);
    }
  };
  walkLabels(f.body);

  block(f.body);
  const last = f.body[f.body.length - 1];
  if (!last || last.k !== (f.ret ? "retv" : "return")) bad("does not end with return");
  if (f.depth) {
    const first = f.body[0];
    const guard = first && first.k === "if" && first.c.k === "not" && first.c.a.k === "cmp" && first.c.a.op === ">=" &&
      first.c.a.a.k === "var" && first.c.a.a.name === f.depth && first.c.a.b.k === "num" && first.c.a.b.v === 1 &&
      first.then.length === 1 && first.then[0]!.k === "return" && !first.else;
    if (!guard) bad("recursion lost its depth guard");
  }
  return problem;
}

export const argIsArr = (a: Arg): boolean => a.k === "arr";
