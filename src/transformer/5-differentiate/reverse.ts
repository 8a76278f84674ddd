// Reverse mode over the structured IR: for each function and set of active parameters, one
// generated function `(params..., dResult) => [value, gradient]` holding a forward sweep (the primal
// statements, plus saving what the adjoint sweep reads and a trace of branches and trip counts)
// and an adjoint sweep (the statements in reverse, each restoring the values it overwrote).
//
// Invariant of the adjoint sweep: when it reaches the adjoint of statement s, every local that
// adjoint code reads holds the value it had right after s ran in the forward sweep. Restores keep
// it; which locals need restoring is the to-be-recorded set (`needed`), found by a first dry pass.
import type { Expr, Func, FnRef, Loc, OStmt, Stmt, VType } from "../ir/ir.js";
import { carriesNumbers, v } from "../ir/ir.js";
import type { Names } from "../ir/names.js";
import { analyseActivity } from "../4-analyse/activity.js";
import { diffReads, allReads } from "../4-analyse/reads.js";
import { add, cond, div, isNum, mul, neg, num } from "./build.js";
import { mathPartials, powPartials } from "./rules.js";
import { diag, type Diag } from "../diagnostics.js";

export interface ReverseHost {
  /** expression naming the generated derivative of `ref` for the given active arguments */
  derivativeOf(ref: FnRef, activeArgs: boolean[], loc: Loc | undefined): Expr;
  error(d: Diag): void;
  runtime(name: string): Expr;
}

export interface ReverseOptions {
  /** false: save every overwritten local and use no counter inversion (the plain transform) */
  optimize: boolean;
}

export interface ReverseResult {
  /** the generated function */
  fn: OStmt & { k: "fn" };
  active: Set<string>;
}

interface Stacks {
  saved?: string;
  objs?: string;
  trace?: string;
}

interface Swept {
  fwd: OStmt[];
  rev: OStmt[];
}

const isSimple = (e: Expr): boolean => e.k === "var" || e.k === "num" || e.k === "free";
const set = (target: Expr, op: "=" | "+=" | "-=", value: Expr, note?: string): OStmt => ({ k: "set", target, op, value, note });
const call = (callee: Expr, ...args: Expr[]): Expr => ({ k: "call", callee, args });
const method = (obj: string, name: string, ...args: Expr[]): Expr => call({ k: "prop", obj: v(obj), name }, ...args);

/** `x = x + c` / `x = x - c` with an integer literal c: undone exactly by the inverse step. */
function counterStep(s: Stmt & { k: "assign" }): Expr | undefined {
  const e = s.e;
  if (e.k !== "bin" || (e.op !== "+" && e.op !== "-")) return undefined;
  const [x, c] = e.a.k === "var" && e.a.name === s.name ? [e.a, e.b] : e.op === "+" && e.b.k === "var" && e.b.name === s.name ? [e.b, e.a] : [];
  if (!x || !c || c.k !== "num" || !Number.isInteger(c.v)) return undefined;
  return { k: "bin", op: e.op === "+" ? "-" : "+", a: x, b: c };
}

function forEachAssign(body: Stmt[], visit: (s: Stmt & { k: "assign" }, nested: boolean) => void, nested = false): void {
  for (const s of body) {
    if (s.k === "assign") visit(s, nested);
    else if (s.k === "if") { forEachAssign(s.then, visit, true); forEachAssign(s.else, visit, true); }
    else if (s.k === "while") forEachAssign(s.body, visit, true);
  }
}

export function differentiate(
  fn: Func,
  generatedName: string,
  activeParams: boolean[],
  names: Names,
  host: ReverseHost,
  options: ReverseOptions = { optimize: true },
): ReverseResult {
  const activeNames = fn.params.filter((p, i) => activeParams[i] && carriesNumbers(p.type)).map((p) => p.name);
  const { active } = analyseActivity(fn, activeNames);

  // Facts about every local's assignments, for saving and restoring.
  const defs = new Map<string, number>();
  const topDefs = new Set<string>();
  const counters = new Set<string>();
  const notCounters = new Set<string>();
  forEachAssign(fn.body, (s, nested) => {
    defs.set(s.name, (defs.get(s.name) ?? 0) + 1);
    if (!nested) topDefs.add(s.name);
    const isInit = s.e.k === "num" && Number.isInteger(s.e.v);
    if (isInit || counterStep(s)) counters.add(s.name);
    else notCounters.add(s.name);
  });
  for (const n of notCounters) counters.delete(n);
  if (!options.optimize) counters.clear();
  for (const p of fn.params) { counters.delete(p.name); defs.set(p.name, (defs.get(p.name) ?? 0) + 1); }
  const definedOnce = (name: string) => defs.get(name) === 1 && topDefs.has(name);

  const adj = new Map<string, string>();
  const adjName = (x: string) => {
    let a = adj.get(x);
    if (!a) { a = names.fresh(`d${x[0].toUpperCase() === x[0] ? "_" + x : x}`); adj.set(x, a); }
    return a;
  };
  const typeOf = (x: string): VType => fn.types.get(x) ?? { k: "unknown" };
  const isNumeric = (x: string) => typeOf(x).k === "num";

  // Pass 1 finds what the adjoint sweep reads; pass 2 generates, saving exactly that.
  let cur = names.clone();
  let dryRun = true;
  const report = (d: Diag) => { if (!dryRun) host.error(d); };
  const dry = generate(new Set());
  const needed = new Set<string>();
  const collect = (stmts: OStmt[]) => {
    for (const s of stmts) {
      switch (s.k) {
        case "let": if (s.init) allReads(s.init, needed); break;
        case "set": allReads(s.target, needed); allReads(s.value, needed); break;
        case "do": allReads(s.e, needed); break;
        case "if": allReads(s.c, needed); collect(s.then); collect(s.else); break;
        case "countdown": collect(s.body); break;
        default: break;
      }
    }
  };
  collect(dry.rev);
  for (const a of adj.values()) needed.delete(a);
  if (!options.optimize) forEachAssign(fn.body, (s) => needed.add(s.name));
  cur = names;
  dryRun = false;
  const out = generate(needed);
  return { fn: out.fn, active };

  function generate(needed: Set<string>): { fn: OStmt & { k: "fn" }; rev: OStmt[] } {
    const local = cur;
    const stacks: Stacks = {};
    const stack = (kind: keyof Stacks) => (stacks[kind] ??= local.fresh(kind === "saved" ? "saved" : kind === "objs" ? "savedObjs" : "trace"));
    const hoisted = new Set<string>();
    const inlineConst = new Set<string>();

    const sweep = (stmts: Stmt[], nested: boolean): Swept => {
      const fwd: OStmt[] = [];
      const rev: OStmt[] = [];
      for (const s of stmts) {
        const one = statement(s, nested);
        fwd.push(...one.fwd);
        rev.unshift(...one.rev);
      }
      return { fwd, rev };
    };

    const statement = (s: Stmt, nested: boolean): Swept => {
      switch (s.k) {
        case "assign": return assign(s, nested);
        case "expr": return { fwd: [{ k: "do", e: s.e }], rev: [] };
        case "throw": return { fwd: [{ k: "throw", e: s.e }], rev: [] };
        case "if": return branch(s, nested);
        case "while": return loop(s, nested);
        default: throw new Error(`unstructured statement ${s.k} reached differentiation`);
      }
    };

    function assign(s: Stmt & { k: "assign" }, nested: boolean): Swept {
      const x = s.name;
      const fwd: OStmt[] = [];
      const rev: OStmt[] = [];
      const note = s.loc ? `${s.loc.file}:${s.loc.line}  ${s.loc.text}` : undefined;
      // saving the old value, so the adjoint sweep can restore it
      const step = counters.has(x) ? counterStep(s) : undefined;
      // a top-level declaration's old value is the temporal dead zone: nothing reads it
      const fresh = definedOnce(x) || (s.decl === true && !nested);
      if (needed.has(x) && !fresh) {
        if (step) rev.push(set(v(x), "=", step));
        else if (!nested) {
          const old = local.fresh(`${x}_old`);
          fwd.push({ k: "let", name: old, init: v(x), konst: true });
          rev.push(set(v(x), "=", v(old)));
        } else {
          const st = isNumeric(x) ? stack("saved") : stack("objs");
          fwd.push({ k: "do", e: method(st, "push", v(x)) });
          rev.push(set(v(x), "=", method(st, "pop")));
        }
      }
      if (definedOnce(x) && !nested) { inlineConst.add(x); fwd.push({ k: "let", name: x, init: s.e, konst: true }); }
      else { hoisted.add(x); fwd.push(set(v(x), "=", s.e)); }

      if (active.has(x) && !isNumeric(x) && !fn.params.some((p) => p.name === x))
        report(diag.structuredLocal(s.loc ?? fn.loc, x === fn.result ? "the result" : x));
      else if (active.has(x)) rev.push(...adjointOfAssign(s, nested || !fresh));
      if (rev.length > 0 && note) rev[0] = { ...rev[0], note };
      return { fwd, rev };
    }

    /** `reread`: the local may be read again after this (a loop, a branch, a later assignment) */
    function adjointOfAssign(s: Stmt & { k: "assign" }, reread: boolean): OStmt[] {
      const x = s.name;
      const dx = v(adjName(x));
      const out: OStmt[] = [];
      const contribs: Contribution[] = [];
      if (s.e.k === "call" && s.e.fn) callAdjoint(s.e, s.e.fn, dx, contribs, out, s.loc);
      else if (s.e.k === "call" || s.e.k === "new") {
          if ([...diffReads(s.e)].some((r) => active.has(r)))
          report(diag.opaqueCall(s.loc ?? fn.loc, s.e.k === "call" ? s.e.opaqueName ?? calleeText(s.e.callee) : "new"));
      } else backprop(s.e, dx, contribs, out);
      const self: Expr[] = [];
      for (const c of contribs) {
        if (c.target.k === "var" && c.target.name === adjName(x) && !c.structural) self.push(c.value);
        else out.push(emitContribution(c));
      }
      if (self.length > 0) out.push(set(dx, "=", self.reduce(add)));
      // a local defined once, outside loops and branches, is never read again by the adjoint sweep
      else if (isNumeric(x) && reread) out.push(set(dx, "=", num(0)));
      return out;
    }

    function branch(s: Stmt & { k: "if" }, nested: boolean): Swept {
      const a = sweep(s.then, true);
      const b = sweep(s.else, true);
      if (a.rev.length === 0 && b.rev.length === 0) return { fwd: [{ k: "if", c: s.c, then: a.fwd, else: b.fwd }], rev: [] };
      if (!nested) {
        const taken = local.numbered("branch");
        return {
          fwd: [{ k: "let", name: taken, init: s.c, konst: true }, { k: "if", c: v(taken), then: a.fwd, else: b.fwd }],
          rev: [{ k: "if", c: v(taken), then: a.rev, else: b.rev }],
        };
      }
      const trace = stack("trace");
      return {
        fwd: [{ k: "if", c: s.c, then: [...a.fwd, { k: "do", e: method(trace, "push", num(1)) }], else: [...b.fwd, { k: "do", e: method(trace, "push", num(0)) }] }],
        rev: [{ k: "if", c: method(trace, "pop"), then: a.rev, else: b.rev }],
      };
    }

    function loop(s: Stmt & { k: "while" }, nested: boolean): Swept {
      const body = sweep(s.body, true);
      if (body.rev.length === 0) return { fwd: [{ k: "while", c: s.c, body: body.fwd }], rev: [] };
      const count = local.numbered("loop");
      const note = s.loc ? `${s.loc.file}:${s.loc.line}  ${s.loc.text}` : undefined;
      const fwd: OStmt[] = [
        { k: "let", name: count, init: num(0) },
        { k: "while", c: s.c, body: [...body.fwd, set(v(count), "+=", num(1))], note },
      ];
      if (!nested) return { fwd, rev: [{ k: "countdown", name: count, body: body.rev, note }] };
      const trace = stack("trace");
      fwd.push({ k: "do", e: method(trace, "push", v(count)) });
      return { fwd, rev: [{ k: "countdown", name: count, from: method(trace, "pop"), body: body.rev, note }] };
    }

    // ---- the body of the generated function ----
    const body = sweep(fn.body, false);
    const resultAdj = adjName(fn.result);
    const numericAdjoints = [...active].filter((x) => x !== fn.result && isNumeric(x)).map(adjName);
    const structuredParams = fn.params.filter((p) => active.has(p.name) && !isNumeric(p.name));
    const grads: Expr[] = fn.params.map((p, i) => {
      if (!activeParams[i] || !carriesNumbers(p.type)) return { k: "lit", text: "undefined" };
      if (active.has(p.name)) return v(adjName(p.name));
      return isNumeric(p.name) ? num(0) : call(host.runtime("zeroLike"), v(p.name));
    });
    const stmts: OStmt[] = [];
    const runtimeNew = (cls: string): Expr => ({ k: "new", callee: host.runtime(cls), args: [] });
    if (stacks.saved) stmts.push({ k: "let", name: stacks.saved, init: runtimeNew("F64Stack"), konst: true });
    if (stacks.objs) stmts.push({ k: "let", name: stacks.objs, init: runtimeNew("ObjStack"), konst: true });
    if (stacks.trace) stmts.push({ k: "let", name: stacks.trace, init: runtimeNew("I32Stack"), konst: true });
    const lets = [...hoisted].filter((n) => !inlineConst.has(n) && !fn.params.some((p) => p.name === n));
    const fwd: OStmt[] = [...stmts, ...lets.map((name): OStmt => ({ k: "let", name })), ...body.fwd];
    if (fwd.length > 0) fwd[0] = { ...fwd[0], note: `forward sweep — ${fn.loc.file}:${fn.lines[0]}-${fn.lines[1]}` };
    const revPart: OStmt[] = [
      ...structuredParams.map((p): OStmt => ({ k: "let", name: adjName(p.name), init: call(host.runtime("zeroLike"), v(p.name)), konst: true })),
      ...numericAdjoints.map((name): OStmt => ({ k: "let", name, init: num(0) })),
      ...body.rev,
    ];
    if (revPart.length > 0) revPart[0] = { ...revPart[0], note: "adjoint sweep" };
    const gradient: Expr = fn.params.length === 1 ? grads[0] : { k: "array", elems: grads };
    const all: OStmt[] = [...fwd, ...revPart, { k: "return", e: { k: "array", elems: [v(fn.result), gradient] } }];
    return {
      fn: { k: "fn", name: generatedName, params: [...fn.params.map((p) => p.name), resultAdj], body: all },
      rev: body.rev,
    };
  }

  // ---- expressions: push the adjoint `g` of e down to the locals it reads ----

  interface Contribution {
    target: Expr;
    value: Expr;
    /** the target holds an array/record adjoint: accumulate element-wise */
    structural: boolean;
  }

  function hasActive(e: Expr): boolean {
    for (const r of diffReads(e)) if (active.has(r)) return true;
    return false;
  }

  function adjointPath(e: Expr): Expr | undefined {
    if (e.k === "var") return active.has(e.name) ? v(adjName(e.name)) : undefined;
    if (e.k === "index") { const o = adjointPath(e.obj); return o && { k: "index", obj: o, index: e.index }; }
    if (e.k === "prop") { const o = adjointPath(e.obj); return o && { k: "prop", obj: o, name: e.name }; }
    return undefined;
  }

  function emitContribution(c: Contribution): OStmt {
    if (c.structural) return { k: "do", e: call(host.runtime("addInto"), c.target, c.value) };
    if (c.value.k === "un" && c.value.op === "-") return set(c.target, "-=", c.value.a);
    return set(c.target, "+=", c.value);
  }

  function bind(g: Expr, out: OStmt[]): Expr {
    if (isSimple(g)) return g;
    const name = cur.numbered("adj");
    out.push({ k: "let", name, init: g, konst: true });
    return v(name);
  }

  function backprop(e: Expr, g: Expr, acc: Contribution[], out: OStmt[]): void {
    switch (e.k) {
      case "var": case "index": case "prop": {
        if (e.k === "prop" && e.name === "length") return;
        const target = adjointPath(e);
        if (!target) return;
        const t = pathType(e);
        const structural = t !== undefined && t.k !== "num" && t.k !== "unknown";
        acc.push({ target, value: g, structural });
        return;
      }
      case "bin": {
        const ha = hasActive(e.a), hb = hasActive(e.b);
        if (!ha && !hb) return;
        if (ha && hb && (e.op === "*" || e.op === "/" || e.op === "**" || e.op === "%" || e.op === "+" || e.op === "-")) g = bind(g, out);
        switch (e.op) {
          case "+": if (ha) backprop(e.a, g, acc, out); if (hb) backprop(e.b, g, acc, out); return;
          case "-": if (ha) backprop(e.a, g, acc, out); if (hb) backprop(e.b, neg(g), acc, out); return;
          case "*": if (ha) backprop(e.a, mul(g, e.b), acc, out); if (hb) backprop(e.b, mul(g, e.a), acc, out); return;
          case "/":
            if (ha) backprop(e.a, div(g, e.b), acc, out);
            if (hb) backprop(e.b, neg(div(mul(g, e.a), mul(e.b, e.b))), acc, out);
            return;
          case "%":
            if (ha) backprop(e.a, g, acc, out);
            if (hb) backprop(e.b, neg(mul(g, { k: "math", fn: "trunc", args: [div(e.a, e.b)] })), acc, out);
            return;
          case "**": {
            const [pa, pb] = powPartials(e.a, e.b);
            if (ha && pa) backprop(e.a, mul(g, pa), acc, out);
            if (hb && pb) backprop(e.b, mul(g, pb), acc, out);
            return;
          }
          default: return; // comparisons, bitwise: no derivative
        }
      }
      case "un":
        if (e.op === "-") backprop(e.a, neg(g), acc, out);
        else if (e.op === "+") backprop(e.a, g, acc, out);
        return;
      case "math": {
        const partials = mathPartials(e.fn, e.args);
        const activeArgs = e.args.filter(hasActive).length;
        if (activeArgs > 1) g = bind(g, out);
        e.args.forEach((a, i) => {
          const p = partials[i];
          if (p && hasActive(a)) backprop(a, mul(g, p), acc, out);
        });
        return;
      }
      case "cond":
        if (hasActive(e.a) && hasActive(e.b)) g = bind(g, out);
        if (hasActive(e.a)) backprop(e.a, cond(e.c, g, num(0)), acc, out);
        if (hasActive(e.b)) backprop(e.b, cond(e.c, num(0), g), acc, out);
        return;
      case "array":
        e.elems.forEach((el, i) => { if (hasActive(el)) backprop(el, { k: "index", obj: g, index: num(i) }, acc, out); });
        return;
      default:
        return;
    }
  }

  function pathType(e: Expr): VType | undefined {
    if (e.k === "var") return typeOf(e.name);
    if (e.k === "index") {
      const t = pathType(e.obj);
      if (!t) return undefined;
      if (t.k === "array") return t.elem;
      if (t.k === "typed") return { k: "num" };
      if (t.k === "tuple") return e.index.k === "num" ? t.elems[e.index.v] : undefined;
      return undefined;
    }
    if (e.k === "prop") {
      const t = pathType(e.obj);
      if (t?.k === "record") return t.fields.find((f) => f.name === e.name)?.type;
      return undefined;
    }
    return undefined;
  }

  function callAdjoint(e: Expr & { k: "call" }, ref: FnRef, g: Expr, acc: Contribution[], out: OStmt[], loc: Loc | undefined): void {
    const mask = e.args.map(hasActive);
    if (!mask.some(Boolean)) return;
    const derivative: Expr = dryRun ? { k: "free", path: ref.name } : host.derivativeOf(ref, mask, loc);
    const grads = cur.numbered("grad");
    out.push({ k: "let", name: grads, init: { k: "index", obj: call(derivative, ...e.args, g), index: num(1) }, konst: true });
    e.args.forEach((a, i) => {
      if (!mask[i]) return;
      const gi: Expr = ref.arity === 1 ? v(grads) : { k: "index", obj: v(grads), index: num(i) };
      backprop(a, gi, acc, out);
    });
  }
}

function calleeText(e: Expr): string {
  if (e.k === "free") return e.path;
  if (e.k === "var") return e.name;
  if (e.k === "prop") return `${calleeText(e.obj)}.${e.name}`;
  return "this function";
}
