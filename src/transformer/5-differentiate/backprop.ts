// Backprop of expressions: pushes the adjoint `g` of a value-producing expression down to the
// locals, elements and fields it reads, as contributions (`dx += g * y`) and the statements they
// need first (bound temporaries, a callee's derivative call, a rule's pullback). The sweeps decide
// where the resulting code goes; this file only knows the derivative of each kind of expression.
import type { Expr, FnRef, Loc, OStmt } from "../ir/ir.js";
import { carriesNumbers, v } from "../ir/ir.js";
import { allReads, diffReads, someDiffRead } from "../4-analyse/reads.js";
import { diag } from "../diagnostics.js";
import { add, call, cond, div, mul, neg, not, num, set, UNDEFINED } from "./build.js";
import { mathPartials, powPartials } from "./rules.js";
import type { ReverseScope } from "./scope.js";
import { adjointPath, pathType, structured } from "./shadows.js";

export interface Contribution {
  target: Expr;
  value: Expr;
  /** the target holds an array/record adjoint: accumulate element-wise */
  structural: boolean;
}

const isSimple = (e: Expr): boolean => e.k === "var" || e.k === "num" || e.k === "free";

/** Adjoint of a value-producing expression seeded by `g` (for arrays/records: g is its shadow). */
export function definitionAdjoint(cx: ReverseScope, e: Expr, g: Expr, rule: Expr | undefined, loc: Loc | undefined, aliased: boolean): OStmt[] {
  const { contribs, pre } = adjointOf(cx, e, g, rule, loc, aliased);
  return [...pre, ...mergeContributions(contribs).map((c) => emitContribution(cx, c))];
}

/** What the adjoint `g` of a value-producing expression adds to the locals it reads. */
export function adjointOf(cx: ReverseScope, e: Expr, g: Expr, rule: Expr | undefined, loc: Loc | undefined, aliased: boolean): { contribs: Contribution[]; pre: OStmt[] } {
  const contribs: Contribution[] = [];
  const pre: OStmt[] = [];
  if (rule) ruleAdjoint(cx, e as Expr & { k: "call" }, rule, g, contribs, pre);
  else if ((e.k === "call" || e.k === "new") && e.fn) callAdjoint(cx, e, e.fn, g, contribs, pre, loc);
  else if (e.k === "call" || e.k === "new") opaque(cx, e, loc);
  else backprop(cx, e, g, contribs, pre, aliased);
  return { contribs, pre };
}

function opaque(cx: ReverseScope, e: Expr, loc: Loc | undefined): void {
  if ([...diffReads(e)].some((r) => cx.active.has(r)))
    cx.report(diag.opaqueCall(loc ?? cx.fn.loc, e.k === "call" ? e.opaqueName ?? calleeText(e.callee) : "new"));
}

function hasActive(cx: ReverseScope, e: Expr): boolean {
  return someDiffRead(e, cx.active);
}

export function emitContribution(cx: ReverseScope, c: Contribution): OStmt {
  const add = c.structural ? set(c.target, "=", call(cx.host.runtime("addInto"), c.target, c.value))
    : c.value.k === "un" && c.value.op === "-" ? set(c.target, "-=", c.value.a)
    : set(c.target, "+=", c.value);
  // `xs[0]` (or `xs[1 - 1]`) or `xs[xs.length - 1]` of an empty array read undefined: its adjoint
  // must not grow the gradient array (the loops' `xs[i]` are in range by their own tests, and stay
  // unguarded)
  const t = c.target;
  if (t.k === "index" && allReads(t.index).size === 0) return { k: "if", c: { k: "bin", op: "<", a: t.index, b: { k: "prop", obj: t.obj, name: "length" } }, then: [add], else: [] };
  if (t.k === "index" && t.index.k === "bin" && t.index.op === "-" && t.index.a.k === "prop" && t.index.a.name === "length") return { k: "if", c: { k: "bin", op: ">=", a: t.index, b: num(0) }, then: [add], else: [] };
  return add;
}

function bind(cx: ReverseScope, g: Expr, out: OStmt[]): Expr {
  if (isSimple(g)) return g;
  const name = cx.cur.numbered("adj");
  out.push({ k: "let", name, init: g, konst: true });
  return v(name);
}

/**
 * `aliased`: e's arrays and records share their shadows with the value being defined, so their
 * adjoints are already in place; otherwise (a result, a callee's gradient) they are added in.
 */
function backprop(cx: ReverseScope, e: Expr, g: Expr, acc: Contribution[], out: OStmt[], aliased = false): void {
  switch (e.k) {
    case "var": case "index": case "prop": {
      if (e.k === "prop" && e.name === "length") return;
      const target = adjointPath(cx, e);
      if (!target) return;
      const t = pathType(cx, e);
      // a string or boolean field (`s.kind` copied into a literal) has no gradient to add into
      if (t !== undefined && !carriesNumbers(t)) return;
      const isStructured = structured(t);
      if (isStructured && aliased) return;
      acc.push({ target, value: g, structural: isStructured });
      return;
    }
    case "bin": {
      const ha = hasActive(cx, e.a), hb = hasActive(cx, e.b);
      if (!ha && !hb) return;
      if (ha && hb && ["*", "/", "**", "%", "+", "-"].includes(e.op)) g = bind(cx, g, out);
      switch (e.op) {
        case "+": if (ha) backprop(cx, e.a, g, acc, out); if (hb) backprop(cx, e.b, g, acc, out); return;
        case "-": if (ha) backprop(cx, e.a, g, acc, out); if (hb) backprop(cx, e.b, neg(g), acc, out); return;
        case "*": if (ha) backprop(cx, e.a, mul(g, e.b), acc, out); if (hb) backprop(cx, e.b, mul(g, e.a), acc, out); return;
        case "/":
          if (ha) backprop(cx, e.a, div(g, e.b), acc, out);
          if (hb) backprop(cx, e.b, neg(div(mul(g, e.a), mul(e.b, e.b))), acc, out);
          return;
        case "%":
          if (ha) backprop(cx, e.a, g, acc, out);
          if (hb) backprop(cx, e.b, neg(mul(g, { k: "math", fn: "trunc", args: [div(e.a, e.b)] })), acc, out);
          return;
        case "**": {
          const [pa, pb] = powPartials(e.a, e.b);
          if (ha && pa) backprop(cx, e.a, mul(g, pa), acc, out);
          if (hb && pb) backprop(cx, e.b, mul(g, pb), acc, out);
          return;
        }
        default: return; // comparisons, bitwise: no derivative
      }
    }
    case "un":
      if (e.op === "-") backprop(cx, e.a, neg(g), acc, out);
      else if (e.op === "+") backprop(cx, e.a, g, acc, out);
      return;
    case "math": {
      const partials = mathPartials(e.fn, e.args, cx.resultOf?.node === e ? cx.resultOf.value : undefined);
      if (e.args.filter((a) => hasActive(cx, a)).length > 1) g = bind(cx, g, out);
      e.args.forEach((a, i) => {
        const p = partials[i];
        if (p && hasActive(cx, a)) backprop(cx, a, mul(g, p), acc, out);
      });
      return;
    }
    case "cond": {
      if (hasActive(cx, e.a) && hasActive(cx, e.b)) g = bind(cx, g, out);
      // locals get `c ? g : 0`; elements and fields only on their own branch, since the branch
      // not taken may name one that does not exist (`b[1] === undefined ? 2 : b[1]`)
      // (inside nested conditionals, an element is written only when every enclosing one chose it)
      // A branch's element/field adjoints share one `if`; the second branch's become its `else`
      // when nothing came between them and no enclosing conditional adds to the guard.
      const branches: [Expr, boolean][] = [[e.a, true], [e.b, false]];
      let thenIf: (OStmt & { k: "if" }) | undefined;
      for (const [x, taken] of branches) {
        if (!hasActive(cx, x)) continue;
        const sub: Contribution[] = [];
        cx.guards.push(taken ? e.c : not(e.c));
        backprop(cx, x, g, sub, out, aliased);
        const all = cx.guards.reduce((p, q): Expr => ({ k: "bin", op: "&&", a: p, b: q }));
        const stores: OStmt[] = [];
        for (const c of sub) {
          if (c.target.k === "var") acc.push({ ...c, value: taken ? cond(e.c, c.value, num(0)) : cond(e.c, num(0), c.value) });
          else stores.push(emitContribution(cx, c));
        }
        if (stores.length > 0 && !taken && thenIf && out[out.length - 1] === thenIf && cx.guards.length === 1) thenIf.else = stores;
        else if (stores.length > 0) {
          const guarded: OStmt & { k: "if" } = { k: "if", c: all, then: stores, else: [] };
          out.push(guarded);
          if (taken) thenIf = guarded;
        }
        cx.guards.pop();
      }
      return;
    }
    case "array":
      if (e.elems.filter((el) => hasActive(cx, el)).length > 0) g = bind(cx, g, out);
      e.elems.forEach((el, i) => { if (hasActive(cx, el)) backprop(cx, el, { k: "index", obj: g, index: num(i) }, acc, out, aliased); });
      return;
    case "object":
      if (e.props.some(([, x]) => hasActive(cx, x))) g = bind(cx, g, out);
      for (const [name, x] of e.props) if (hasActive(cx, x)) backprop(cx, x, { k: "prop", obj: g, name }, acc, out, aliased);
      return;
    default:
      return;
  }
}

function callAdjoint(cx: ReverseScope, e: Expr & { k: "call" | "new" }, ref: FnRef, g: Expr, acc: Contribution[], out: OStmt[], loc: Loc | undefined): void {
  // a method's derivative takes the object it was called on as its first argument
  const receiver = e.k === "call" ? e.receiver : undefined;
  // the derivative's own parameters come first, then the output's adjoint: an argument left out
  // (a default applies) is passed as undefined, an extra one (which the callee ignores) is dropped
  const given = receiver ? [receiver, ...e.args] : e.args;
  const args = Array.from({ length: ref.arity }, (_, i) => given[i] ?? UNDEFINED);
  const mask = args.map((a) => hasActive(cx, a));
  if (!mask.some(Boolean)) return;
  const { callee: derivative, shadowArgs } = cx.dryRun ? { callee: { k: "free", path: ref.name } as Expr, shadowArgs: [] as number[] } : cx.host.derivativeOf(ref, mask, loc, receiver);
  // the callee accumulates straight into our shadows of the arrays and records it is given
  const shadows = shadowArgs.map((i) => {
    const a = args[i];
    const path = mask[i] && a ? adjointPath(cx, a) : undefined;
    return path && structured(pathType(cx, a)) ? path : undefined;
  });
  while (shadows.length > 0 && shadows[shadows.length - 1] === undefined) shadows.pop();
  const grads = cx.cur.numbered("grad");
  out.push({ k: "let", name: grads, init: call(derivative, ...args, g, ...shadows.map((s) => s ?? UNDEFINED)), konst: true });
  args.forEach((a, i) => {
    if (!mask[i]) return;
    const gi: Expr = ref.arity === 1 ? v(grads) : { k: "index", obj: v(grads), index: num(i) };
    const passed = shadows[shadowArgs.indexOf(i)];
    // handed in: already accumulated (a user type's Backprop may have replaced it: take it back)
    if (passed) out.push(set(passed, "=", gi));
    else backprop(cx, a, gi, acc, out);
  });
}

function ruleAdjoint(cx: ReverseScope, e: Expr & { k: "call" }, pullback: Expr, g: Expr, acc: Contribution[], out: OStmt[]): void {
  const grads = cx.cur.numbered("grad");
  // the rule's own gradients are checked: a wrong count or shape is an error naming the function
  out.push({ k: "let", name: grads, init: call(cx.host.runtime("ruleGradients"), { k: "lit", text: JSON.stringify(e.rule!.name) }, call(pullback, g), { k: "array", elems: e.args }), konst: true });
  e.args.forEach((a, i) => { if (hasActive(cx, a)) backprop(cx, a, { k: "index", obj: v(grads), index: num(i) }, acc, out); });
}

/** `dx += a; dx += b` → `dx += a + b` (also for the same element written the same way). */
export function mergeContributions(list: { target: Expr; value: Expr; structural: boolean }[]): typeof list {
  const out: typeof list = [];
  // each target's text once (it was made again for every earlier contribution compared with)
  const keys: (string | undefined)[] = [];
  for (const c of list) {
    const key = c.structural ? undefined : JSON.stringify(c.target);
    const at = key === undefined ? -1 : keys.indexOf(key);
    if (at >= 0) out[at].value = add(out[at].value, c.value);
    else { out.push({ ...c }); keys.push(key); }
  }
  return out;
}

function calleeText(e: Expr): string {
  if (e.k === "free") return e.path;
  if (e.k === "var") return e.name;
  if (e.k === "prop") return `${calleeText(e.obj)}.${e.name}`;
  return "this function";
}
