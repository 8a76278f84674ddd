// Expressions → IR expressions. Work that must not be repeated by the adjoint sweep (calls, `++`,
// getters, `new`) is hoisted into `pre`, statements that run before the expression; value-producing
// `&&`/`||`/`??`/`?:`/`?.` whose operands hoisted anything become `if` statements. Every construct
// this does not know is rejected here, at its own position.
import type * as TS from "typescript";
import type { Expr, Stmt, VType } from "../ir/ir.js";
import { NUM } from "../ir/ir.js";
import { mayReturnReference, resolveCallee } from "../2-resolve/resolve.js";
import { lowerSpreadArray } from "./arrays.js";
import { asLocal } from "./context.js";
import { assignment, update } from "./assignments.js";
import { callExpr } from "./calls.js";
import { inOrder } from "./evaluation-order.js";
import { newExpression, objectLiteral } from "./objects.js";
import { operatorTables } from "./operators.js";
import { type FunctionScope, safeBase } from "./scope.js";

type Pre = Stmt[];

export function expr(cx: FunctionScope, n: TS.Expression, pre: Pre): Expr {
  const { ts, K } = cx;
  n = cx.unwrap(n);
  if (ts.isNumericLiteral(n)) return { k: "num", v: Number(n.text) };
  if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) return { k: "lit", text: JSON.stringify(n.text) };
  if (n.kind === K.TrueKeyword) return { k: "lit", text: "true" };
  if (n.kind === K.FalseKeyword) return { k: "lit", text: "false" };
  if (n.kind === K.NullKeyword) return { k: "lit", text: "null" };
  if (n.kind === K.ThisKeyword) {
    if (!cx.self) return cx.fail(n, "unsupported", "`this` outside a method of a class");
    return { k: "var", name: cx.self };
  }
  if (n.kind === K.SuperKeyword) return cx.fail(n, "unsupported", "`super`");
  if (ts.isIdentifier(n)) {
    const l = cx.localName(n);
    if (l !== undefined) return { k: "var", name: l };
    // eval and arguments see the function's own locals by name: the generated code has others
    if (n.text === "eval" || n.text === "arguments") return cx.fail(n, "unsupported", `\`${n.text}\``);
    if (n.text === "undefined") return { k: "lit", text: "undefined" };
    if (n.text === "NaN") return { k: "num", v: NaN };
    if (n.text === "Infinity") return { k: "num", v: Infinity };
    return { k: "free", path: cx.freePath(n)! };
  }
  if (ts.isBinaryExpression(n)) return binary(cx, n, pre);
  if (ts.isPrefixUnaryExpression(n)) {
    if (n.operator === K.PlusPlusToken || n.operator === K.MinusMinusToken) {
      const op = n.operator === K.PlusPlusToken ? "+" : "-";
      return update(cx, n.operand, (old) => ({ k: "bin", op, a: old, b: { k: "num", v: 1 } }), n, pre);
    }
    const op = ({ [K.MinusToken]: "-", [K.PlusToken]: "+", [K.ExclamationToken]: "!", [K.TildeToken]: "~" } as Record<number, "-" | "+" | "!" | "~">)[n.operator];
    const a = expr(cx, n.operand, pre);
    if (op === "-" && a.k === "num") return { k: "num", v: -a.v };
    return { k: "un", op, a };
  }
  if (ts.isPostfixUnaryExpression(n)) {
    const old = cx.temp("old", NUM);
    const op = n.operator === K.PlusPlusToken ? "+" : "-";
    update(cx, n.operand, (current) => { pre.push({ k: "assign", name: old, e: current }); return { k: "bin", op, a: { k: "var", name: old }, b: { k: "num", v: 1 } }; }, n, pre);
    return { k: "var", name: old };
  }
  if (ts.isTypeOfExpression(n)) return { k: "un", op: "typeof", a: expr(cx, n.expression, pre) };
  if (ts.isVoidExpression(n)) { expr(cx, n.expression, pre); return { k: "lit", text: "undefined" }; }
  if (ts.isConditionalExpression(n)) return conditional(cx, n, n.condition, n.whenTrue, n.whenFalse, pre);
  if (ts.isCallExpression(n)) return callExpr(cx, n, pre);
  if (ts.isElementAccessExpression(n)) {
    const [obj, index] = inOrder(cx, [n.expression, n.argumentExpression], pre);
    if (n.questionDotToken) return optional(cx, n, n.expression, obj, (o) => ({ k: "index", obj: o, index }), pre);
    return { k: "index", obj, index };
  }
  if (ts.isPropertyAccessExpression(n)) return propertyAccess(cx, n, pre);
  if (ts.isArrayLiteralExpression(n)) {
    if (n.elements.some(ts.isSpreadElement)) return lowerSpreadArray(cx, n, pre);
    return { k: "array", elems: inOrder(cx, n.elements, pre) };
  }
  if (ts.isObjectLiteralExpression(n)) return objectLiteral(cx, n, pre);
  if (ts.isNewExpression(n)) return newExpression(cx, n, pre);
  if (ts.isArrowFunction(n) || ts.isFunctionExpression(n)) return cx.fail(n, "closure");
  if (ts.isTemplateExpression(n)) return cx.fail(n, "unsupported", "a template string");
  return cx.fail(n, "unsupported", `this expression (${ts.SyntaxKind[n.kind]})`);
}

/** `o.f`: a field read, a name from outside (`Math.PI`, `config.rate`), or a getter call. */
function propertyAccess(cx: FunctionScope, n: TS.PropertyAccessExpression, pre: Pre): Expr {
  const { ts } = cx;
  // the derivative is declared outside the class body, where `#private` names do not exist
  if (ts.isPrivateIdentifier(n.name)) cx.fail(n, "unsupported", "a #private field (derivatives live outside the class body; use a TypeScript `private` field)");
  if (cx.isGlobalMath(n.expression)) return { k: "free", path: `Math.${n.name.text}` };
  const path = cx.freePath(n);
  if (path !== undefined && !n.questionDotToken) return { k: "free", path };
  const obj = expr(cx, n.expression, pre);
  const member = resolveCallee(ts, cx.checker, n);
  if (member.kind === "union-member") cx.fail(n, "unionMember", member.name, member.owners.join(", "));
  if (member.kind === "getter") {
    cx.ensureNotOverridden(n, member.node);
    cx.onCallee(member.key, member.node);
    const t = cx.temp(safeBase(n.name.text), cx.typeAt(n));
    pre.push(cx.at(n, { k: "assign", name: t, e: { k: "call", callee: { k: "prop", obj, name: n.name.text }, args: [], receiver: obj, getter: true, fn: { key: member.key, name: member.name, arity: 1, kind: "getter", sharesArgs: mayReturnReference(ts, cx.checker, member.node) } } }));
    return { k: "var", name: t };
  }
  if (n.questionDotToken) return optional(cx, n, n.expression, obj, (o) => ({ k: "prop", obj: o, name: n.name.text }), pre);
  return { k: "prop", obj, name: n.name.text };
}

function binary(cx: FunctionScope, n: TS.BinaryExpression, pre: Pre): Expr {
  const { K } = cx;
  const { BIN, COMPOUND } = operatorTables(cx.ts);
  const op = n.operatorToken.kind;
  if (op === K.EqualsToken || COMPOUND[op] !== undefined) return assignment(cx, n, pre);
  if (op === K.CommaToken) {
    // `(a, b)`: a for its effects (what it hoisted, or the call left in it), then b's value
    const left = expr(cx, n.left, pre);
    if (!["var", "lit", "num", "free", "prop", "index"].includes(left.k)) pre.push(cx.at(n.left, { k: "expr", e: left }));
    return expr(cx, n.right, pre);
  }
  if (op === K.AmpersandAmpersandToken || op === K.BarBarToken || op === K.QuestionQuestionToken) {
    const a = expr(cx, n.left, pre);
    // value-producing logic over numbers: `a || b` is `a ? a : b`; the right side runs only when needed
    const test: Expr = op === K.QuestionQuestionToken
      ? { k: "bin", op: "!=", a, b: { k: "lit", text: "null" } }
      : a;
    const bPre: Pre = [];
    const b = expr(cx, n.right, bPre);
    const type = cx.typeAt(n);
    // only a value with no numbers stays an operator: an array or record picked by `p.opt ?? q`
    // needs its shadow picked with it (as `??` its gradient was dropped, silently)
    if (bPre.length === 0 && type.k === "none") return { k: "bin", op: op === K.AmpersandAmpersandToken ? "&&" : op === K.BarBarToken ? "||" : "??", a, b };
    const [whenTrue, whenFalse] = op === K.AmpersandAmpersandToken ? [b, a] : [a, b];
    const [preT, preF] = op === K.AmpersandAmpersandToken ? [bPre, []] : [[], bPre];
    return select(cx, n, test, whenTrue, preT, whenFalse, preF, pre, type);
  }
  const name = BIN[op];
  if (!name) return cx.fail(n, "unsupported", `the operator ${n.operatorToken.getText()}`);
  const [a, b] = inOrder(cx, [n.left, n.right], pre);
  return { k: "bin", op: name as never, a, b };
}

function conditional(cx: FunctionScope, n: TS.Expression, c: TS.Expression, t: TS.Expression, f: TS.Expression, pre: Pre): Expr {
  const test = expr(cx, c, pre);
  const preT: Pre = [], preF: Pre = [];
  const a = expr(cx, t, preT), b = expr(cx, f, preF);
  return select(cx, n, test, a, preT, b, preF, pre, cx.typeAt(n));
}

/** `test ? a : b`, as an expression when neither side has hoisted work, else as an `if`. */
function select(cx: FunctionScope, n: TS.Node, test: Expr, a: Expr, preA: Pre, b: Expr, preB: Pre, pre: Pre, type: VType): Expr {
  // numbers stay expressions; arrays and records need their shadow chosen too, so they become `if`
  if (preA.length === 0 && preB.length === 0 && (type.k === "num" || type.k === "none")) return { k: "cond", c: test, a, b };
  const t = cx.temp("picked", type);
  pre.push(cx.at(n, { k: "if", c: test, then: [...preA, { k: "assign", name: t, e: a, decl: true }], else: [...preB, { k: "assign", name: t, e: b, decl: true }] }));
  return { k: "var", name: t };
}

/** `a?.b`: undefined when `a` is null or undefined */
function optional(cx: FunctionScope, n: TS.Node, objNode: TS.Expression, obj: Expr, access: (o: Expr) => Expr, pre: Pre): Expr {
  // the object's own type (null/undefined stripped): `unknown` made every active `a.b?.c` BP1017
  const o = asLocal(cx, obj, cx.typeAt(objNode), pre, "maybe");
  return select(cx, n, { k: "bin", op: "==", a: o, b: { k: "lit", text: "null" } }, { k: "lit", text: "undefined" }, [], access(o), [], pre, cx.typeAt(n));
}
