// TypeScript source (what print.ts writes, e.g. a regression file) → the fuzzer's AST, so kept
// reproducers can be re-checked with forward mode. Throws on anything outside that subset.
import ts from "typescript";
import type { Arg, AssignOp, BExpr, CmpOp, Expr, Fn, NumOp, Param, Program, Stmt } from "./ast.js";

export function parseProgram(text: string, id = "file"): Program {
  const sf = ts.createSourceFile("program.ts", text, ts.ScriptTarget.ES2022, true);
  const fns: Fn[] = [];
  for (const s of sf.statements) {
    if (ts.isImportDeclaration(s)) continue;
    if (!ts.isFunctionDeclaration(s) || !s.name || !s.body) throw err(s, "expected a function declaration");
    fns.push(parseFn(s));
  }
  const main = fns.find((f) => f.name === "main");
  if (!main) throw new Error("no function named main");
  // depth arguments written as `3` or `xs.length` are trip counts
  const byName = new Map(fns.map((f) => [f.name, f]));
  const fix = (x: unknown): void => {
    if (!x || typeof x !== "object") return;
    if (Array.isArray(x)) { x.forEach(fix); return; }
    const o = x as Record<string, unknown>;
    if (o.k === "call") {
      const callee = byName.get(o.fn as string);
      const args = o.args as Arg[];
      callee?.params.forEach((prm, i) => {
        const a = args[i];
        if (prm.name !== callee.depth || !a) return;
        if (a.k === "num") args[i] = { k: "trip", form: "const", max: a.v };
        else if (a.k === "len") args[i] = { k: "trip", form: "len", max: 4, arr: a.arr };
      });
    }
    Object.values(o).forEach(fix);
  };
  fix(fns);
  // `// point: [...]` comment lines: arguments to check first
  const points = [...text.matchAll(/^\/\/ point: (.*)$/gm)].map((m) => JSON.parse(m[1]!) as (number | number[])[]);
  return { id, helpers: fns.filter((f) => f !== main), main, ...(points.length ? { points } : {}) };
}

function err(n: ts.Node, what: string): Error {
  const sf = n.getSourceFile();
  const { line, character } = sf.getLineAndCharacterOfPosition(n.getStart(sf));
  return new Error(`${line + 1}:${character + 1}: ${what}: ${n.getText(sf).slice(0, 80)}`);
}

const unparen = (e: ts.Expression): ts.Expression => (ts.isParenthesizedExpression(e) ? unparen(e.expression) : e);

function parseFn(d: ts.FunctionDeclaration): Fn {
  const params: Param[] = d.parameters.map((p) => {
    const type = p.type?.getText();
    if (!ts.isIdentifier(p.name) || (type !== "number" && type !== "number[]")) throw err(p, "parameter");
    return { name: p.name.text, type };
  });
  const arrays = new Set(params.filter((p) => p.type === "number[]").map((p) => p.name));
  const name = d.name!.text;
  const body = stmts(d.body!.statements, arrays);
  const fn: Fn = { name, params, body };
  // a recursion guard `if (!(n >= 1)) return …` first marks n as the depth parameter
  const first = body[0];
  if (first?.k === "if" && first.c.k === "not" && first.c.a.k === "cmp" && first.c.a.op === ">=" && first.c.a.a.k === "var") {
    const n = first.c.a.a.name;
    if (params.some((p) => p.name === n) && new RegExp(`\\b${name}\\(`).test(d.body!.getText())) fn.depth = n;
  }
  // inside a recursive function, its own depth argument stays `n - 1`; elsewhere it is a trip count
  return fn;
}

function stmts(list: readonly ts.Statement[], arrays: Set<string>): Stmt[] {
  const out: Stmt[] = [];
  for (let i = 0; i < list.length; i++) {
    const s = list[i]!;
    // `let k = 0;` + a while/do loop counting k: one loop node
    const next = list[i + 1];
    if (ts.isVariableStatement(s) && next) {
      const loop = counterLoop(s, next, arrays);
      if (loop) { out.push(loop); i++; continue; }
    }
    out.push(stmt(s, arrays));
  }
  return out;
}

function counterLoop(decl: ts.VariableStatement, next: ts.Statement, arrays: Set<string>): Stmt | undefined {
  const d = decl.declarationList.declarations[0]!;
  if (decl.declarationList.declarations.length !== 1 || !ts.isIdentifier(d.name) || !d.initializer || d.initializer.getText() !== "0") return undefined;
  const v = d.name.text;
  let label: string | undefined;
  let loop: ts.Statement = next;
  if (ts.isLabeledStatement(loop)) { label = loop.label.text; loop = loop.statement; }
  if (!ts.isWhileStatement(loop) && !ts.isDoStatement(loop)) return undefined;
  const body = ts.isBlock(loop.statement) ? loop.statement.statements : [loop.statement];
  const head = body[0];
  if (!head || head.getText() !== `${v}++;`) return undefined;
  let test = unparen(loop.expression);
  let extra: BExpr | undefined;
  if (ts.isBinaryExpression(test) && test.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) {
    extra = bexpr(test.right, arrays);
    test = unparen(test.left);
  }
  if (!ts.isBinaryExpression(test) || test.operatorToken.kind !== ts.SyntaxKind.LessThanToken || unparen(test.left).getText() !== v) return undefined;
  return { k: ts.isWhileStatement(loop) ? "while" : "do", label, v, bound: trip(test.right, arrays), extra, body: stmts(body.slice(1), arrays) };
}

function block(s: ts.Statement, arrays: Set<string>): Stmt[] {
  return ts.isBlock(s) ? stmts(s.statements, arrays) : stmts([s], arrays);
}

const ASSIGN: Partial<Record<ts.SyntaxKind, AssignOp>> = {
  [ts.SyntaxKind.EqualsToken]: "=", [ts.SyntaxKind.PlusEqualsToken]: "+=", [ts.SyntaxKind.MinusEqualsToken]: "-=",
  [ts.SyntaxKind.AsteriskEqualsToken]: "*=", [ts.SyntaxKind.SlashEqualsToken]: "/=", [ts.SyntaxKind.PercentEqualsToken]: "%=",
};

function stmt(s: ts.Statement, arrays: Set<string>): Stmt {
  let label: string | undefined;
  if (ts.isLabeledStatement(s)) { label = s.label.text; s = s.statement; }
  if (ts.isVariableStatement(s)) {
    const d = s.declarationList.declarations[0]!;
    if (!ts.isIdentifier(d.name) || !d.initializer) throw err(s, "declaration");
    return { k: "let", name: d.name.text, konst: (s.declarationList.flags & ts.NodeFlags.Const) !== 0, init: expr(d.initializer, arrays) };
  }
  if (ts.isExpressionStatement(s)) {
    const e = unparen(s.expression);
    if (ts.isBinaryExpression(e) && ASSIGN[e.operatorToken.kind] && ts.isIdentifier(e.left))
      return { k: "assign", name: e.left.text, op: ASSIGN[e.operatorToken.kind]!, e: expr(e.right, arrays) };
    if ((ts.isPostfixUnaryExpression(e) || ts.isPrefixUnaryExpression(e)) && ts.isIdentifier(e.operand) &&
      (e.operator === ts.SyntaxKind.PlusPlusToken || e.operator === ts.SyntaxKind.MinusMinusToken))
      return { k: "inc", name: e.operand.text, op: e.operator === ts.SyntaxKind.PlusPlusToken ? "++" : "--", prefix: ts.isPrefixUnaryExpression(e) };
    throw err(s, "expression statement");
  }
  if (ts.isReturnStatement(s) && s.expression) return { k: "return", e: expr(s.expression, arrays) };
  if (ts.isBreakStatement(s)) return { k: "break", label: s.label?.text };
  if (ts.isContinueStatement(s)) return { k: "continue", label: s.label?.text };
  if (ts.isIfStatement(s)) return { k: "if", c: bexpr(s.expression, arrays), then: block(s.thenStatement, arrays), else: s.elseStatement ? block(s.elseStatement, arrays) : null };
  if (ts.isForStatement(s)) {
    const init = s.initializer;
    if (!init || !ts.isVariableDeclarationList(init) || !s.condition || !s.incrementor) throw err(s, "for loop");
    const d = init.declarations[0]!;
    const v = (d.name as ts.Identifier).text;
    const down = s.incrementor.getText() === `${v}--`;
    let bound: Expr;
    if (down) {
      const from = unparen(d.initializer!);
      if (!ts.isBinaryExpression(from) || from.operatorToken.kind !== ts.SyntaxKind.MinusToken || from.right.getText() !== "1") throw err(s, "downward for loop");
      bound = trip(from.left, arrays);
    } else {
      const c = unparen(s.condition);
      if (!ts.isBinaryExpression(c) || c.operatorToken.kind !== ts.SyntaxKind.LessThanToken) throw err(s, "for loop test");
      bound = trip(c.right, arrays);
    }
    return { k: "for", label, v, bound, down, body: block(s.statement, arrays) };
  }
  if (ts.isSwitchStatement(s)) {
    return {
      k: "switch", label, disc: expr(s.expression, arrays),
      cases: s.caseBlock.clauses.map((c) => ({
        test: ts.isCaseClause(c) ? Number(unparen(c.expression).getText()) : null,
        body: c.statements.length === 1 && ts.isBlock(c.statements[0]!) ? block(c.statements[0]!, arrays) : stmts(c.statements, arrays),
      })),
    };
  }
  throw err(s, "statement");
}

/** a loop bound / recursion depth: the trip-count forms print.ts writes, else an error */
function trip(e: ts.Expression, arrays: Set<string>): Expr {
  e = unparen(e);
  if (ts.isNumericLiteral(e)) return { k: "trip", form: "const", max: Number(e.text) };
  if (ts.isPropertyAccessExpression(e) && e.name.text === "length" && ts.isIdentifier(e.expression)) return { k: "trip", form: "len", max: 4, arr: e.expression.text };
  const m = mathCall(e);
  if (m?.fn === "min" && m.args.length === 2 && ts.isNumericLiteral(unparen(m.args[0]!))) {
    const inner = mathCall(unparen(m.args[1]!));
    const abs = inner && inner.args.length === 1 ? mathCall(unparen(inner.args[0]!)) : undefined;
    if (inner && (inner.fn === "floor" || inner.fn === "round") && abs?.fn === "abs")
      return { k: "trip", form: inner.fn, max: Number(unparen(m.args[0]!).getText()), e: expr(abs.args[0]!, arrays) };
  }
  throw err(e, "trip count");
}

function mathCall(e: ts.Expression): { fn: string; args: readonly ts.Expression[] } | undefined {
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.expression.getText() === "Math")
    return { fn: e.expression.name.text, args: e.arguments };
  return undefined;
}

const NUMOPS: Partial<Record<ts.SyntaxKind, NumOp>> = {
  [ts.SyntaxKind.PlusToken]: "+", [ts.SyntaxKind.MinusToken]: "-", [ts.SyntaxKind.AsteriskToken]: "*",
  [ts.SyntaxKind.SlashToken]: "/", [ts.SyntaxKind.PercentToken]: "%", [ts.SyntaxKind.AsteriskAsteriskToken]: "**",
};
const CMPOPS: Partial<Record<ts.SyntaxKind, CmpOp>> = {
  [ts.SyntaxKind.LessThanToken]: "<", [ts.SyntaxKind.LessThanEqualsToken]: "<=", [ts.SyntaxKind.GreaterThanToken]: ">",
  [ts.SyntaxKind.GreaterThanEqualsToken]: ">=", [ts.SyntaxKind.EqualsEqualsEqualsToken]: "===", [ts.SyntaxKind.ExclamationEqualsEqualsToken]: "!==",
};

function expr(n: ts.Expression, arrays: Set<string>): Expr {
  const e = unparen(n);
  if (ts.isNumericLiteral(e)) return { k: "num", v: Number(e.text) };
  if (ts.isIdentifier(e)) return { k: "var", name: e.text };
  if (ts.isPrefixUnaryExpression(e)) {
    if (e.operator === ts.SyntaxKind.MinusToken) {
      const o = unparen(e.operand);
      if (ts.isNumericLiteral(o)) return { k: "num", v: -Number(o.text) };
      return { k: "neg", a: expr(o, arrays) };
    }
    if ((e.operator === ts.SyntaxKind.PlusPlusToken || e.operator === ts.SyntaxKind.MinusMinusToken) && ts.isIdentifier(e.operand))
      return { k: "inc", name: e.operand.text, op: e.operator === ts.SyntaxKind.PlusPlusToken ? "++" : "--", prefix: true };
  }
  if (ts.isPostfixUnaryExpression(e) && ts.isIdentifier(e.operand))
    return { k: "inc", name: e.operand.text, op: e.operator === ts.SyntaxKind.PlusPlusToken ? "++" : "--", prefix: false };
  if (ts.isPropertyAccessExpression(e) && e.name.text === "length" && ts.isIdentifier(e.expression)) return { k: "len", arr: e.expression.text };
  if (ts.isElementAccessExpression(e) && ts.isIdentifier(e.expression)) return { k: "idx", arr: e.expression.text, index: expr(e.argumentExpression, arrays) };
  if (ts.isBinaryExpression(e) && NUMOPS[e.operatorToken.kind]) return { k: "bin", op: NUMOPS[e.operatorToken.kind]!, a: expr(e.left, arrays), b: expr(e.right, arrays) };
  if (ts.isConditionalExpression(e)) return { k: "cond", c: bexpr(e.condition, arrays), a: expr(e.whenTrue, arrays), b: expr(e.whenFalse, arrays) };
  const m = mathCall(e);
  if (m) return { k: "math", fn: m.fn, args: m.args.map((a) => expr(a, arrays)) };
  if (ts.isCallExpression(e) && ts.isIdentifier(e.expression)) {
    const args: Arg[] = e.arguments.map((a) => {
      const u = unparen(a);
      if (ts.isIdentifier(u) && arrays.has(u.text)) return { k: "arr", name: u.text };
      return tryTrip(u, arrays) ?? expr(u, arrays);
    });
    return { k: "call", fn: e.expression.text, args };
  }
  throw err(e, "expression");
}

/** a call argument written as a trip count (a recursion depth) parses as one */
function tryTrip(e: ts.Expression, arrays: Set<string>): Expr | undefined {
  const m = mathCall(e);
  if (m?.fn !== "min") return undefined;
  try { return trip(e, arrays); } catch { return undefined; }
}

function bexpr(n: ts.Expression, arrays: Set<string>): BExpr {
  const e = unparen(n);
  if (e.kind === ts.SyntaxKind.TrueKeyword) return { k: "bool", v: true };
  if (e.kind === ts.SyntaxKind.FalseKeyword) return { k: "bool", v: false };
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) return { k: "not", a: bexpr(e.operand, arrays) };
  if (ts.isBinaryExpression(e)) {
    const k = e.operatorToken.kind;
    if (k === ts.SyntaxKind.AmpersandAmpersandToken) return { k: "and", a: bexpr(e.left, arrays), b: bexpr(e.right, arrays) };
    if (k === ts.SyntaxKind.BarBarToken) return { k: "or", a: bexpr(e.left, arrays), b: bexpr(e.right, arrays) };
    if (CMPOPS[k]) return { k: "cmp", op: CMPOPS[k]!, a: expr(e.left, arrays), b: expr(e.right, arrays) };
  }
  throw err(e, "condition");
}
