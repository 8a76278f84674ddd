// TypeScript source (what print.ts writes, e.g. a regression file) → the fuzzer's AST, so kept
// reproducers can be re-checked with forward mode. Throws on anything outside that subset.
import ts from "typescript";
import { chain, isCls, isRec, type Arg, type AssignOp, type BExpr, type Cls, type CmpOp, type Expr, type Fn, type Input, type NumOp, type Param, type Program, type RecType, type Rule, type Stmt, type Type, type VExpr } from "./ast.js";

/** what the parser knows about names that are not numbers: their types, helpers' record results */
class Env {
  types = new Map<string, Type>();
  constructor(readonly rets: Map<string, RecType>, readonly classes: Map<string, Cls>) {}
  child(): Env { const e = new Env(this.rets, this.classes); e.types = new Map(this.types); return e; }
  typeOf(path: string): Type | undefined {
    const [head, ...fields] = path.split(".");
    let t = this.types.get(head!);
    for (const f of fields) {
      if (!t) return undefined;
      if (isRec(t)) t = t.fields.find((x) => x.name === f)?.type;
      else if (isCls(t)) {
        // an array field or a getter returning one; any other member is a number
        const c = this.classes.get(t.cls);
        const arr = c && chain(this.classes, c).some((x) => x.arrs?.includes(f) || x.getters?.some((g) => g.name === f && g.arr));
        t = arr ? "number[]" : "number";
      }
      else return undefined;
    }
    return t;
  }
  /** a name or path of a value that is not a number */
  has(path: string): boolean { const t = this.typeOf(path); return t !== undefined && t !== "number"; }
}

export function parseProgram(text: string, id = "file"): Program {
  const sf = ts.createSourceFile("program.ts", text, ts.ScriptTarget.ES2022, true);
  const fns: Fn[] = [];
  const rules: Rule[] = [];
  const classes: Cls[] = [];
  const env = new Env(new Map(), new Map());
  for (const s of sf.statements) {
    if (ts.isImportDeclaration(s)) continue;
    if (ts.isVariableStatement(s)) { rules.push(parseRule(s)); continue; }
    if (ts.isClassDeclaration(s)) { const c = parseClass(s, env.classes); classes.push(c); env.classes.set(c.name, c); continue; }
    if (!ts.isFunctionDeclaration(s) || !s.name || !s.body) throw err(s, "expected a function declaration");
    const f = parseFn(s, env);
    if (f.ret) env.rets.set(f.name, f.ret);
    fns.push(f);
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
  const points = [...text.matchAll(/^\/\/ point: (.*)$/gm)].map((m) => JSON.parse(m[1]!) as Input[]);
  // `// long: x0`: array parameters sampled with 30–40 elements
  const long = [...text.matchAll(/^\/\/ long: (.*)$/gm)].flatMap((m) => m[1]!.split(",").map((x) => x.trim()));
  return {
    id,
    ...(rules.length ? { rules } : {}),
    ...(classes.length ? { classes } : {}),
    helpers: fns.filter((f) => f !== main),
    main,
    ...(points.length ? { points } : {}),
    ...(long.length ? { long } : {}),
  };
}

function parseType(t: ts.TypeNode | undefined): Type {
  if (!t) throw new Error("missing type");
  const text = t.getText();
  if (text === "number" || text === "number[]" || text === "Float64Array" || text === "Float32Array") return text;
  if (ts.isTypeLiteralNode(t)) {
    return { fields: t.members.map((m) => {
      if (!ts.isPropertySignature(m) || !ts.isIdentifier(m.name)) throw err(m, "record field");
      return { name: m.name.text, type: parseType(m.type) };
    }) };
  }
  if (ts.isTypeReferenceNode(t) && ts.isIdentifier(t.typeName)) return { cls: t.typeName.text };
  throw err(t, "type");
}

const NO_ENV = () => new Env(new Map(), new Map());

function arrowOf(e: ts.Expression | undefined): ts.ArrowFunction {
  const a = e && unparen(e);
  if (!a || !ts.isArrowFunction(a)) throw new Error("expected an arrow function");
  return a;
}
/** `dy * (P)` → P */
function dyTimes(e: ts.Expression): ts.Expression {
  const b = unparen(e);
  if (!ts.isBinaryExpression(b) || b.left.getText() !== "dy") throw err(e, "pullback entry");
  return b.right;
}

function parseRule(s: ts.VariableStatement): Rule {
  const d = s.declarationList.declarations[0]!;
  const call = d.initializer && unparen(d.initializer);
  if (!ts.isIdentifier(d.name) || !call || !ts.isCallExpression(call) || call.expression.getText() !== "withGradient") throw err(s, "expected a withGradient rule");
  const rule = arrowOf(call.arguments[0]);
  const params: Param[] = rule.parameters.map((p) => ({ name: (p.name as ts.Identifier).text, type: parseType(p.type) }));
  const ex = (e: ts.Expression) => expr(e, NO_ENV());
  if (!ts.isBlock(rule.body)) {
    const pair = unparen(rule.body);
    if (!ts.isArrayLiteralExpression(pair)) throw err(rule.body, "rule result");
    const pb = unparen(arrowOf(pair.elements[1]).body as ts.Expression);
    if (!ts.isArrayLiteralExpression(pb)) throw err(pb, "pullback result");
    return { name: d.name.text, params, value: ex(pair.elements[0]!), partials: pb.elements.map((x) => ex(dyTimes(x))) };
  }
  const loop = rule.body.statements[1];
  const ret = rule.body.statements[2];
  if (!loop || !ts.isForOfStatement(loop) || !ret || !ts.isReturnStatement(ret) || !ret.expression) throw err(rule.body, "sum rule");
  const w = ((loop.initializer as ts.VariableDeclarationList).declarations[0]!.name as ts.Identifier).text;
  const add = unparen((loop.statement as ts.ExpressionStatement).expression) as ts.BinaryExpression;
  const pair = unparen(ret.expression) as ts.ArrayLiteralExpression;
  const pb = unparen(arrowOf(pair.elements[1]).body as ts.Expression) as ts.ArrayLiteralExpression;
  const partials = pb.elements.map((x, i) => {
    // ws.map((w) => dy * P) / dy * ws.reduce((acc, w) => acc + P, 0)
    const call = unparen(i === 0 ? x : dyTimes(x)) as ts.CallExpression;
    const body = unparen(arrowOf(call.arguments[0]).body as ts.Expression) as ts.BinaryExpression;
    return ex(i === 0 ? dyTimes(body) : body.right);
  });
  return { name: d.name.text, params, value: ex(add.right), partials, sum: { w } };
}

function parseClass(s: ts.ClassDeclaration, classes: Map<string, Cls>): Cls {
  const c: Cls = { name: s.name!.text, ctor: [], extra: [], methods: [] };
  const ext = s.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
  if (ext) c.base = ext.expression.getText();
  const base = c.base ? classes.get(c.base) : undefined;
  if (c.base && !base) throw err(s, "base class declared later");
  // the arrays a constructor sees: its number[] parameters
  const ctorEnv = NO_ENV();
  for (const m of s.members) {
    if (ts.isPropertyDeclaration(m) && ts.isIdentifier(m.name) && m.initializer) {
      const v = expr(m.initializer, NO_ENV());
      if (v.k === "num") c.extra.push({ name: m.name.text, v: v.v });
      else (c.inits ??= []).push({ name: m.name.text, e: v });
    } else if (ts.isPropertyDeclaration(m) && ts.isIdentifier(m.name)) {
      (c.derived ??= []).push({ name: m.name.text, e: { k: "num", v: 0 } });
    } else if (ts.isConstructorDeclaration(m)) {
      for (const p of m.parameters) {
        const name = (p.name as ts.Identifier).text;
        const arr = p.type?.getText() === "number[]";
        if (arr) ctorEnv.types.set(name, "number[]");
        const prop = (ts.getCombinedModifierFlags(p) & ts.ModifierFlags.ParameterPropertyModifier) !== 0;
        if (!prop) (c.plain ??= []).push({ name, ...(arr ? { arr } : {}) });
        else if (arr) (c.arrs ??= []).push(name);
        else c.ctor.push(name);
      }
      for (const st of m.body?.statements ?? []) {
        const e = ts.isExpressionStatement(st) ? unparen(st.expression) : undefined;
        if (e && ts.isCallExpression(e) && e.expression.kind === ts.SyntaxKind.SuperKeyword) {
          c.superArgs = e.arguments.map((a) => argOf(a, ctorEnv));
          continue;
        }
        const set = e && ts.isBinaryExpression(e) ? e : undefined;
        const target = set && ts.isPropertyAccessExpression(set.left) ? set.left.name.text : undefined;
        const d = c.derived?.find((x) => x.name === target);
        if (!set || !d) throw err(st, "constructor statement");
        d.e = expr(set.right, NO_ENV());
      }
    }
    else if (ts.isMethodDeclaration(m) && ts.isIdentifier(m.name) && m.body) {
      const r = m.body.statements[0];
      if (!r || !ts.isReturnStatement(r) || !r.expression) throw err(m, "method body");
      c.methods.push({ name: m.name.text, params: m.parameters.map((p) => (p.name as ts.Identifier).text), body: expr(r.expression, NO_ENV()) });
    } else if (ts.isGetAccessorDeclaration(m) && ts.isIdentifier(m.name) && m.body) {
      const r = m.body.statements[0];
      if (!r || !ts.isReturnStatement(r) || !r.expression) throw err(m, "getter body");
      const path = pathOf(r.expression);
      const field = path?.startsWith("this.") ? path.slice(5) : undefined;
      const arr = field !== undefined && chain(classes, c).some((x) => x.arrs?.includes(field)) ? field : undefined;
      c.getters = [...(c.getters ?? []), arr ? { name: m.name.text, arr } : { name: m.name.text, body: expr(r.expression, NO_ENV()) }];
    } else throw err(m, "class member");
  }
  return c;
}

function err(n: ts.Node, what: string): Error {
  const sf = n.getSourceFile();
  const { line, character } = sf.getLineAndCharacterOfPosition(n.getStart(sf));
  return new Error(`${line + 1}:${character + 1}: ${what}: ${n.getText(sf).slice(0, 80)}`);
}

const unparen = (e: ts.Expression): ts.Expression => (ts.isParenthesizedExpression(e) ? unparen(e.expression) : e);

function parseFn(d: ts.FunctionDeclaration, outer: Env): Fn {
  const params: Param[] = d.parameters.map((p) => {
    if (!ts.isIdentifier(p.name)) throw err(p, "parameter");
    return { name: p.name.text, type: parseType(p.type), ...(p.initializer ? { def: Number(p.initializer.getText()) } : {}) };
  });
  const arrays = outer.child();
  for (const p of params) if (p.type !== "number") arrays.types.set(p.name, p.type);
  const name = d.name!.text;
  const body = stmts(d.body!.statements, arrays);
  const retType = d.type && d.type.getText() !== "number" ? parseType(d.type) : undefined;
  const fn: Fn = { name, params, body, ...(retType && isRec(retType) ? { ret: retType } : {}) };
  // a recursion guard `if (!(n >= 1)) return …` first marks n as the depth parameter
  const first = body[0];
  if (first?.k === "if" && first.c.k === "not" && first.c.a.k === "cmp" && first.c.a.op === ">=" && first.c.a.a.k === "var") {
    const n = first.c.a.a.name;
    if (params.some((p) => p.name === n) && new RegExp(`\\b${name}\\(`).test(d.body!.getText())) fn.depth = n;
  }
  // inside a recursive function, its own depth argument stays `n - 1`; elsewhere it is a trip count
  return fn;
}

function stmts(list: readonly ts.Statement[], arrays: Env): Stmt[] {
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

function counterLoop(decl: ts.VariableStatement, next: ts.Statement, arrays: Env): Stmt | undefined {
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

function block(s: ts.Statement, arrays: Env): Stmt[] {
  return ts.isBlock(s) ? stmts(s.statements, arrays) : stmts([s], arrays);
}

const ASSIGN: Partial<Record<ts.SyntaxKind, AssignOp>> = {
  [ts.SyntaxKind.EqualsToken]: "=", [ts.SyntaxKind.PlusEqualsToken]: "+=", [ts.SyntaxKind.MinusEqualsToken]: "-=",
  [ts.SyntaxKind.AsteriskEqualsToken]: "*=", [ts.SyntaxKind.SlashEqualsToken]: "/=", [ts.SyntaxKind.PercentEqualsToken]: "%=",
};

/** `a.b.c` / `this.u` as a path, or undefined */
function pathOf(e: ts.Expression): string | undefined {
  const u = unparen(e);
  if (ts.isIdentifier(u)) return u.text;
  if (u.kind === ts.SyntaxKind.ThisKeyword) return "this";
  if (ts.isPropertyAccessExpression(u) && ts.isIdentifier(u.name)) { const h = pathOf(u.expression); return h === undefined ? undefined : `${h}.${u.name.text}`; }
  return undefined;
}

/** a callback `(v, i) => …`: its parameter names and body */
function callbackOf(e: ts.Expression | undefined): { v: string; i?: string; extra?: string; body: ts.ConciseBody } {
  const a = arrowOf(e);
  const names = a.parameters.map((p) => (p.name as ts.Identifier).text);
  return { v: names[0]!, i: names[1], extra: names[2], body: a.body };
}

/** `obj.method(args)` with `method` named */
function methodCall(e: ts.Expression, method: string): { obj: string; args: readonly ts.Expression[] } | undefined {
  const u = unparen(e);
  if (!ts.isCallExpression(u) || !ts.isPropertyAccessExpression(u.expression) || u.expression.name.text !== method) return undefined;
  const obj = pathOf(u.expression.expression);
  return obj === undefined ? undefined : { obj, args: u.arguments };
}

/** a non-number initialiser, with its type; undefined if `n` is a number expression */
function vexpr(n: ts.Expression, env: Env): { e: VExpr; type: Type } | undefined {
  const e = unparen(n);
  if (ts.isObjectLiteralExpression(e)) {
    const fields: { name: string; e: Expr | VExpr }[] = [];
    const type: RecType = { fields: [] };
    for (const p of e.properties) {
      if (!ts.isPropertyAssignment(p) || !ts.isIdentifier(p.name)) throw err(p, "object literal field");
      const v = vexpr(p.initializer, env);
      if (v) { fields.push({ name: p.name.text, e: v.e }); type.fields.push({ name: p.name.text, type: v.type }); }
      else { fields.push({ name: p.name.text, e: expr(p.initializer, env) }); type.fields.push({ name: p.name.text, type: "number" }); }
    }
    return { e: { k: "obj", fields }, type };
  }
  if (ts.isArrayLiteralExpression(e) && e.elements.length === 0) return { e: { k: "empty" }, type: "number[]" };
  if (ts.isNewExpression(e) && ts.isIdentifier(e.expression)) {
    const args = e.arguments ?? [];
    if (e.expression.text === "Float64Array" || e.expression.text === "Float32Array") {
      const f32 = e.expression.text === "Float32Array";
      const from = args[0] && pathOf(args[0]);
      if (from !== undefined && env.has(from)) return { e: { k: "f64from", arr: from, ...(f32 ? { f32 } : {}) }, type: e.expression.text };
      return { e: { k: "f64", n: expr(args[0]!, env), ...(f32 ? { f32 } : {}) }, type: e.expression.text };
    }
    return { e: { k: "new", cls: e.expression.text, args: args.map((a) => argOf(a, env)) }, type: { cls: e.expression.text } };
  }
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === "fill") {
    const ne = unparen(e.expression.expression);
    if (ts.isNewExpression(ne) && ne.arguments?.[0]) return { e: { k: "zeros", n: expr(ne.arguments[0], env) }, type: "number[]" };
    throw err(e, "fill");
  }
  const slice = methodCall(e, "slice");
  if (slice) return { e: { k: "slice", arr: slice.obj }, type: "number[]" };
  const map = methodCall(e, "map");
  if (map) {
    const cb = callbackOf(map.args[0]);
    return { e: { k: "map", arr: map.obj, v: cb.v, ...(cb.i ? { i: cb.i } : {}), body: expr(cb.body as ts.Expression, env) }, type: "number[]" };
  }
  if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && env.rets.has(e.expression.text)) {
    return { e: { k: "callv", fn: e.expression.text, args: e.arguments.map((a) => argOf(a, env)) }, type: env.rets.get(e.expression.text)! };
  }
  const path = pathOf(e);
  if (path !== undefined && env.has(path)) return { e: { k: "ref", name: path }, type: env.typeOf(path)! };
  return undefined;
}

function argOf(a: ts.Expression, env: Env): Arg {
  const u = unparen(a);
  const path = pathOf(u);
  if (path !== undefined && env.has(path)) return { k: "arr", name: path };
  return tryTrip(u, env) ?? expr(u, env);
}

function fnBody(params: readonly ts.ParameterDeclaration[], body: ts.ConciseBody, env: Env): { params: Param[]; body: Stmt[] } {
  const ps = params.map((p) => ({ name: (p.name as ts.Identifier).text, type: parseType(p.type) }));
  if (ts.isBlock(body)) return { params: ps, body: stmts(body.statements, env) };
  return { params: ps, body: [{ k: "return", e: expr(body, env) }] };
}

function stmt(s: ts.Statement, arrays: Env): Stmt {
  let label: string | undefined;
  if (ts.isLabeledStatement(s)) { label = s.label.text; s = s.statement; }
  if (ts.isFunctionDeclaration(s) && s.name && s.body) return { k: "fn", name: s.name.text, arrow: false, ...fnBody(s.parameters, s.body, arrays) };
  if (ts.isVariableStatement(s)) {
    const d = s.declarationList.declarations[0]!;
    if (!ts.isIdentifier(d.name) || !d.initializer) throw err(s, "declaration");
    const konst = (s.declarationList.flags & ts.NodeFlags.Const) !== 0;
    const init = unparen(d.initializer);
    if (ts.isArrowFunction(init)) return { k: "fn", name: d.name.text, arrow: true, ...fnBody(init.parameters, init.body, arrays) };
    const v = d.type?.getText() === "number" ? undefined : vexpr(d.initializer, arrays);
    // `const o: C0 = new C1(…)`: the declared type, a base class of the instance's
    if (v && d.type) v.type = parseType(d.type);
    if (v) {
      arrays.types.set(d.name.text, v.type);
      return { k: "letv", name: d.name.text, konst, type: v.type, annot: d.type !== undefined, init: v.e };
    }
    return { k: "let", name: d.name.text, konst, init: expr(d.initializer, arrays) };
  }
  if (ts.isExpressionStatement(s)) {
    const e = unparen(s.expression);
    if (ts.isBinaryExpression(e) && ASSIGN[e.operatorToken.kind] && ts.isElementAccessExpression(e.left)) {
      const arr = pathOf(e.left.expression);
      if (arr === undefined) throw err(s, "element assignment");
      return { k: "setidx", arr, index: expr(e.left.argumentExpression, arrays), op: ASSIGN[e.operatorToken.kind]!, e: expr(e.right, arrays) };
    }
    if (ts.isBinaryExpression(e) && ASSIGN[e.operatorToken.kind] && pathOf(e.left) !== undefined)
      return { k: "assign", name: pathOf(e.left)!, op: ASSIGN[e.operatorToken.kind]!, e: expr(e.right, arrays) };
    if ((ts.isPostfixUnaryExpression(e) || ts.isPrefixUnaryExpression(e)) && ts.isIdentifier(e.operand) &&
      (e.operator === ts.SyntaxKind.PlusPlusToken || e.operator === ts.SyntaxKind.MinusMinusToken))
      return { k: "inc", name: e.operand.text, op: e.operator === ts.SyntaxKind.PlusPlusToken ? "++" : "--", prefix: ts.isPrefixUnaryExpression(e) };
    const push = methodCall(e, "push");
    if (push && push.args.length === 1) return { k: "push", arr: push.obj, e: expr(push.args[0]!, arrays) };
    const each = methodCall(e, "forEach");
    if (each) {
      const cb = callbackOf(each.args[0]);
      if (!ts.isBlock(cb.body)) throw err(s, "forEach callback");
      return { k: "forEach", arr: each.obj, v: cb.v, ...(cb.i ? { i: cb.i } : {}), body: stmts(cb.body.statements, arrays) };
    }
    throw err(s, "expression statement");
  }
  if (ts.isReturnStatement(s) && s.expression && ts.isObjectLiteralExpression(unparen(s.expression))) return { k: "retv", e: vexpr(s.expression, arrays)!.e };
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
  if (ts.isForOfStatement(s)) {
    const d = (s.initializer as ts.VariableDeclarationList).declarations[0]!;
    const arr = pathOf(s.expression);
    if (!ts.isIdentifier(d.name) || arr === undefined) throw err(s, "for…of loop");
    return { k: "forOf", label, v: d.name.text, arr, body: block(s.statement, arrays) };
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
function trip(e: ts.Expression, arrays: Env): Expr {
  e = unparen(e);
  if (ts.isNumericLiteral(e)) return { k: "trip", form: "const", max: Number(e.text) };
  if (ts.isPropertyAccessExpression(e) && e.name.text === "length" && pathOf(e.expression) !== undefined) return { k: "trip", form: "len", max: 4, arr: pathOf(e.expression)! };
  const m = mathCall(e);
  // `Math.min(s + 1, xs.length)`: a prefix that grows with an outer counter
  const last = m?.fn === "min" && m.args.length === 2 ? unparen(m.args[1]!) : undefined;
  if (last && ts.isPropertyAccessExpression(last) && last.name.text === "length" && pathOf(last.expression) !== undefined)
    return { k: "trip", form: "prefix", max: 4, e: expr(m!.args[0]!, arrays), arr: pathOf(last.expression)! };
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

function expr(n: ts.Expression, arrays: Env): Expr {
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
  if (ts.isPropertyAccessExpression(e) && e.name.text === "length" && pathOf(e.expression) !== undefined) return { k: "len", arr: pathOf(e.expression)! };
  if (ts.isElementAccessExpression(e) && pathOf(e.expression) !== undefined) return { k: "idx", arr: pathOf(e.expression)!, index: expr(e.argumentExpression, arrays) };
  if (pathOf(e) !== undefined) return { k: "var", name: pathOf(e)! };
  if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) return { k: "nullish", a: expr(e.left, arrays), b: expr(e.right, arrays) };
  if (ts.isBinaryExpression(e) && NUMOPS[e.operatorToken.kind]) return { k: "bin", op: NUMOPS[e.operatorToken.kind]!, a: expr(e.left, arrays), b: expr(e.right, arrays) };
  if (ts.isConditionalExpression(e)) return { k: "cond", c: bexpr(e.condition, arrays), a: expr(e.whenTrue, arrays), b: expr(e.whenFalse, arrays) };
  const m = mathCall(e);
  if (m) return { k: "math", fn: m.fn, args: m.args.map((a) => expr(a, arrays)) };
  if (ts.isCallExpression(e) && ts.isIdentifier(e.expression)) return { k: "call", fn: e.expression.text, args: e.arguments.map((a) => argOf(a, arrays)) };
  const red = methodCall(e, "reduce");
  if (red) {
    const cb = callbackOf(red.args[0]);
    return { k: "reduce", arr: red.obj, acc: cb.v, v: cb.i!, ...(cb.extra ? { i: cb.extra } : {}), body: expr(cb.body as ts.Expression, arrays), init: expr(red.args[1]!, arrays) };
  }
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && ts.isIdentifier(e.expression.name)) {
    const obj = pathOf(e.expression.expression);
    if (obj !== undefined) return { k: "mcall", obj, method: e.expression.name.text, args: e.arguments.map((a) => expr(a, arrays)) };
  }
  throw err(e, "expression");
}

/** a call argument written as a trip count (a recursion depth) parses as one */
function tryTrip(e: ts.Expression, arrays: Env): Expr | undefined {
  const m = mathCall(e);
  // only the forms a depth argument takes (`Math.min(3, Math.floor(…))`), not `Math.min(a, xs.length)`
  if (m?.fn !== "min" || !m.args[0] || !ts.isNumericLiteral(unparen(m.args[0]))) return undefined;
  try { return trip(e, arrays); } catch { return undefined; }
}

function bexpr(n: ts.Expression, arrays: Env): BExpr {
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
