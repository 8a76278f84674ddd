// The statement sweeps for the statements that write a value: `x = e`, `t[i] = e` (and fields), and
// `arr.push(e)`. Each gives its forward code (the write, its shadow's, and saving what it
// overwrites when the adjoint sweep needs it back) and its adjoint code (restoring, then
// backprop of e seeded by the target's adjoint).
import type { Expr, OStmt, Stmt } from "../ir/ir.js";
import { lengthOf, rootOf, v } from "../ir/ir.js";
import { diag } from "../diagnostics.js";
import { add, call, method, num, set } from "./build.js";
import { adjointOf, definitionAdjoint, emitContribution, mergeContributions } from "./backprop.js";
import type { Pass, Swept } from "./pass.js";
import { RESULT_PARTIALS } from "./rules.js";
import { counterStep, type ReverseScope } from "./scope.js";
import { adjointPath, exprType, pathType, shadowOf, structured } from "./shadows.js";

/** `t + e`, `e + t` or `t - e` stored into t: the increment (`e`, `-e`); else undefined. */
function incrementOf(target: Expr, e: Expr): Expr | undefined {
  if (e.k !== "bin" || (e.op !== "+" && e.op !== "-")) return undefined;
  const text = JSON.stringify(target);
  const same = (x: Expr) => JSON.stringify(x) === text;
  if (same(e.a)) return e.op === "+" ? e.b : { k: "un", op: "-", a: e.b };
  if (e.op === "+" && same(e.b)) return e.a;
  return undefined;
}

export function assign(p: Pass, s: Stmt & { k: "assign" }, nested: boolean): Swept {
  const { cx } = p;
  const x = s.name;
  const fwd: OStmt[] = [];
  const restores: OStmt[] = [];
  // a top-level declaration's old value is the temporal dead zone: nothing reads it
  const fresh = cx.definedOnce(x) || (s.decl === true && !nested && cx.decls.get(x) === 1) || cx.declaredOncePerCall.has(x);
  const shadow = cx.hasShadow(x);
  const tx = cx.typeOf(x);
  if (cx.active.has(x) && tx.k === "unknown") cx.report(diag.unknownType(s.loc ?? cx.fn.loc, x, tx.why ?? ""));
  // the old value (and the old shadow), so the adjoint sweep can restore them
  // numbers are saved only where the overwritten value is read (TBR); counters restore by
  // stepping back, which needs every value in the chain; arrays and records are shared by
  // reference, so they are kept whenever any of their values is read
  const tbr = cx.saveAt === undefined || cx.counters.has(x) || !cx.isNumeric(x) || cx.saveAt.has(s);
  if (p.needed.has(x) && !fresh && tbr && !cx.unrestored.has(s)) {
    const step = cx.counters.has(x) ? counterStep(s) : undefined;
    restores.push(set(v(x), "=", step ?? p.keep(v(x), cx.isNumeric(x), nested, `${x}_old`, fwd)));
  }
  if (shadow && !fresh && !cx.remat.has(cx.adjName(x))) restores.unshift(set(v(cx.adjName(x)), "=", p.keep(v(cx.adjName(x)), false, nested, `${cx.adjName(x)}_old`, fwd)));

  const rule = s.e.k === "call" && s.e.rule && cx.active.has(x) ? ruleForward(p, s.e, x, nested, fwd) : undefined;
  if (!rule) {
    if (cx.definedOnce(x) && !nested) { p.inlineConst.add(x); fwd.push({ k: "let", name: x, init: s.e, konst: true }); }
    // declared where the user declared it when that is at the top level of the function
    else if (s.decl && !nested && !p.inlineConst.has(x)) { p.inlineConst.add(x); fwd.push({ k: "let", name: x, init: s.e }); }
    else { p.hoisted.add(x); fwd.push(set(v(x), "=", s.e)); }
  }
  if (shadow) { p.hoisted.add(cx.adjName(x)); fwd.push(set(v(cx.adjName(x)), "=", shadowOf(cx, s.e, v(x), cx.typeOf(x)))); }
  if (!cx.active.has(x)) return { fwd, rev: restores };

  const rev: OStmt[] = [];
  const dx = v(cx.adjName(x));
  if (shadow) {
    // structured: the adjoint of this definition is seeded by its own shadow
    // the restores overwrite the shadow: its value is captured first, if the adjoint reads it
    const captured = fresh ? undefined : p.local.numbered("dvalue");
    const adjoint = definitionAdjoint(cx, s.e, captured ? v(captured) : dx, rule, s.loc, true);
    if (captured && adjoint.length > 0) rev.push({ k: "let", name: captured, init: dx, konst: true });
    rev.push(...restores, ...adjoint);
    return { fwd, rev };
  }
  // `x = Math.tanh(s)`: the derivative reads x itself, so it goes before x is restored
  // (only for x's one definition: another would have to save x just for this)
  const fromResult = !rule && cx.defs.get(x) === 1 && usesResult(cx, s.e, x);
  if (fromResult && cx.dryRun) cx.readsAfter.set(s, new Set([x]));
  if (!fromResult) rev.push(...restores);
  cx.resultOf = fromResult ? { node: s.e, value: v(x) } : undefined;
  const { contribs, pre } = adjointOf(cx, s.e, dx, rule, s.loc, false);
  cx.resultOf = undefined;
  rev.push(...pre);
  const self: Expr[] = [];
  for (const c of mergeContributions(contribs)) {
    if (c.target.k === "var" && c.target.name === cx.adjName(x) && !c.structural) self.push(c.value);
    else rev.push(emitContribution(cx, c));
  }
  if (fromResult) rev.push(...restores);
  const reread = nested || !fresh;
  const selfSum = self.length > 0 ? self.reduce(add) : undefined;
  if (selfSum) { if (!(selfSum.k === "var" && selfSum.name === cx.adjName(x))) rev.push(set(dx, "=", selfSum)); }
  // a local defined once, outside loops and branches, is never read again by the adjoint sweep
  else if (cx.isNumeric(x) && reread) rev.push(set(dx, "=", num(0)));
  return { fwd, rev };
}

/**
 * `Math.tanh(z * w)` (or exp, sqrt) over numeric locals, none of them `target`: its derivative
 * may read the assigned value instead of evaluating the function again (before the value is
 * restored, so nothing it reads may be restored with it).
 */
function usesResult(cx: ReverseScope, e: Expr, target: string): boolean {
  const numeric = (a: Expr): boolean =>
    a.k === "num" || (a.k === "var" && a.name !== target && cx.isNumeric(a.name)) ||
    (a.k === "bin" && ["+", "-", "*", "/"].includes(a.op) && numeric(a.a) && numeric(a.b)) || (a.k === "un" && a.op === "-" && numeric(a.a));
  return cx.options.optimize && e.k === "math" && RESULT_PARTIALS.has(e.fn) && e.args.every(numeric);
}

/** Forward of an active withGradient call: the rule gives the value and the pullback, which is kept. */
function ruleForward(p: Pass, e: Expr & { k: "call" }, x: string, nested: boolean, fwd: OStmt[]): Expr {
  const { cx } = p;
  const out = p.local.numbered(`${e.rule!.name}Rule`);
  fwd.push({ k: "let", name: out, init: call(call(cx.host.runtime("ruleOf"), e.callee), ...e.args), konst: true });
  p.hoisted.add(x);
  fwd.push(set(v(x), "=", { k: "index", obj: v(out), index: num(0) }));
  return p.keep({ k: "index", obj: v(out), index: num(1) }, false, nested, `${e.rule!.name}Pullback`, fwd);
}

/** `target = e`, an element or field of a local. */
export function store(p: Pass, s: Stmt & { k: "store" }, nested: boolean): Swept {
  const { cx } = p;
  const { fwd, rev } = storeAtIndex(p, s);
  const t = s.target;
  const arrType = t.k === "index" ? pathType(cx, t.obj) : undefined;
  if (t.k !== "index" || cx.inRangeStores.has(s) || (arrType?.k !== "array" && arrType?.k !== "tuple")) return { fwd, rev };
  if (arrType.k === "tuple" && t.index.k === "num" && t.index.v >= 0 && t.index.v < arrType.elems.length) return { fwd, rev };
  // past the end the store makes the array longer (`t[0] = e` with t = []): its shadow grows
  // with zeros (a structured element's own shadow store already grows it), and undoing the store
  // shrinks both back, so the gradient keeps the array's shape and reads that were past the end
  // (guarded by the shadow's length) stay without an adjoint
  const r = rootOf(t)!;
  const shadow = cx.active.has(r) ? adjointPath(cx, t.obj) : undefined;
  const restoresValue = p.contentsNeeded.has(r);
  if (!shadow && !restoresValue) return { fwd, rev };
  // the length is saved before, and restored after, what the store itself saves and restores
  const lenName = nested ? p.local.numbered("oldLength") : p.local.fresh("oldLength");
  const len = v(lenName);
  const saveLength: OStmt = nested ? { k: "do", e: method(p.stack("saved"), "push", lengthOf(t.obj)) } : { k: "let", name: lenName, init: lengthOf(t.obj), konst: true };
  const grow: OStmt[] = shadow && !structured(pathType(cx, t))
    ? [{ k: "while", c: { k: "bin", op: "<", a: lengthOf(shadow), b: lengthOf(t.obj) }, body: [{ k: "do", e: method(shadow, "push", num(0)) }] }]
    : [];
  const shrink: OStmt[] = [
    ...(nested ? [{ k: "let", name: lenName, init: method(p.stack("saved"), "pop"), konst: true } as OStmt] : []),
    { k: "if", c: { k: "bin", op: ">", a: lengthOf(shadow ?? t.obj), b: len }, then: [...(shadow ? [set(lengthOf(shadow), "=", len)] : []), ...(restoresValue ? [set(lengthOf(t.obj), "=", len)] : [])], else: [] },
  ];
  return { fwd: [saveLength, ...fwd, ...grow], rev: [...rev, ...shrink] };
}

function storeAtIndex(p: Pass, s: Stmt & { k: "store" }): Swept {
  const { cx } = p;
  const r = rootOf(s.target)!;
  const fwd: OStmt[] = [];
  const rev: OStmt[] = [];
  const rActive = cx.active.has(r);
  const elemType = pathType(cx, s.target) ?? exprType(cx, s.e);
  const elemStructured = structured(elemType);
  const shadowTarget = rActive ? adjointPath(cx, s.target) : undefined;
  let restoreValue: OStmt | undefined, restoreShadow: OStmt | undefined;
  // (a loop with independent iterations saves the elements it stores in one range instead)
  if (p.contentsNeeded.has(r) && !cx.unrestored.has(s)) restoreValue = set(s.target, "=", p.keep(s.target, !elemStructured, true, "old", fwd));
  if (shadowTarget && elemStructured) restoreShadow = set(shadowTarget, "=", p.keep(shadowTarget, false, true, "old", fwd));
  fwd.push(set(s.target, "=", s.e));
  if (shadowTarget && elemStructured) fwd.push(set(shadowTarget, "=", shadowOf(cx, s.e, s.target, elemType)));
  if (!shadowTarget) return { fwd, rev: restoreValue ? [restoreValue] : [] };
  // `t = t + e` (`t += e`): the old t's adjoint is the new one, so only e's adjoint is added
  const increment = !elemStructured ? incrementOf(s.target, s.e) : undefined;
  if (increment) {
    const g = p.local.numbered("dvalue");
    const adjoint = definitionAdjoint(cx, increment, v(g), undefined, s.loc, false);
    if (adjoint.length > 0) rev.push({ k: "let", name: g, init: shadowTarget, konst: true });
    if (restoreValue) rev.push(restoreValue);
    rev.push(...adjoint);
    return { fwd, rev };
  }
  const g = p.local.numbered("dvalue");
  rev.push({ k: "let", name: g, init: shadowTarget, konst: true });
  if (!elemStructured) rev.push(set(shadowTarget, "=", num(0)));
  if (restoreShadow) rev.push(restoreShadow);
  // `h[j] = Math.tanh(s)`: the derivative reads h[j] itself, so it goes before h[j] is restored
  // (in a loop with independent iterations h[j] keeps the stored value all through its adjoint)
  if ((restoreValue || cx.unrestored.has(s)) && !elemStructured && usesResult(cx, s.e, r)) {
    cx.resultOf = { node: s.e, value: s.target };
    rev.push(...definitionAdjoint(cx, s.e, v(g), undefined, s.loc, true));
    cx.resultOf = undefined;
    if (restoreValue) rev.push(restoreValue);
    return { fwd, rev };
  }
  if (restoreValue) rev.push(restoreValue);
  rev.push(...definitionAdjoint(cx, s.e, v(g), undefined, s.loc, true));
  return { fwd, rev };
}

/** `arr.push(e)`: the shadow grows with it (a zero adjoint per element, as Clad does for push_back). */
export function push(p: Pass, s: Stmt & { k: "push" }): Swept {
  const { cx } = p;
  const arr = s.arr;
  const fwd: OStmt[] = [{ k: "do", e: method(arr, "push", s.e) }];
  const rev: OStmt[] = [];
  const elemType = pathType(cx, { k: "index", obj: v(arr), index: num(0) }) ?? exprType(cx, s.e);
  const elemStructured = structured(elemType);
  const last: Expr = { k: "index", obj: v(arr), index: { k: "bin", op: "-", a: { k: "prop", obj: v(arr), name: "length" }, b: num(1) } };
  if (cx.hasShadow(arr)) fwd.push({ k: "do", e: method(cx.adjName(arr), "push", elemStructured ? shadowOf(cx, s.e, last, elemType) : num(0)) });
  let g: string | undefined;
  if (cx.hasShadow(arr)) { g = p.local.numbered("dvalue"); rev.push({ k: "let", name: g, init: method(cx.adjName(arr), "pop"), konst: true }); }
  if (p.contentsNeeded.has(arr)) rev.push({ k: "do", e: method(arr, "pop") });
  if (g) rev.push(...definitionAdjoint(cx, s.e, v(g), undefined, s.loc, true));
  return { fwd, rev };
}

