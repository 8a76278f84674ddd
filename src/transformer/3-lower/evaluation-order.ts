// Hoisting calls and updates out of an expression must not change what the expression computes:
// this keeps JavaScript's left-to-right order of evaluation for operand lists (binary operators,
// call arguments, compound assignments).
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
  const out: Expr[] = [];
  for (const node of nodes) {
    const mine: Stmt[] = [];
    const e = cx.expr(node, mine);
    // nothing hoisted, nothing changed: the earlier operands stay as they are
    if (mine.length > 0) copyReadsOfChanged(cx, mine, out, pre);
    pre.push(...mine);
    out.push(e);
  }
  return out;
}

/** Earlier operands that read what `mine` changes are first copied into temporaries. */
function copyReadsOfChanged(cx: FunctionScope, mine: Stmt[], out: Expr[], pre: Stmt[]): void {
  const changed = new Set<string>();
  const collect = (list: Stmt[]) => list.forEach((st) => {
    if (st.k === "assign") changed.add(st.name);
    else if (st.k === "store" || st.k === "push") { const r = writtenRoot(st); if (r) changed.add(r); }
    else if (st.k === "if") { collect(st.then); collect(st.else); }
    else if (st.k === "loop") { collect(st.body); collect(st.update); collect(st.pre); }
    else if (st.k === "block") collect(st.body);
  });
  collect(mine);
  if (changed.size === 0) return;
  for (let i = 0; i < out.length; i++) {
    if ([...allReads(out[i])].some((r) => changed.has(r))) {
      const t = cx.temp("before", typeOfExpr(cx, out[i]));
      pre.push({ k: "assign", name: t, e: out[i], decl: true });
      out[i] = { k: "var", name: t };
    }
  }
}

const typeOfExpr = (cx: FunctionScope, e: Expr): VType => (e.k === "var" ? cx.types.get(e.name) ?? NUM : NUM);
