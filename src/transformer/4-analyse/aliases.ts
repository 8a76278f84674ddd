// Which locals may share an array or record (`const row = m[i]`, `out.push(row)`, `p.w = w`).
// The to-be-recorded set is closed over these groups: a value read through one name in the
// adjoint sweep may be overwritten through another.
import type { Expr, Func, Stmt, VType } from "../ir/ir.js";
import { rootOf as root } from "../ir/ir.js";

/** Locals whose value (or part of it) an expression may hand out by reference. */
export function sharedRoots(e: Expr, out: string[] = []): string[] {
  const r = root(e);
  if (r !== undefined) out.push(r);
  else if (e.k === "array") e.elems.forEach((x) => sharedRoots(x, out));
  else if (e.k === "object") e.props.forEach(([, x]) => sharedRoots(x, out));
  else if (e.k === "cond") { sharedRoots(e.a, out); sharedRoots(e.b, out); }
  return out;
}

/** The type of a local or of an element/field path from one, as far as the IR's types know it. */
function pathType(fn: Func, e: Expr): VType | undefined {
  if (e.k === "var") return fn.types.get(e.name);
  if (e.k === "num" || (e.k === "prop" && e.name === "length")) return { k: "num" };
  const t = e.k === "index" || e.k === "prop" ? pathType(fn, e.obj) : undefined;
  if (!t) return undefined;
  if (e.k === "index") return t.k === "array" ? t.elem : t.k === "typed" ? { k: "num" } : undefined;
  if (e.k === "prop") return t.k === "record" ? t.fields.find((f) => f.name === e.name)?.type : undefined;
  return undefined;
}

/** `e` is a number (as far as the IR's types know): it shares nothing and cannot be written into. */
export const isNumber = (fn: Func, e: Expr) => pathType(fn, e)?.k === "num";

/**
 * Locals whose values the result of `e` may hold by reference besides what `e` hands out itself: a
 * constructor may keep its arguments (`constructor(public w: number[])`), and a function may return
 * its argument (`return xs`, a getter's `return this.data`). A number argument shares nothing.
 */
export function heldArguments(fn: Func, e: Expr): string[] {
  const args = e.k === "new" ? e.args : e.k === "call" && e.fn?.sharesArgs ? [...(e.receiver ? [e.receiver] : []), ...e.args] : [];
  return args.filter((a) => !isNumber(fn, a)).flatMap((a) => sharedRoots(a));
}

// Asked by activity, writes, recomputation, independent loops and the reverse sweep for the same
// function (and again per set of active parameters): computed once per function body.
const cache = new WeakMap<Stmt[], readonly (readonly string[])[]>();

export function aliasGroups(fn: Func): readonly (readonly string[])[] {
  let groups = cache.get(fn.body);
  if (!groups) cache.set(fn.body, (groups = computeGroups(fn)));
  return groups;
}

function computeGroups(fn: Func): string[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    const p = parent.get(x) ?? x;
    if (p === x) return x;
    const r = find(p);
    parent.set(x, r);
    return r;
  };
  const union = (a: string, b: string) => parent.set(find(a), find(b));
  const structured = (x: string) => { const t = fn.types.get(x); return t !== undefined && t.k !== "num" && t.k !== "none"; };
  const visit = (list: Stmt[]) => {
    for (const s of list) {
      if (s.k === "assign" && structured(s.name)) {
        for (const r of [...sharedRoots(s.e), ...heldArguments(fn, s.e)]) union(s.name, r);
      }
      // a number stored or pushed shares nothing (`copy[i] = xs[i]` with xs: number[])
      else if (s.k === "store") { const t = root(s.target); if (t && !isNumber(fn, s.e)) for (const r of sharedRoots(s.e)) union(t, r); }
      else if (s.k === "push" && !isNumber(fn, s.e)) for (const r of sharedRoots(s.e)) union(s.arr, r);
      else if (s.k === "if") { visit(s.then); visit(s.else); }
      else if (s.k === "while") visit(s.body);
    }
  };
  visit(fn.body);
  const groups = new Map<string, string[]>();
  for (const x of parent.keys()) {
    const r = find(x);
    groups.set(r, [...(groups.get(r) ?? [r].filter((y) => y !== x)), x]);
  }
  return [...groups.values()].map((g) => [...new Set(g)]);
}
