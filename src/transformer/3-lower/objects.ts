// Records and class instances: object literals, `new C(...)`, and what a constructor does around its
// body (`self = Object.create(C.prototype)`, field initialisers, parameter properties, `return self`).
// Kept together: each decides how an object comes into being and which fields it has.
import type * as TS from "typescript";
import type { Expr, FnRef, Stmt, VType } from "../ir/ir.js";
import { baseClassOf, constructorParameters, keyOf, ownConstructor, resolveConstructor } from "../2-resolve/resolve.js";
import { inOrder, inOrderBy, type Operand } from "./evaluation-order.js";
import { lowerTypedArrayCopy } from "./arrays.js";
import { asLocal } from "./context.js";
import { type FunctionScope, safeBase } from "./scope.js";
import { block } from "./statements.js";

/** `{ a, b: e, ...r }`: later keys replace earlier ones; a spread needs the fields of its type. */
export function objectLiteral(cx: FunctionScope, n: TS.ObjectLiteralExpression, pre: Stmt[]): Expr {
  const { ts } = cx;
  // every member's value, in source order (lowered left to right: `{ u: v, w: v++ }` reads the old v)
  const keys: string[] = [];
  const operands: Operand[] = [];
  for (const p of n.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || ts.isNumericLiteral(p.name))) {
      keys.push(p.name.text);
      operands.push({ lower: (mine) => cx.expr(p.initializer, mine), type: () => cx.typeAt(p.initializer) });
    } else if (ts.isShorthandPropertyAssignment(p)) {
      const sym = cx.checker.getShorthandAssignmentValueSymbol(p);
      const l = sym ? cx.local.get(sym) : undefined;
      if (l === undefined) cx.ensureNotInnerVariable(p.name, sym);
      keys.push(p.name.text);
      operands.push({ lower: () => (l !== undefined ? { k: "var", name: l } : { k: "free", path: p.name.text }), type: () => cx.typeAt(p.name) });
    } else if (ts.isSpreadAssignment(p)) {
      const t = cx.typeAt(p.expression);
      if (t.k !== "record") cx.fail(p, "unsupported", "spreading a value whose fields are not known");
      // `{ ...s }` copies only the fields s has; the IR's object literal lists its fields
      if (t.fields.some((f) => f.optional)) cx.fail(p, "partialFields", "spreading this value", cx.checker.typeToString(cx.checker.getTypeAtLocation(p.expression)));
      let src: Expr | undefined;
      const source = (mine: Stmt[]) => (src ??= asLocal(cx, cx.expr(p.expression, mine), t, mine, "spread"));
      for (const f of (t as VType & { k: "record" }).fields) {
        keys.push(f.name);
        operands.push({ lower: (mine) => ({ k: "prop", obj: source(mine), name: f.name }), type: () => f.type });
      }
    } else cx.fail(p, "unsupported", "this kind of object literal member (methods, getters, computed names)");
  }
  const values = inOrderBy(cx, operands, pre);
  // later keys replace earlier ones
  const props: [string, Expr][] = [];
  keys.forEach((key, i) => {
    const at = props.findIndex(([k]) => k === key);
    if (at >= 0) props.splice(at, 1);
    props.push([key, values[i]!]);
  });
  return { k: "object", props };
}

/** `new C(...)` of a name from outside the function (a user class is derived as its constructor). */
export function newExpression(cx: FunctionScope, n: TS.NewExpression, pre: Stmt[]): Expr {
  const { ts } = cx;
  const callee = cx.freePath(n.expression);
  if (callee === "Function") cx.fail(n, "unsupported", "`new Function`");
  if (callee === undefined) cx.fail(n, "unsupported", "`new` of a local value");
  // new Float64Array(xs): a copy, element by element, so gradients flow through it
  const src = n.arguments?.[0];
  if ((callee === "Float64Array" || callee === "Float32Array") && n.arguments?.length === 1 && src && ["array", "typed", "tuple"].includes(cx.typeAt(src).k))
    return lowerTypedArrayCopy(cx, callee, n, src, pre);
  const ctor = resolveConstructor(ts, cx.checker, n);
  const args = inOrder(cx, n.arguments ?? [], pre);
  let fn: FnRef | undefined;
  if (ctor) {
    cx.onCallee(ctor.key, ctor.node);
    const cls = ts.isClassDeclaration(ctor.node) ? ctor.node : (ctor.node.parent as TS.ClassDeclaration);
    fn = { key: ctor.key, name: callee!, arity: constructorParameters(ts, cx.checker, cls).length, kind: "constructor" };
  }
  const t = cx.temp(ctor ? safeBase(callee!.split(".").pop()!.toLowerCase()) : "obj", cx.typeAt(n));
  pre.push(cx.at(n, { k: "assign", name: t, e: { k: "new", callee: { k: "free", path: callee! }, args, fn } }));
  return { k: "var", name: t };
}

/**
 * A constructor (or a class without one) as a function that builds `self` and returns it:
 * `self = Object.create(C.prototype)`, field initialisers, parameter properties, the body. In a
 * derived class `super(...)` builds `self` instead (the base's constructor with C's prototype),
 * and the initialisers and parameter properties run right after it, as in JavaScript.
 */
export function constructorBody(cx: FunctionScope, cls: TS.ClassDeclaration, fnNode: TS.ConstructorDeclaration | undefined, self: string, params: string[], stmts: Stmt[]): void {
  const { ts, K } = cx;
  const body = fnNode?.body?.statements ?? [];
  const extendsClause = cls.heritageClauses?.find((h) => h.token === K.ExtendsKeyword)?.types[0];
  if (!extendsClause) {
    stmts.push({ k: "assign", name: self, e: { k: "call", callee: { k: "free", path: "Object.create" }, args: [{ k: "free", path: `${cls.name!.text}.prototype` }] }, decl: true });
    initialisers(cx, cls, fnNode, self, stmts);
    stmts.push(...block(cx, body));
  } else if (!fnNode) {
    // the implicit constructor: super(...arguments)
    stmts.push(superCall(cx, cls, extendsClause, self, params.map((name) => ({ k: "var", name }))));
    initialisers(cx, cls, fnNode, self, stmts);
  } else {
    const at = body.findIndex((s) => ts.isExpressionStatement(s) && ts.isCallExpression(s.expression) && s.expression.expression.kind === K.SuperKeyword);
    // a super(...) inside a block or an expression reaches lowering as `super` and is reported there
    stmts.push(...block(cx, body.slice(0, Math.max(at, 0))));
    if (at >= 0) {
      const call = (body[at] as TS.ExpressionStatement).expression as TS.CallExpression;
      const pre: Stmt[] = [];
      const args = inOrder(cx, call.arguments, pre);
      stmts.push(...pre, cx.at(call, superCall(cx, cls, extendsClause, self, args)));
      initialisers(cx, cls, fnNode, self, stmts);
    }
    stmts.push(...block(cx, body.slice(at + 1)));
  }
  stmts.push({ k: "return", e: { k: "var", name: self } });
}

/** `self = super(args)`: the base's constructor run with the derived class as `new.target`. */
function superCall(cx: FunctionScope, cls: TS.ClassDeclaration, base: TS.ExpressionWithTypeArguments, self: string, args: Expr[]): Stmt {
  const { ts } = cx;
  const baseCls = baseClassOf(ts, cx.checker, cls);
  const basePath = cx.freePath(base.expression);
  if (!baseCls || basePath === undefined) cx.fail(base, "unsupported", "a class that extends a class whose source is not in this program");
  const ctor = ownConstructor(ts, baseCls!) ?? baseCls!;
  cx.onCallee(keyOf(ctor), ctor);
  const fn: FnRef = { key: keyOf(ctor), name: basePath!, arity: constructorParameters(ts, cx.checker, baseCls!).length, kind: "constructor" };
  return { k: "assign", name: self, e: { k: "new", callee: { k: "free", path: basePath! }, args, fn, newTarget: cls.name!.text }, decl: true };
}

/**
 * Field initialisers and parameter properties, each in declaration order; which group goes first
 * follows the compiler options, as the real constructor does (ClassHierarchy.fieldsFirst).
 */
function initialisers(cx: FunctionScope, cls: TS.ClassDeclaration, fnNode: TS.ConstructorDeclaration | undefined, self: string, stmts: Stmt[]): void {
  const { ts } = cx;
  const fields: Stmt[] = [];
  for (const m of cls.members) {
    if (ts.isPropertyDeclaration(m) && !(ts.getCombinedModifierFlags(m) & ts.ModifierFlags.Static) && m.initializer) {
      if (!ts.isIdentifier(m.name)) cx.fail(m.name, "unsupported", "a computed field name");
      const pre: Stmt[] = [];
      const e = cx.expr(m.initializer, pre);
      fields.push(...pre, cx.at(m, { k: "store", target: { k: "prop", obj: { k: "var", name: self }, name: (m.name as TS.Identifier).text }, e }));
    }
  }
  const parameters: Stmt[] = [];
  for (const p of fnNode?.parameters ?? []) {
    if (ts.getCombinedModifierFlags(p) & (ts.ModifierFlags.ParameterPropertyModifier) && ts.isIdentifier(p.name))
      parameters.push(cx.at(p, { k: "store", target: { k: "prop", obj: { k: "var", name: self }, name: p.name.text }, e: { k: "var", name: cx.localName(p.name)! } }));
  }
  stmts.push(...(cx.classes.fieldsFirst ? [...fields, ...parameters] : [...parameters, ...fields]));
}
