// Writes: `x = e`, `x op= e`, `++x`, `a[i] = e`, `acc.s += e`, `[a, b] = [b, a]`. The fence for what
// may be written lives here too: only locals of the function and element or field paths rooted at
// one (a write to an outer variable would be a side effect the adjoint cannot see).
import type * as TS from "typescript";
import type { Expr, Stmt } from "../ir/ir.js";
import { asLocal } from "./context.js";
import { inOrder, pinPath } from "./evaluation-order.js";
import { operatorTables } from "./operators.js";
import type { FunctionScope } from "./scope.js";

function assignTarget(cx: FunctionScope, target: TS.Expression): string {
  const { ts } = cx;
  const t = cx.unwrap(target);
  if (ts.isIdentifier(t)) {
    const l = cx.localName(t);
    if (l === undefined) return cx.fail(t, "outerWrite", t.text);
    return l;
  }
  return cx.fail(t, "unsupported", "this assignment target");
}

/** An element or field being written: `a[i]`, `acc.s`, `m[i][j]` — rooted at a local. */
function storePath(cx: FunctionScope, target: TS.Expression, pre: Stmt[]): Expr {
  const t = cx.unwrap(target);
  const path = cx.expr(t, pre);
  let root = path;
  while (root.k === "index" || root.k === "prop") root = root.obj;
  if (root.k !== "var") return cx.fail(t, "outerWrite", t.getText());
  if (path.k !== "index" && path.k !== "prop") return cx.fail(t, "unsupported", "this assignment target");
  return path;
}

/** Writes `make(old)` into `target` (a local or a path rooted at one); the written place is the value. */
export function update(cx: FunctionScope, target: TS.Expression, make: (old: Expr) => Expr, node: TS.Node, pre: Stmt[]): Expr {
  const { ts } = cx;
  const t = cx.unwrap(target);
  if (ts.isIdentifier(t)) {
    const name = assignTarget(cx, t);
    pre.push(cx.at(node, { k: "assign", name, e: make({ k: "var", name }) }));
    return { k: "var", name };
  }
  if (ts.isElementAccessExpression(t) || ts.isPropertyAccessExpression(t)) {
    const path = storePath(cx, t, pre);
    pre.push(cx.at(node, { k: "store", target: path, e: make(path) }));
    return path;
  }
  if (ts.isArrayLiteralExpression(t) || ts.isObjectLiteralExpression(t)) return cx.fail(t, "destructuring");
  return cx.fail(t, "unsupported", "this assignment target");
}

/** `left = right` and `left op= right`. */
export function assignment(cx: FunctionScope, n: TS.BinaryExpression, pre: Stmt[]): Expr {
  const { ts } = cx;
  const compound = operatorTables(ts).COMPOUND[n.operatorToken.kind];
  if (!compound && ts.isArrayLiteralExpression(cx.unwrap(n.left))) return arrayAssignment(cx, cx.unwrap(n.left) as TS.ArrayLiteralExpression, n, pre);
  const leftNode = cx.unwrap(n.left);
  if (compound && ts.isIdentifier(leftNode) && cx.localName(leftNode) !== undefined) {
    // `v -= ++v`: the old value is read before the right side runs
    const [old, rhs] = inOrder(cx, [leftNode, n.right], pre);
    return update(cx, n.left, () => ({ k: "bin", op: compound as never, a: old, b: rhs }), n, pre);
  }
  if (ts.isElementAccessExpression(leftNode) || ts.isPropertyAccessExpression(leftNode)) {
    // the place is found before the right side runs (`t[v] = v++` writes t[0]), and `t[0] += f(b)`
    // reads t[0] before f runs, which may itself write t[0]
    let path = storePath(cx, leftNode, pre);
    const mine: Stmt[] = [];
    const rhs = cx.expr(n.right, mine);
    path = pinPath(cx, path, mine, pre);
    let old: Expr = path;
    if (compound && mine.length > 0) {
      const t = cx.temp("before", cx.typeAt(leftNode));
      pre.push({ k: "assign", name: t, e: path, decl: true });
      old = { k: "var", name: t };
    }
    pre.push(...mine);
    pre.push(cx.at(n, { k: "store", target: path, e: compound ? { k: "bin", op: compound as never, a: old, b: rhs } : rhs }));
    return path;
  }
  const rhs = cx.expr(n.right, pre);
  // an evolving `let c;` has no type at its declaration: take the type of what is assigned
  const left = cx.unwrap(n.left);
  if (ts.isIdentifier(left)) {
    const l = cx.localName(left);
    if (l !== undefined && cx.types.get(l)?.k === "unknown") cx.types.set(l, cx.typeAt(n.right));
  }
  return update(cx, n.left, (old) => (compound ? { k: "bin", op: compound as never, a: old, b: rhs } : rhs), n, pre);
}

/** `[a, b] = [b, a]`: read everything first, then write. */
function arrayAssignment(cx: FunctionScope, left: TS.ArrayLiteralExpression, n: TS.BinaryExpression, pre: Stmt[]): Expr {
  const { ts } = cx;
  const src = asLocal(cx, cx.expr(n.right, pre), cx.typeAt(n.right), pre, "parts");
  const reads = left.elements.map((el, k) => {
    if (ts.isOmittedExpression(el) || ts.isSpreadElement(el)) return undefined;
    const t = cx.temp("part", cx.typeAt(el));
    pre.push({ k: "assign", name: t, e: { k: "index", obj: src, index: { k: "num", v: k } }, decl: true });
    return t;
  });
  left.elements.forEach((el, k) => {
    const t = reads[k];
    if (t === undefined) { if (ts.isSpreadElement(el)) cx.fail(el, "unsupported", "rest in an assignment pattern"); return; }
    update(cx, el, () => ({ k: "var", name: t }), n, pre);
  });
  return src;
}
