// Calls and callbacks. A call is resolved (2-resolve) and then either lowered in place (Math, array
// methods, local functions inlined) or hoisted into its own assignment with a reference to its
// derivative (user functions, methods, `withGradient` rules), so the adjoint sweep never evaluates
// it again. The planner is told of every user function reached, so it derives it on demand.
import type * as TS from "typescript";
import type { Expr, FnRef, Stmt } from "../ir/ir.js";
import { NUM } from "../ir/ir.js";
import { IMPURE_MATH, isKnownMath } from "../5-differentiate/rules.js";
import { type FunctionNode, mayReturnReference, resolveCallee, vtypeOf } from "../2-resolve/resolve.js";
import { resolvedSymbol, runtimeExportOf } from "../2-resolve/runtime-symbols.js";
import { lowerArrayFrom, lowerArrayMethod, lowerSpreadExtremum } from "./arrays.js";
import { inOrder } from "./evaluation-order.js";
import { inlineFunction } from "./local-functions.js";
import { type FunctionScope, safeBase } from "./scope.js";

export function callExpr(cx: FunctionScope, n: TS.CallExpression, pre: Stmt[]): Expr {
  const { ts, checker, K } = cx;
  if (n.questionDotToken) cx.fail(n, "unsupported", "optional call `?.()`");
  const calleeNode = cx.unwrap(n.expression);
  if (ts.isIdentifier(calleeNode) && (calleeNode.text === "eval" || calleeNode.text === "Function") && cx.localName(calleeNode) === undefined)
    cx.fail(n, "unsupported", `\`${calleeNode.text}(...)\``);
  if (ts.isPropertyAccessExpression(calleeNode) && cx.isGlobalMath(calleeNode.expression) && n.arguments.some(ts.isSpreadElement)) {
    const fn = calleeNode.name.text;
    if (fn !== "max" && fn !== "min") cx.fail(n, "unsupported", `spread arguments to Math.${fn}`);
    return lowerSpreadExtremum(cx, fn as "max" | "min", n, pre);
  }
  if (n.arguments.some(ts.isSpreadElement)) cx.fail(n, "unsupported", "spread arguments");
  // Array.from(...)
  if (ts.isPropertyAccessExpression(calleeNode) && calleeNode.name.text === "from" && cx.freePath(calleeNode) === "Array.from") return lowerArrayFrom(cx, n, pre);
  // methods of arrays: push into a local; map/filter/reduce/... become loops (the global Math is a
  // record, never an array: its type, with every constant of Math, is not worth asking for)
  if (ts.isPropertyAccessExpression(calleeNode) && ts.isIdentifier(calleeNode.name) && !cx.isGlobalMath(calleeNode.expression)) {
    const method = calleeNode.name.text;
    const recvType = cx.typeAt(calleeNode.expression);
    if (method === "push" && (recvType.k === "array" || recvType.k === "tuple")) {
      const arr = cx.expr(calleeNode.expression, pre);
      if (arr.k !== "var") cx.fail(calleeNode.expression, "unsupported", "push into an array that is not a local variable");
      for (const a of n.arguments) pre.push(cx.at(n, { k: "push", arr: (arr as { name: string }).name, e: cx.expr(a, pre) }));
      return { k: "prop", obj: arr, name: "length" };
    }
    const lowered = lowerArrayMethod(cx, n, calleeNode.expression, method, pre);
    if (lowered) return lowered;
    // mutating a fresh value (`new Array(n).fill(0)`) is fine; mutating a tracked array is not yet
    const freshReceiver = ts.isNewExpression(cx.unwrap(calleeNode.expression)) || ts.isCallExpression(cx.unwrap(calleeNode.expression));
    if (!freshReceiver && ["pop", "shift", "unshift", "splice", "sort", "reverse", "fill", "copyWithin", "set"].includes(method) && (recvType.k === "array" || recvType.k === "typed"))
      cx.fail(n, "unsupported", `the mutating array method ${method}()`);
    // a view shares the array's elements: writes through it would be invisible to the analyses
    if (method === "subarray" && recvType.k === "typed") cx.fail(n, "unsupported", "subarray(), a view sharing the array's elements (copy the part with Array.from, or index the array)");
  }
  // functions declared inside the differentiated function: inlined
  if (ts.isIdentifier(calleeNode)) {
    const sym = checker.getSymbolAtLocation(calleeNode);
    const localFn = sym && cx.localFunctions.get(sym);
    if (localFn) return inlineFunction(cx, localFn, inOrder(cx, n.arguments, pre), pre, n);
  }
  // Math.f(...)
  if (ts.isPropertyAccessExpression(calleeNode) && cx.isGlobalMath(calleeNode.expression)) {
    const fn = calleeNode.name.text;
    if (!isKnownMath(fn)) cx.fail(n, "unsupported", `Math.${fn}`);
    const args = inOrder(cx, n.arguments, pre);
    if (IMPURE_MATH.has(fn)) {
      const t = cx.temp("random", NUM);
      pre.push(cx.at(n, { k: "assign", name: t, e: { k: "math", fn, args } }));
      return { k: "var", name: t };
    }
    if ((fn === "max" || fn === "min") && args.length !== 2) {
      if (args.length === 0) return { k: "num", v: fn === "max" ? -Infinity : Infinity };
      if (args.length === 1) return { k: "math", fn, args: [args[0], { k: "num", v: fn === "max" ? -Infinity : Infinity }] };
      return args.reduce((acc, x) => ({ k: "math", fn, args: [acc, x] }));
    }
    return { k: "math", fn, args };
  }
  const runtime = runtimeExportOf(ts, checker, calleeNode);
  if (runtime === "stopGradient") {
    cx.usesRuntime = true;
    const arg = cx.expr(n.arguments[0], pre);
    const t = cx.temp("stopped", cx.typeAt(n));
    pre.push(cx.at(n, { k: "assign", name: t, e: { k: "call", callee: { k: "free", path: "$bp.stopGradient" }, args: [arg], noGrad: true } }));
    return { k: "var", name: t };
  }
  if (runtime === "grad" || runtime === "valueAndGrad" || runtime === "vjp") cx.fail(n, "nestedGrad");
  const args = inOrder(cx, n.arguments, pre);
  const callee = resolveCallee(ts, checker, calleeNode);
  if (callee.kind === "union-member") cx.fail(n, "unionMember", callee.name, callee.owners.join(", "));
  if (callee.kind === "method" && ts.isPropertyAccessExpression(calleeNode)) {
    if (calleeNode.expression.kind === K.SuperKeyword) cx.fail(calleeNode.expression, "unsupported", "`super.method()` (move the shared code into a module-level function both methods call)");
    cx.ensureNotOverridden(n, callee.node);
    const receiver = cx.expr(calleeNode.expression, pre);
    cx.onCallee(callee.key, callee.node);
    const t = cx.temp(safeBase(calleeNode.name.text), cx.typeAt(n));
    const fnRef: FnRef = { key: callee.key, name: callee.name, arity: callee.node.parameters.length + 1, kind: "method", sharesArgs: mayReturnReference(ts, cx.checker, callee.node) };
    pre.push(cx.at(n, { k: "assign", name: t, e: { k: "call", callee: { k: "prop", obj: receiver, name: calleeNode.name.text }, args, receiver, fn: fnRef } }));
    return { k: "var", name: t };
  }
  const calleePath = cx.freePath(calleeNode);
  let fn: FnRef | undefined;
  if (callee.kind === "function") {
    if (calleePath === undefined) cx.fail(n, "localFunction", callee.name);
    if (callee.node.asteriskToken) cx.fail(n, "generator");
    if (callee.node.modifiers?.some((m) => m.kind === K.AsyncKeyword)) cx.fail(n, "async");
    fn = { key: callee.key, name: calleePath!, arity: callee.node.parameters.length, sharesArgs: mayReturnReference(ts, cx.checker, callee.node) };
    cx.onCallee(callee.key, callee.node);
  }
  const calleeExpr: Expr = calleePath !== undefined ? { k: "free", path: calleePath } : cx.expr(calleeNode, pre);
  if (callee.kind === "rule") {
    if (calleePath === undefined) cx.fail(n, "localFunction", callee.name);
    cx.usesRuntime = true;
    const t = cx.temp(safeBase(callee.name), cx.typeAt(n));
    pre.push(cx.at(n, { k: "assign", name: t, e: { k: "call", callee: calleeExpr, args, rule: { name: callee.name, arity: args.length } } }));
    return { k: "var", name: t };
  }
  const resultType = callee.kind === "function" && isPlainFunction(cx, calleeNode, callee.node) && !(n.flags & ts.NodeFlags.OptionalChain) ? cx.returnTypeOf(callee.node) : cx.typeAt(n);
  const t = cx.temp(fn ? safeBase(callee.kind === "function" ? callee.name : "call") : "call", resultType);
  const call: Expr & { k: "call" } = { k: "call", callee: calleeExpr, args, fn };
  if (!fn && callee.kind === "no-body") call.opaqueName = callee.name;
  pre.push(cx.at(n, { k: "assign", name: t, e: call }));
  return { k: "var", name: t };
}

/**
 * `f` names a TypeScript function with one declaration, no type parameters and no annotation other
 * than its own: a call's type is then the declaration's result, which the checker's own answer for the
 * call (the callee's single signature) is too, without flow analysis of `f` at the call.
 */
function isPlainFunction(cx: FunctionScope, calleeNode: TS.Expression, fn: FunctionNode): boolean {
  const { ts } = cx;
  if (fn.typeParameters || !ts.isIdentifier(calleeNode)) return false;
  const sym = resolvedSymbol(ts, cx.checker, calleeNode);
  if (sym?.declarations?.length !== 1) return false;
  const decl = sym.declarations[0];
  if (decl.flags & ts.NodeFlags.JavaScriptFile) return false; // a JSDoc @type may retype it
  if (decl === fn) return ts.isFunctionDeclaration(fn);
  return ts.isVariableDeclaration(decl) && !decl.type && decl.initializer === fn;
}

/** Calls a callback given as an arrow, a local function or a module function, with lowered args. */
export function invoke(cx: FunctionScope, callback: TS.Expression, args: Expr[], pre: Stmt[], site: TS.Node): Expr {
  const { ts, checker } = cx;
  const cb = cx.unwrap(callback);
  if (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb)) return inlineFunction(cx, cb, args, pre, site);
  if (ts.isIdentifier(cb)) {
    const sym = checker.getSymbolAtLocation(cb);
    const localFn = sym && cx.localFunctions.get(sym);
    if (localFn) return inlineFunction(cx, localFn, args, pre, site);
  }
  // xs.map(Math.tanh): JS passes (item, index, array), which only one-argument functions ignore
  if (ts.isPropertyAccessExpression(cb) && cx.isGlobalMath(cb.expression)) {
    const fn = cb.name.text;
    if (!isKnownMath(fn) || ["max", "min", "pow", "atan2", "hypot", "imul", "random"].includes(fn)) cx.fail(callback, "unsupported", `Math.${fn} as a callback (wrap it in an arrow)`);
    return { k: "math", fn, args: args.slice(0, 1) };
  }
  const callee = resolveCallee(ts, checker, cb);
  const path = cx.freePath(cb);
  if (callee.kind === "function" && path !== undefined) {
    cx.onCallee(callee.key, callee.node);
    const arity = callee.node.parameters.length;
    const t = cx.temp(safeBase(callee.name), cx.returnTypeOf(callee.node));
    // JS passes (item, index, array): a callback sees only the parameters it declares
    pre.push(cx.at(site, { k: "assign", name: t, e: { k: "call", callee: { k: "free", path }, args: args.slice(0, arity), fn: { key: callee.key, name: path, arity } } }));
    return { k: "var", name: t };
  }
  if (callee.kind === "rule" && path !== undefined) {
    cx.usesRuntime = true;
    const t = cx.temp(safeBase(callee.name), vtypeOf(ts, checker, checker.getTypeAtLocation(cb).getCallSignatures()[0]?.getReturnType() ?? checker.getAnyType()));
    // as for a function: a rule sees only the parameters it declares (xs.map(softplus) handed it
    // the index and the array too, and its one gradient failed the pullback's count check)
    const given = args.slice(0, callee.params ?? args.length);
    pre.push(cx.at(site, { k: "assign", name: t, e: { k: "call", callee: { k: "free", path }, args: given, rule: { name: callee.name, arity: given.length } } }));
    return { k: "var", name: t };
  }
  return cx.fail(callback, "unsupported", "this callback (pass an arrow function or the name of a function)");
}
