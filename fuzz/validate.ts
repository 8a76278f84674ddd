// Is a (shrunk or hand-written) program one the generator could have written: every name
// declared before use, assignments only to parameters and `let` locals, jumps with a target,
// trip counts and recursion depths bounded, every function ending in `return`? Returns the first
// problem, or undefined. The shrinker drops candidates that fail this.
import type { Arg, BExpr, Expr, Fn, Program, Stmt } from "./ast.js";
import { ambiguousLess } from "./generate.js";

/** "tdz": declared later in the same block, so a use here would throw (temporal dead zone) */
type Kind = "param" | "local" | "const" | "counter" | "array" | "tdz";

export function validate(p: Program): string | undefined {
  const fns = new Map<string, Fn>();
  const all = [...p.helpers, p.main];
  for (const f of all) {
    if (fns.has(f.name)) return `duplicate function ${f.name}`;
    fns.set(f.name, f);
  }
  if (p.main.params.length === 0) return "main has no parameters";
  // helpers may only call helpers declared before them (and themselves, when recursive)
  const order = new Map(all.map((f, i) => [f.name, i]));
  for (const f of all) {
    const problem = fnProblem(f, fns, order);
    if (problem) return `${f.name}: ${problem}`;
  }
  return undefined;
}

function fnProblem(f: Fn, fns: Map<string, Fn>, order: Map<string, number>): string | undefined {
  const scopes: Map<string, Kind>[] = [new Map()];
  for (const prm of f.params) {
    if (scopes[0]!.has(prm.name)) return `duplicate parameter ${prm.name}`;
    scopes[0]!.set(prm.name, prm.type === "number[]" ? "array" : prm.name === f.depth ? "counter" : "param");
  }
  const kindOf = (n: string): Kind | undefined => {
    for (let i = scopes.length - 1; i >= 0; i--) { const k = scopes[i]!.get(n); if (k) return k; }
    return undefined;
  };
  type Ctl = { kind: "loop" | "switch"; label?: string };
  const ctl: Ctl[] = [];
  let problem: string | undefined;
  const bad = (m: string) => { problem ??= m; };

  const isLit = (e: Expr) => e.k === "num";
  function expr(e: Expr, inTrip = false): void {
    switch (e.k) {
      case "num": if (!Number.isFinite(e.v)) bad("non-finite literal"); return;
      case "var": { const k = kindOf(e.name); if (!k || k === "array" || k === "tdz") bad(`unbound number ${e.name}`); return; }
      case "len": if (kindOf(e.arr) !== "array") bad(`unbound array ${e.arr}`); return;
      case "idx": if (kindOf(e.arr) !== "array") bad(`unbound array ${e.arr}`); expr(e.index); return;
      case "neg": expr(e.a); return;
      case "bin": expr(e.a); expr(e.b); return;
      case "math": e.args.forEach((a) => expr(a)); if (e.args.length === 0) bad("Math call without arguments"); return;
      case "cond": bool(e.c); expr(e.a); expr(e.b); return;
      case "inc": { const k = kindOf(e.name); if (k !== "local" && k !== "param") bad(`cannot increment ${e.name}`); return; }
      case "trip":
        if (!(e.max >= 0 && e.max <= 16 && Number.isInteger(e.max))) bad("trip count out of range");
        if (e.form === "len" && kindOf(e.arr!) !== "array") bad("trip over a missing array");
        if (e.e) expr(e.e, true);
        return;
      case "call": {
        const g = fns.get(e.fn);
        if (!g) { bad(`no function ${e.fn}`); return; }
        if (order.get(g.name)! > order.get(f.name)! || (g === f && !f.depth)) bad(`${f.name} calls ${g.name}, declared after it`);
        if (g.params.length !== e.args.length) { bad(`arity of ${g.name}`); return; }
        g.params.forEach((prm, i) => {
          const a = e.args[i]!;
          if (prm.type === "number[]") { if (a.k !== "arr" || kindOf(a.name) !== "array") bad(`array argument of ${g.name}`); return; }
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
    scopes[scopes.length - 1]!.set(name, k);
  }
  function block(list: Stmt[], pre?: (s: Map<string, Kind>) => void): void {
    // no dead code after a jump: the generator writes none, and a shrinker that made some would
    // drift to a different bug (unreachable statements are a class of their own)
    const jump = list.findIndex((s) => s.k === "return" || s.k === "break" || s.k === "continue");
    if (jump >= 0 && jump < list.length - 1) bad("statement after a jump");
    scopes.push(new Map());
    const top = scopes[scopes.length - 1]!;
    pre?.(top);
    // a block's `let`s exist from its start: before their declaration they are in the TDZ
    for (const s of list) {
      const name = s.k === "let" ? s.name : s.k === "while" || s.k === "do" ? s.v : undefined;
      if (name === undefined) continue;
      if (top.has(name)) bad(`${name} declared twice in one block`);
      if (scopes.length === 2 && scopes[0]!.has(name)) bad(`${name} redeclares a parameter`);
      top.set(name, "tdz");
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
      case "assign": case "inc": {
        const k = kindOf(s.name);
        if (k !== "local" && k !== "param") bad(`cannot assign ${s.name}`);
        if (s.k === "assign") expr(s.e);
        return;
      }
      case "return": expr(s.e); return;
      case "if": bool(s.c); block(s.then); if (s.else) block(s.else); return;
      case "for":
        bound(s.bound);
        ctl.push({ kind: "loop", label: s.label });
        // the counter lives in the loop head's scope, around the body's
        scopes.push(new Map([[s.v, "counter" as Kind]]));
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
      if ("label" in s && s.label && (s.k === "for" || s.k === "while" || s.k === "do" || s.k === "switch")) {
        if (labels.has(s.label)) bad(`label ${s.label} twice`);
        labels.add(s.label);
      }
      if (s.k === "if") { walkLabels(s.then); if (s.else) walkLabels(s.else); }
      if (s.k === "for" || s.k === "while" || s.k === "do") walkLabels(s.body);
      if (s.k === "switch") s.cases.forEach((c) => walkLabels(c.body));
    }
  };
  walkLabels(f.body);

  block(f.body);
  const last = f.body[f.body.length - 1];
  if (!last || last.k !== "return") bad("does not end with return");
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
