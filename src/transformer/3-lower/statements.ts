// Statements → IR statements: declarations, assignments as statements, `if`, the loops (`for…of`
// becomes an indexed loop), `switch` (an entry index and one `if` per clause), labels, `return`
// (which leaves an inlined function's block when one is being inlined). Control flow stays as
// written here; structurize.ts removes break/continue/return afterwards.
import type * as TS from "typescript";
import type { Expr, Stmt } from "../ir/ir.js";
import { NUM } from "../ir/ir.js";
import { update } from "./assignments.js";
import { destructure } from "./patterns.js";
import type { FunctionScope } from "./scope.js";

type Pre = Stmt[];

export function block(cx: FunctionScope, stmts: readonly TS.Statement[]): Stmt[] {
  const out: Stmt[] = [];
  for (const s of stmts) statement(cx, s, out);
  return out;
}

function body(cx: FunctionScope, s: TS.Statement): Stmt[] {
  return cx.ts.isBlock(s) ? block(cx, s.statements) : block(cx, [s]);
}

/** Registers a local function declaration, to be inlined where it is called. */
export function registerLocalFunction(cx: FunctionScope, s: TS.FunctionDeclaration): boolean {
  const sym = s.name && s.body && cx.checker.getSymbolAtLocation(s.name);
  if (!sym) return false;
  cx.localFunctions.set(sym, s);
  return true;
}

function varDecls(cx: FunctionScope, list: TS.VariableDeclarationList, out: Stmt[]): void {
  const { ts } = cx;
  for (const d of list.declarations) {
    const init0 = d.initializer && cx.unwrap(d.initializer);
    if (init0 && (ts.isArrowFunction(init0) || ts.isFunctionExpression(init0)) && ts.isIdentifier(d.name) && list.flags & ts.NodeFlags.Const) {
      const sym = cx.checker.getSymbolAtLocation(d.name);
      if (sym) { cx.localFunctions.set(sym, init0); continue; }
    }
    if (!ts.isIdentifier(d.name)) {
      const pre: Pre = [];
      if (!d.initializer) cx.fail(d, "destructuring");
      const value = cx.expr(d.initializer!, pre);
      out.push(...pre);
      destructure(cx, d.name, value, cx.typeAt(d.initializer!), out, d);
      continue;
    }
    const pre: Pre = [];
    const init: Expr = d.initializer ? cx.expr(d.initializer, pre) : { k: "lit", text: "undefined" };
    out.push(...pre);
    const name = cx.declare(d.name as TS.Identifier, cx.typeAt(d.name));
    out.push(cx.at(d, { k: "assign", name, e: init, decl: true }));
  }
}

function simpleStatement(cx: FunctionScope, e: TS.Expression, out: Stmt[], node: TS.Node): void {
  const { ts, K } = cx;
  const pre: Pre = [];
  const u = cx.unwrap(e);
  // `i++, j--` (a for loop's update): each side is a statement of its own
  if (ts.isBinaryExpression(u) && u.operatorToken.kind === K.CommaToken) {
    simpleStatement(cx, u.left, out, u.left);
    simpleStatement(cx, u.right, out, u.right);
    return;
  }
  // statement-level ++/-- and assignments need no temporary for their value
  if ((ts.isPostfixUnaryExpression(u) || ts.isPrefixUnaryExpression(u)) && (u.operator === K.PlusPlusToken || u.operator === K.MinusMinusToken)) {
    const op = u.operator === K.PlusPlusToken ? "+" : "-";
    update(cx, u.operand, (old) => ({ k: "bin", op, a: old, b: { k: "num", v: 1 } }), node, out);
    return;
  }
  const value = cx.expr(e, pre);
  out.push(...pre);
  // what is left after hoisting is a pure read: nothing to evaluate for its effects
  const pure = value.k === "var" || value.k === "lit" || value.k === "num" || value.k === "prop" || value.k === "index";
  if (!(pure && pre.length > 0)) out.push(cx.at(node, { k: "expr", e: value }));
}

function statement(cx: FunctionScope, s: TS.Statement, out: Stmt[], label?: string): void {
  const { ts } = cx;
  if (ts.isVariableStatement(s)) return varDecls(cx, s.declarationList, out);
  if (ts.isExpressionStatement(s)) return simpleStatement(cx, s.expression, out, s);
  if (ts.isReturnStatement(s)) {
    const pre: Pre = [];
    const e = s.expression ? cx.expr(s.expression, pre) : undefined;
    if (cx.returnTarget) {
      out.push(...pre, cx.at(s, { k: "assign", name: cx.returnTarget.result, e: e ?? { k: "lit", text: "undefined" } }), { k: "break", label: cx.returnTarget.label });
      return;
    }
    out.push(...pre, cx.at(s, { k: "return", e }));
    return;
  }
  if (ts.isIfStatement(s)) {
    const pre: Pre = [];
    const c = cx.expr(s.expression, pre);
    out.push(...pre, cx.at(s, { k: "if", c, then: body(cx, s.thenStatement), else: s.elseStatement ? body(cx, s.elseStatement) : [] }));
    return;
  }
  if (ts.isBlock(s)) { out.push(...block(cx, s.statements)); return; }
  if (ts.isForStatement(s)) {
    const init: Stmt[] = [];
    if (s.initializer) {
      if (ts.isVariableDeclarationList(s.initializer)) varDecls(cx, s.initializer, init);
      else simpleStatement(cx, s.initializer, init, s.initializer);
    }
    const pre: Pre = [];
    const c = s.condition ? cx.expr(s.condition, pre) : null;
    const step: Stmt[] = [];
    if (s.incrementor) simpleStatement(cx, s.incrementor, step, s.incrementor);
    out.push(...init, cx.at(s, { k: "loop", pre, c, body: body(cx, s.statement), update: step, testAfter: false, label }));
    return;
  }
  if (ts.isWhileStatement(s)) {
    const pre: Pre = [];
    const c = cx.expr(s.expression, pre);
    out.push(cx.at(s, { k: "loop", pre, c, body: body(cx, s.statement), update: [], testAfter: false, label }));
    return;
  }
  if (ts.isDoStatement(s)) {
    const pre: Pre = [];
    const c = cx.expr(s.expression, pre);
    out.push(cx.at(s, { k: "loop", pre, c, body: body(cx, s.statement), update: [], testAfter: true, label }));
    return;
  }
  if (ts.isForOfStatement(s)) return forOf(cx, s, out, label);
  if (ts.isSwitchStatement(s)) return switchStatement(cx, s, out, label);
  if (ts.isBreakStatement(s)) { out.push(cx.at(s, { k: "break", label: s.label?.text })); return; }
  if (ts.isContinueStatement(s)) { out.push(cx.at(s, { k: "continue", label: s.label?.text })); return; }
  if (ts.isLabeledStatement(s)) {
    const inner = s.statement;
    if (ts.isForStatement(inner) || ts.isWhileStatement(inner) || ts.isDoStatement(inner) || ts.isForOfStatement(inner) || ts.isSwitchStatement(inner))
      return statement(cx, inner, out, s.label.text);
    out.push(cx.at(s, { k: "block", body: body(cx, inner), label: s.label.text, isSwitch: false }));
    return;
  }
  if (ts.isEmptyStatement(s) || ts.isTypeAliasDeclaration(s) || ts.isInterfaceDeclaration(s)) return;
  if (ts.isThrowStatement(s)) {
    const pre: Pre = [];
    const e = cx.expr(s.expression, pre);
    out.push(...pre, cx.at(s, { k: "throw", e }));
    return;
  }
  if (ts.isTryStatement(s)) return cx.fail(s, "tryCatch");
  if (ts.isFunctionDeclaration(s)) {
    if (!registerLocalFunction(cx, s)) return cx.fail(s, "nestedFunction", s.name?.text ?? "function");
    return;
  }
  if (ts.isForInStatement(s)) return cx.fail(s, "unsupported", "for…in");
  if (ts.isWithStatement(s)) return cx.fail(s, "unsupported", "with");
  return cx.fail(s, "unsupported", `this statement (${ts.SyntaxKind[s.kind]})`);
}

/** `for (const x of xs)` → an indexed loop over `xs` (evaluated once); `xs.entries()` → the same, with the index. */
function forOf(cx: FunctionScope, s: TS.ForOfStatement, out: Stmt[], label?: string): void {
  const { ts } = cx;
  if (s.awaitModifier) cx.fail(s, "async");
  const pre: Pre = [];
  const entriesOf = arrayEntriesReceiver(cx, s.expression);
  let seq = cx.expr(entriesOf ?? s.expression, pre);
  out.push(...pre);
  if (seq.k !== "var") {
    const t = cx.temp("items", cx.typeAt(entriesOf ?? s.expression));
    out.push({ k: "assign", name: t, e: seq });
    seq = { k: "var", name: t };
  }
  const index = cx.temp("index", NUM);
  out.push({ k: "assign", name: index, e: { k: "num", v: 0 }, decl: true });
  const item: Stmt[] = [];
  const value: Expr = { k: "index", obj: seq, index: { k: "var", name: index } };
  const element: Expr = entriesOf ? { k: "array", elems: [{ k: "var", name: index }, value] } : value;
  const decl = s.initializer;
  if (ts.isVariableDeclarationList(decl)) {
    const d = decl.declarations[0];
    const pair = entriesOf && simplePair(ts, d.name);
    // `[i, v]` binds the index and the element themselves, with no [i, xs[i]] array per iteration
    if (pair) pair.forEach((name, k) => { if (name) destructure(cx, name, k === 0 ? { k: "var", name: index } : value, cx.typeAt(name), item, d); });
    else destructure(cx, d.name, element, cx.typeAt(d.name), item, d);
  } else {
    update(cx, decl, () => element, decl, item);
  }
  out.push(cx.at(s, {
    k: "loop", pre: [], c: { k: "bin", op: "<", a: { k: "var", name: index }, b: { k: "prop", obj: seq, name: "length" } },
    body: [...item, ...body(cx, s.statement)],
    update: [{ k: "assign", name: index, e: { k: "bin", op: "+", a: { k: "var", name: index }, b: { k: "num", v: 1 } } }],
    testAfter: false, label,
  }));
}

/** `xs` of `xs.entries()` when xs is an array, a tuple or a typed array. */
function arrayEntriesReceiver(cx: FunctionScope, e: TS.Expression): TS.Expression | undefined {
  const { ts } = cx;
  const call = cx.unwrap(e);
  if (!ts.isCallExpression(call) || call.arguments.length > 0 || call.questionDotToken) return undefined;
  const callee = cx.unwrap(call.expression);
  if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== "entries" || callee.questionDotToken) return undefined;
  const t = cx.typeAt(callee.expression);
  return t.k === "array" || t.k === "tuple" || t.k === "typed" ? callee.expression : undefined;
}

/** The names of `[i, v]` (either may be left out or itself a pattern), when it has no defaults or rest. */
function simplePair(ts: FunctionScope["ts"], name: TS.BindingName): (TS.BindingName | undefined)[] | undefined {
  if (!ts.isArrayBindingPattern(name) || name.elements.length > 2) return undefined;
  const names = name.elements.map((el) => (ts.isOmittedExpression(el) ? undefined : el.dotDotDotToken || el.initializer ? null : el.name));
  return names.includes(null) ? undefined : (names as (TS.BindingName | undefined)[]);
}

function switchStatement(cx: FunctionScope, s: TS.SwitchStatement, out: Stmt[], label?: string): void {
  const { ts } = cx;
  // switch → entry index, then `if (entry <= k)` per clause: fall-through comes for free
  const pre: Pre = [];
  const d = cx.expr(s.expression, pre);
  out.push(...pre);
  const disc = cx.temp("switched", cx.typeAt(s.expression));
  const entry = cx.temp("entry", NUM);
  const clauses = s.caseBlock.clauses;
  const defaultIndex = clauses.findIndex((c) => ts.isDefaultClause(c));
  let pick: Expr = { k: "num", v: defaultIndex >= 0 ? defaultIndex : clauses.length };
  for (let i = clauses.length - 1; i >= 0; i--) {
    const c = clauses[i];
    if (!ts.isCaseClause(c)) continue;
    const casePre: Pre = [];
    const value = cx.expr(c.expression, casePre);
    if (casePre.length > 0) cx.fail(c.expression, "unsupported", "a call in a case label");
    pick = { k: "cond", c: { k: "bin", op: "===", a: { k: "var", name: disc }, b: value }, a: { k: "num", v: i }, b: pick };
  }
  const inner: Stmt[] = [{ k: "assign", name: disc, e: d }, { k: "assign", name: entry, e: pick }];
  clauses.forEach((c, i) => {
    const stmts = block(cx, c.statements);
    if (stmts.length > 0) inner.push({ k: "if", c: { k: "bin", op: "<=", a: { k: "var", name: entry }, b: { k: "num", v: i } }, then: stmts, else: [] });
  });
  out.push(cx.at(s, { k: "block", body: inner, label, isSwitch: true }));
}
