// Functions declared inside the differentiated function (and arrows passed as callbacks) are not
// derived on their own: each call is inlined, so what they capture is ordinary locals of the
// function being lowered. Parameters become locals; `return` leaves a labelled block.
import type * as TS from "typescript";
import type { Expr, Stmt } from "../ir/ir.js";
import type { FunctionNode } from "../2-resolve/resolve.js";
import { destructure, withDefault } from "./patterns.js";
import type { FunctionScope } from "./scope.js";
import { block } from "./statements.js";

/** The body of `fn`, in place: parameters become locals, `return` leaves a labelled block. */
export function inlineFunction(cx: FunctionScope, fn: FunctionNode, args: Expr[], pre: Stmt[], site: TS.Node): Expr {
  const { ts, K } = cx;
  if (cx.inlining.has(fn)) return cx.fail(site, "unsupported", "recursion through a function declared inside the differentiated function");
  if (fn.asteriskToken || fn.modifiers?.some((m) => m.kind === K.AsyncKeyword)) cx.fail(fn, "generator");
  cx.inlining.add(fn);
  fn.parameters.forEach((p, i) => {
    if (p.dotDotDotToken) cx.fail(p, "restParam");
    const arg = withDefault(cx, args[i] ?? { k: "lit", text: "undefined" }, p.initializer, cx.typeAt(p), pre, p);
    destructure(cx, p.name, arg, cx.typeAt(p), pre, p);
  });
  let value: Expr;
  if (!ts.isBlock(fn.body!)) value = cx.expr(fn.body as TS.Expression, pre);
  else {
    const res = cx.temp("returned", cx.returnTypeOf(fn));
    const label = cx.names.numbered("inlined");
    const saved = cx.returnTarget;
    cx.returnTarget = { result: res, label };
    const body = block(cx, fn.body.statements);
    cx.returnTarget = saved;
    pre.push({ k: "assign", name: res, e: { k: "lit", text: "undefined" }, decl: true });
    pre.push(cx.at(site, { k: "block", body, label, isSwitch: false }));
    value = { k: "var", name: res };
  }
  cx.inlining.delete(fn);
  return value;
}
