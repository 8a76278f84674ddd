// TypeScript function → IR. Also the fence: whatever cannot be differentiated is reported here, at
// the construct's own position, and lowering stops for that function (no partial output).
//
// Every declaration gets its own IR name (shadowed names get a suffix), calls other than pure Math
// are hoisted into their own assignment (so the adjoint sweep never evaluates them again), and
// value-producing `&&`/`||`/`??`/`?:` whose operands contain calls become `if` statements.
//
// This file is the entry: it sets up the function's scope and parameters and lowers the body with
// statements.ts, expressions.ts and the files they use; structurize.ts then removes early exits.
import type * as TS from "typescript";
import type { TypeScript } from "../api.js";
import type { Expr, Func, Stmt, VType } from "../ir/ir.js";
import { NONE, NUM } from "../ir/ir.js";
import type { Names } from "../ir/names.js";
import type { ClassHierarchy } from "../2-resolve/class-hierarchy.js";
import { type Differentiable, classOf, constructorParameters, vtypeOf } from "../2-resolve/resolve.js";
import { invoke } from "./calls.js";
import { expr } from "./expressions.js";
import { constructorBody } from "./objects.js";
import { destructure } from "./patterns.js";
import { fence } from "./fence.js";
import { FunctionScope } from "./scope.js";
import { locOf } from "./source-location.js";
import { block, registerLocalFunction } from "./statements.js";
import { removeUnreadFlags, structurize } from "./structurize.js";

export interface Lowered {
  func: Func;
  names: Names;
  /** runtime helpers the lowered body itself uses (e.g. stopGradient) */
  usesRuntime: boolean;
}

export function lowerFunction(
  ts: TypeScript,
  checker: TS.TypeChecker,
  node: Differentiable,
  name: string,
  /** told of every user function a call resolves to, so the planner can derive it on demand */
  onCallee: (key: string, node: Differentiable) => void,
  /** which user classes extend which: a method call needs to know whether a subclass overrides it */
  classes: ClassHierarchy,
): Lowered {
  const K = ts.SyntaxKind;
  const cls = classOf(ts, node);
  /** a constructor (or a class without one) builds `self` and returns it */
  const isConstructor = ts.isConstructorDeclaration(node) || ts.isClassDeclaration(node);
  const isStatic = !ts.isClassDeclaration(node) && !!(ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Static);
  const fnNode = ts.isClassDeclaration(node) ? undefined : node;
  if (fnNode && "asteriskToken" in fnNode && fnNode.asteriskToken) fence(node, "generator");
  if (fnNode?.modifiers?.some((m) => m.kind === K.AsyncKeyword)) fence(node, "async");
  if (fnNode && !fnNode.body) fence(node, "noBody", name);
  if (cls && !cls.name) fence(cls, "unsupported", "a class without a name");

  const cx = new FunctionScope(ts, checker, node, !!cls && !isStatic, onCallee, { expr, invoke }, classes);
  const { names, types, self } = cx;

  // ---- parameters ----
  const instanceType: VType = cls ? vtypeOf(ts, checker, checker.getDeclaredTypeOfSymbol(checker.getSymbolAtLocation(cls.name!)!)) : NONE;
  if (self) types.set(self, instanceType);
  // a derived class without a constructor takes its base's arguments and hands them on unchanged
  // (the base applies its own defaults and destructuring)
  const inherited = !fnNode && cls && isConstructor ? constructorParameters(ts, checker, cls) : [];
  const params = (fnNode?.parameters ?? inherited).map((p, i) => {
    if (p.dotDotDotToken) fence(p, "restParam");
    const own = fnNode !== undefined;
    if (ts.isIdentifier(p.name)) return { name: cx.declare(p.name, cx.typeAt(p)), type: cx.typeAt(p), init: own ? p.initializer : undefined, pattern: undefined, loc: locOf(p) };
    const name = names.fresh(`arg${i}`);
    types.set(name, cx.typeAt(p));
    return { name, type: cx.typeAt(p), init: own ? p.initializer : undefined, pattern: own ? p.name : undefined, loc: locOf(p) };
  });
  const result = names.fresh("result");
  const sig = fnNode && !isConstructor ? checker.getSignatureFromDeclaration(fnNode) : undefined;
  const resultType = isConstructor ? instanceType : sig ? vtypeOf(ts, checker, checker.getReturnTypeOfSignature(sig)) : NUM;
  types.set(result, resultType);

  // ---- the body ----
  const stmts: Stmt[] = [];
  // nested function declarations are hoisted: register them before lowering any statement
  if (fnNode?.body && ts.isBlock(fnNode.body)) for (const st of fnNode.body.statements) {
    if (ts.isFunctionDeclaration(st)) registerLocalFunction(cx, st);
  }
  // in JS order, parameter by parameter: a pattern reads its argument after the default applies
  // (destructuring first read `.k` of an omitted `{ k }: T = { k: 2 }` and threw)
  for (const p of params) {
    if (p.init) {
      const pre: Stmt[] = [];
      const init = expr(cx, p.init, pre);
      const v: Expr = { k: "var", name: p.name };
      stmts.push({ k: "if", c: { k: "bin", op: "===", a: v, b: { k: "lit", text: "undefined" } }, then: [...pre, { k: "assign", name: p.name, e: init }], else: [] });
    }
    if (p.pattern) destructure(cx, p.pattern, { k: "var", name: p.name }, p.type, stmts, p.pattern);
  }
  if (isConstructor && cls && self) constructorBody(cx, cls, ts.isConstructorDeclaration(node) ? node : undefined, self, params.map((p) => p.name), stmts);
  else if (ts.isBlock(fnNode!.body!)) stmts.push(...block(cx, fnNode!.body.statements));
  else {
    const pre: Stmt[] = [];
    const e = expr(cx, fnNode!.body as TS.Expression, pre);
    stmts.push(...pre, cx.at(fnNode!.body!, { k: "return", e }));
  }

  // ---- the function ----
  const structured = structurize(stmts, result, names);
  for (const f of structured.flags) types.set(f, NONE);
  const sf = node.getSourceFile();
  const first = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
  const last = sf.getLineAndCharacterOfPosition(node.end).line + 1;
  const func: Func = {
    name,
    params: [...(self && !isConstructor ? [{ name: self, type: instanceType }] : []), ...params.map((p) => ({ name: p.name, type: p.type, loc: p.loc }))],
    body: removeUnreadFlags(structured.body, structured.flags),
    types,
    result,
    flags: [...structured.flags],
    resultType,
    loc: locOf(node),
    lines: [first, last],
  };
  return { func, names, usesRuntime: cx.usesRuntime };
}
