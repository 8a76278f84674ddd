// Hoisting calls and updates out of an expression must not change what the expression computes:
// this keeps JavaScript's left-to-right order of evaluation for operand lists (binary operators,
// call and `new` arguments, compound assignments, array and object literals, element accesses).
import type * as TS from "typescript";
import type { Expr, Stmt, VType } from "../ir/ir.js";
import { NUM, writtenRoot } from "../ir/ir.js";
import { allReads } from "../4-analyse/reads.js";
import type { FunctionScope } from "./scope.js";

/**
 * Lowers operands left to right. Hoisting moves an operand's side effects (`++v`, an inlined
 * callback writing a captured local) before the whole expression, so an earlier operand that
 * reads what a later one changes is first copied: `v -= ++v` reads the old v, as JS does.
 */
export function inOrder(cx: FunctionScope, nodes: readonly TS.Expression[], pre: Stmt[]): Expr[] {
  return inOrderBy(cx, nodes.map((node) => ({ lower: (mine: Stmt[]) => cx.expr(node, mine), type: () => cx.typeAt(node) })), pre);
}

/** An operand: how to lower it, and its type (for the temporary an earlier copy needs). */
export interface Operand { lower: (pre: Stmt[]) => Expr; type: () => VType }

/** `inOrder` for operands lowered by other means (object literal members: `{ u: v, w: v++ }`). */
export function inOrderBy(cx: FunctionScope, operands: readonly Operand[], pre: Stmt[]): Expr[] {
  const out: Expr[] = [];
  const types: (() => VType)[] = [];
  for (const { lower, type } of operands) {
    const mine: Stmt[] = [];
    const e = lower(mine);
    // nothing hoisted, nothing changed: the earlier operands stay as they are
    if (mine.length > 0) copyReadsOfChanged(cx, mine, out, types, pre);
    pre.push(...mine);
    out.push(e);
    types.push(type);
  }
  return out;
}

/** The locals (and roots of elements and fields) that hoisted statements write. */
function changedBy(mine: Stmt[]): Set<string> {
  const changed = new Set<string>();
  const collect = (list: Stmt[]) => list.forEach((st) => {
    if (st.k === "assign") changed.add(st.name);
    else if (st.k === "store" || st.k === "push") { const r = writtenRoot(st); if (r) changed.add(r); }
    else if (st.k === "if") { collect(st.then); collect(st.else); }
    else if (st.k === "loop") { collect(st.body); collect(st.update); collect(st.pre); }
    else if (st.k === "block") collect(st.body);
  });
  collect(mine);
  return changed;
}

/**
 * The place an assignment writes is found before its right side runs (`t[v] = v++` writes t[0]):
 * an index along `path` that reads what `mine` (the right side's hoisted statements) changes is
 * first copied into a temporary.
 */
export function pinPath(cx: FunctionScope, path: Expr, mine: Stmt[], pre: Stmt[]): Expr {
  if (mine.length === 0) return path;
  const changed = changedBy(mine);
  if (changed.size === 0) return path;
  const pin = (e: Expr): Expr => {
    if (e.k === "index") {
      const obj = pin(e.obj);
      let index = e.index;
      if ([...allReads(index)].some((r) => changed.has(r))) {
        const t = cx.temp("at", NUM);
        pre.push({ k: "assign", name: t, e: index, decl: true });
        index = { k: "var", name: t };
      }
      return obj === e.obj && index === e.index ? e : { ...e, obj, index };
    }
    if (e.k === "prop") { const obj = pin(e.obj); return obj === e.obj ? e : { ...e, obj }; }
    return e;
  };
  return pin(path);
}

/** Earlier operands that read what `mine` changes are first copied into temporaries. */
function copyReadsOfChanged(cx: FunctionScope, mine: Stmt[], out: Expr[], types: (() => VType)[], pre: Stmt[]): void {
  const changed = changedBy(mine);
  if (changed.size === 0) return;
  for (let i = 0; i < out.length; i++) {
    if ([...allReads(out[i])].some((r) => changed.has(r))) {
      const t = cx.temp("before", out[i].k === "var" ? typeOfExpr(cx, out[i]) : types[i]());
      pre.push({ k: "assign", name: t, e: out[i], decl: true });
      out[i] = { k: "var", name: t };
    }
  }
}

const typeOfExpr = (cx: FunctionScope, e: Expr): VType => (e.k === "var" ? cx.types.get(e.name) ?? NUM : NUM);
