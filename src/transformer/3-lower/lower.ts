// TypeScript function → IR. Also the fence: whatever cannot be differentiated is reported here, at
// the construct's own position, and lowering stops for that function (no partial output).
//
// Every declaration gets its own IR name (shadowed names get a suffix), calls other than pure Math
// are hoisted into their own assignment (so the adjoint sweep never evaluates them again), and
// value-producing `&&`/`||`/`??`/`?:` whose operands contain calls become `if` statements.
import type * as TS from "typescript";
import type { TypeScript } from "../api.js";
import type { Expr, Func, FnRef, Loc, Stmt, VType } from "../ir/ir.js";
import { NONE, NUM, writtenRoot } from "../ir/ir.js";
import { Names } from "../ir/names.js";
import { IMPURE_MATH, isKnownMath } from "../5-differentiate/rules.js";
import { type Differentiable, type FunctionNode, classOf, resolveCallee, resolveConstructor, vtypeOf } from "../2-resolve/resolve.js";
import { resolvedSymbol, runtimeExportOf } from "../2-resolve/runtime-symbols.js";
import { structurize } from "./structurize.js";
import { allReads } from "../4-analyse/reads.js";
import { type LowerContext, asLocal, countedLoop } from "./context.js";
import { lowerArrayFrom, lowerArrayMethod, lowerSpreadArray, lowerSpreadExtremum } from "./arrays.js";
import { destructure } from "./patterns.js";
import { diag, type Diag } from "../diagnostics.js";

export interface Lowered {
  func: Func;
  names: Names;
  /** runtime helpers the lowered body itself uses (e.g. stopGradient) */
  usesRuntime: boolean;
}

export class FenceError extends Error {
  constructor(readonly diagnostic: Diag) {
    super(diagnostic.message);
  }
}

const baseNames = new Map<string, string>();

export function locOf(node: TS.Node): Loc {
  const sf = node.getSourceFile();
  const start = node.getStart(sf);
  const { line, character } = sf.getLineAndCharacterOfPosition(start);
  // the node's first line only (not getText().split(), which copies every line of a function)
  const newline = sf.text.indexOf("\n", start);
  const text = sf.text.slice(start, newline < 0 || newline > node.end ? node.end : newline).trim();
  let file = baseNames.get(sf.fileName);
  if (file === undefined) baseNames.set(sf.fileName, (file = sf.fileName.split(/[\\/]/).pop()!));
  return {
    fileName: sf.fileName, start, length: node.end - start,
    file, line: line + 1, col: character + 1, text: text.length > 70 ? text.slice(0, 67) + "..." : text,
  };
}

export function lowerFunction(
  ts: TypeScript,
  checker: TS.TypeChecker,
  node: Differentiable,
  name: string,
  /** told of every user function a call resolves to, so the planner can derive it on demand */
  onCallee: (key: string, node: Differentiable) => void,
): Lowered {
  const K = ts.SyntaxKind;
  const fail = (at: TS.Node, code: keyof typeof diag, ...args: string[]): never => {
    throw new FenceError(diag[code](at, ...args));
  };

  const cls = classOf(ts, node);
  /** a constructor (or a class without one) builds `self` and returns it */
  const isConstructor = ts.isConstructorDeclaration(node) || ts.isClassDeclaration(node);
  const isStatic = !ts.isClassDeclaration(node) && !!(ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Static);
  const fnNode = ts.isClassDeclaration(node) ? undefined : node;
  if (fnNode && "asteriskToken" in fnNode && fnNode.asteriskToken) fail(node, "generator");
  if (fnNode?.modifiers?.some((m) => m.kind === K.AsyncKeyword)) fail(node, "async");
  if (fnNode && !fnNode.body) fail(node, "noBody", name);
  if (cls && !cls.name) fail(cls, "unsupported", "a class without a name");

  // Names: everything the user wrote is taken, so generated names never shadow a free variable.
  const names = new Names();
  /** `Math` other than as `Math.f` (a declaration of the user's own, a `typeof Math`), or a `with` */
  let otherMath = false;
  const collectIds = (n: TS.Node): void => {
    if (ts.isIdentifier(n)) {
      names.take(n.text);
      if (n.text === "Math" && !(ts.isPropertyAccessExpression(n.parent) && n.parent.expression === n)) otherMath = true;
    } else if (n.kind === K.WithStatement) otherMath = true;
    ts.forEachChild(n, collectIds);
  };
  collectIds(node);
  const local = new Map<TS.Symbol, string>();
  const types = new Map<string, VType>();
  let usesRuntime = false;

  /** the user's names of the locals declared so far: a name not among them is not a local */
  const localTexts = new Set<string>();
  const declare = (id: TS.Identifier, type: VType): string => {
    const sym = symbolOf(id);
    if (!sym) fail(id, "unsupported", "this declaration");
    const existing = localTexts.has(id.text);
    const irName = existing ? names.fresh(id.text) : id.text;
    local.set(sym!, irName);
    localTexts.add(id.text);
    types.set(irName, type);
    return irName;
  };
  // the checker re-runs flow analysis for every question about an expression: ask once per node
  const typesAt = new Map<TS.Node, VType>();
  const typeAt = (n: TS.Node): VType => {
    let t = typesAt.get(n);
    if (!t) typesAt.set(n, (t = vtypeOf(ts, checker, checker.getTypeAtLocation(n))));
    return t;
  };
  const symbols = new Map<TS.Identifier, TS.Symbol | undefined>();
  const symbolOf = (id: TS.Identifier): TS.Symbol | undefined => {
    let s = symbols.get(id);
    if (s === undefined && !symbols.has(id)) symbols.set(id, (s = checker.getSymbolAtLocation(id)));
    return s;
  };
  const temp = (base: string, type: VType): string => {
    const t = names.numbered(base);
    types.set(t, type);
    return t;
  };

  // ---- parameters ----
  const self = cls && !isStatic ? names.fresh("self") : undefined;
  const instanceType: VType = cls ? vtypeOf(ts, checker, checker.getDeclaredTypeOfSymbol(checker.getSymbolAtLocation(cls.name!)!)) : NONE;
  if (self) types.set(self, instanceType);
  const params = (fnNode?.parameters ?? []).map((p, i) => {
    if (p.dotDotDotToken) fail(p, "restParam");
    if (ts.isIdentifier(p.name)) return { name: declare(p.name, typeAt(p)), type: typeAt(p), init: p.initializer, pattern: undefined, loc: locOf(p) };
    const name = names.fresh(`arg${i}`);
    types.set(name, typeAt(p));
    return { name, type: typeAt(p), init: p.initializer, pattern: p.name, loc: locOf(p) };
  });
  /** functions declared inside the body (or arrows bound to a local const): inlined where called */
  const localFunctions = new Map<TS.Symbol, FunctionNode>();
  const inlining = new Set<FunctionNode>();
  /** where `return` goes inside an inlined function body */
  let returnTarget: { result: string; label: string } | undefined;
  const result = names.fresh("result");
  const sig = fnNode && !isConstructor ? checker.getSignatureFromDeclaration(fnNode) : undefined;
  const resultType = isConstructor ? instanceType : sig ? vtypeOf(ts, checker, checker.getReturnTypeOfSignature(sig)) : NUM;
  types.set(result, resultType);

  // ---- expressions ----
  type Pre = Stmt[];

  const localName = (id: TS.Identifier): string | undefined => {
    // a local's symbol is named as its declaration: other names need no lookup
    if (!localTexts.has(id.text)) return undefined;
    const s = symbolOf(id);
    return s ? local.get(s) : undefined;
  };

  /** `Math` means the same everywhere in this function unless the function may declare its own */
  const declaresMath = otherMath;
  let mathIsGlobal: boolean | undefined;
  const isGlobalMath = (e: TS.Expression): boolean => {
    if (!ts.isIdentifier(e) || e.text !== "Math") return false;
    if (!declaresMath && mathIsGlobal !== undefined) return mathIsGlobal;
    // the global Math: declared only in TypeScript's lib files (a user's own `Math` is not)
    const decls = symbolOf(e)?.declarations ?? [];
    const global = decls.length > 0 && decls.every((d) => /[\\/]lib\.[\w.]*d\.ts$/.test(d.getSourceFile().fileName));
    if (!declaresMath) mathIsGlobal = global;
    return global;
  };

  /** `a.b.c` made only of names from outside the function: printed as is. */
  const freePath = (e: TS.Expression): string | undefined => {
    if (ts.isIdentifier(e)) return localName(e) === undefined ? e.text : undefined;
    if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.name)) {
      const base = freePath(e.expression);
      return base === undefined ? undefined : `${base}.${e.name.text}`;
    }
    return undefined;
  };

  const unwrap = (e: TS.Expression): TS.Expression => {
    while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isTypeAssertionExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
    return e;
  };

  const BIN: Partial<Record<number, Expr["k"] extends never ? never : string>> = {
    [K.PlusToken]: "+", [K.MinusToken]: "-", [K.AsteriskToken]: "*", [K.SlashToken]: "/", [K.PercentToken]: "%",
    [K.AsteriskAsteriskToken]: "**", [K.LessThanToken]: "<", [K.LessThanEqualsToken]: "<=", [K.GreaterThanToken]: ">",
    [K.GreaterThanEqualsToken]: ">=", [K.EqualsEqualsToken]: "==", [K.ExclamationEqualsToken]: "!=",
    [K.EqualsEqualsEqualsToken]: "===", [K.ExclamationEqualsEqualsToken]: "!==", [K.AmpersandToken]: "&",
    [K.BarToken]: "|", [K.CaretToken]: "^", [K.LessThanLessThanToken]: "<<", [K.GreaterThanGreaterThanToken]: ">>",
    [K.GreaterThanGreaterThanGreaterThanToken]: ">>>", [K.InKeyword]: "in", [K.InstanceOfKeyword]: "instanceof",
  };
  const COMPOUND: Partial<Record<number, string>> = {
    [K.PlusEqualsToken]: "+", [K.MinusEqualsToken]: "-", [K.AsteriskEqualsToken]: "*", [K.SlashEqualsToken]: "/",
    [K.PercentEqualsToken]: "%", [K.AsteriskAsteriskEqualsToken]: "**", [K.AmpersandEqualsToken]: "&",
    [K.BarEqualsToken]: "|", [K.CaretEqualsToken]: "^", [K.LessThanLessThanEqualsToken]: "<<",
    [K.GreaterThanGreaterThanEqualsToken]: ">>", [K.GreaterThanGreaterThanGreaterThanEqualsToken]: ">>>",
  };

  function expr(n: TS.Expression, pre: Pre): Expr {
    n = unwrap(n);
    if (ts.isNumericLiteral(n)) return { k: "num", v: Number(n.text) };
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) return { k: "lit", text: JSON.stringify(n.text) };
    if (n.kind === K.TrueKeyword) return { k: "lit", text: "true" };
    if (n.kind === K.FalseKeyword) return { k: "lit", text: "false" };
    if (n.kind === K.NullKeyword) return { k: "lit", text: "null" };
    if (n.kind === K.ThisKeyword) {
      if (!self) return fail(n, "unsupported", "`this` outside a method of a class");
      return { k: "var", name: self };
    }
    if (n.kind === K.SuperKeyword) return fail(n, "unsupported", "`super`");
    if (ts.isIdentifier(n)) {
      const l = localName(n);
      if (l !== undefined) return { k: "var", name: l };
      // eval and arguments see the function's own locals by name: the generated code has others
      if (n.text === "eval" || n.text === "arguments") return fail(n, "unsupported", `\`${n.text}\``);
      if (n.text === "undefined") return { k: "lit", text: "undefined" };
      if (n.text === "NaN") return { k: "num", v: NaN };
      if (n.text === "Infinity") return { k: "num", v: Infinity };
      return { k: "free", path: n.text };
    }
    if (ts.isBinaryExpression(n)) return binary(n, pre);
    if (ts.isPrefixUnaryExpression(n)) {
      if (n.operator === K.PlusPlusToken || n.operator === K.MinusMinusToken) {
        const op = n.operator === K.PlusPlusToken ? "+" : "-";
        return update(n.operand, (old) => ({ k: "bin", op, a: old, b: { k: "num", v: 1 } }), n, pre);
      }
      const op = ({ [K.MinusToken]: "-", [K.PlusToken]: "+", [K.ExclamationToken]: "!", [K.TildeToken]: "~" } as Record<number, "-" | "+" | "!" | "~">)[n.operator];
      const a = expr(n.operand, pre);
      if (op === "-" && a.k === "num") return { k: "num", v: -a.v };
      return { k: "un", op, a };
    }
    if (ts.isPostfixUnaryExpression(n)) {
      const old = temp("old", NUM);
      const op = n.operator === K.PlusPlusToken ? "+" : "-";
      update(n.operand, (current) => { pre.push({ k: "assign", name: old, e: current }); return { k: "bin", op, a: { k: "var", name: old }, b: { k: "num", v: 1 } }; }, n, pre);
      return { k: "var", name: old };
    }
    if (ts.isTypeOfExpression(n)) return { k: "un", op: "typeof", a: expr(n.expression, pre) };
    if (ts.isVoidExpression(n)) { expr(n.expression, pre); return { k: "lit", text: "undefined" }; }
    if (ts.isConditionalExpression(n)) return conditional(n, n.condition, n.whenTrue, n.whenFalse, pre);
    if (ts.isCallExpression(n)) return callExpr(n, pre);
    if (ts.isElementAccessExpression(n)) {
      const obj = expr(n.expression, pre);
      const index = expr(n.argumentExpression, pre);
      if (n.questionDotToken) return optional(n, obj, (o) => ({ k: "index", obj: o, index }), pre);
      return { k: "index", obj, index };
    }
    if (ts.isPropertyAccessExpression(n)) {
      // the derivative is declared outside the class body, where `#private` names do not exist
      if (ts.isPrivateIdentifier(n.name)) fail(n, "unsupported", "a #private field (derivatives live outside the class body; use a TypeScript `private` field)");
      if (isGlobalMath(n.expression)) return { k: "free", path: `Math.${n.name.text}` };
      const path = freePath(n);
      if (path !== undefined && !n.questionDotToken) return { k: "free", path };
      const obj = expr(n.expression, pre);
      const member = resolveCallee(ts, checker, n);
      if (member.kind === "getter") {
        onCallee(member.key, member.node);
        const t = temp(safeBase(n.name.text), typeAt(n));
        pre.push(at(n, { k: "assign", name: t, e: { k: "call", callee: { k: "prop", obj, name: n.name.text }, args: [], receiver: obj, getter: true, fn: { key: member.key, name: member.name, arity: 1, kind: "getter" } } }));
        return { k: "var", name: t };
      }
      if (n.questionDotToken) return optional(n, obj, (o) => ({ k: "prop", obj: o, name: n.name.text }), pre);
      return { k: "prop", obj, name: n.name.text };
    }
    if (ts.isArrayLiteralExpression(n)) {
      if (n.elements.some(ts.isSpreadElement)) return lowerSpreadArray(cx, n, pre);
      return { k: "array", elems: n.elements.map((e) => expr(e, pre)) };
    }
    if (ts.isObjectLiteralExpression(n)) return objectLiteral(n, pre);
    if (ts.isNewExpression(n)) {
      const callee = freePath(n.expression);
      if (callee === "Function") fail(n, "unsupported", "`new Function`");
      if (callee === undefined) fail(n, "unsupported", "`new` of a local value");
      // new Float64Array(xs): a copy, element by element, so gradients flow through it
      const src = n.arguments?.[0];
      if ((callee === "Float64Array" || callee === "Float32Array") && n.arguments?.length === 1 && src && ["array", "typed", "tuple"].includes(typeAt(src).k))
        return copyIntoTyped(callee, n, src, pre);
      const ctor = resolveConstructor(ts, checker, n);
      const args = (n.arguments ?? []).map((a) => expr(a, pre));
      let fn: FnRef | undefined;
      if (ctor) {
        onCallee(ctor.key, ctor.node);
        fn = { key: ctor.key, name: callee!, arity: ts.isClassDeclaration(ctor.node) ? 0 : ctor.node.parameters.length, kind: "constructor" };
      }
      const t = temp(ctor ? safeBase(callee!.split(".").pop()!.toLowerCase()) : "obj", typeAt(n));
      pre.push(at(n, { k: "assign", name: t, e: { k: "new", callee: { k: "free", path: callee! }, args, fn } }));
      return { k: "var", name: t };
    }
    if (ts.isArrowFunction(n) || ts.isFunctionExpression(n)) return fail(n, "closure");
    if (ts.isTemplateExpression(n)) return fail(n, "unsupported", "a template string");
    return fail(n, "unsupported", `this expression (${ts.SyntaxKind[n.kind]})`);
  }

  function binary(n: TS.BinaryExpression, pre: Pre): Expr {
    const op = n.operatorToken.kind;
    if (op === K.EqualsToken || COMPOUND[op] !== undefined) return assignment(n, pre);
    if (op === K.CommaToken) return fail(n, "unsupported", "the comma operator");
    if (op === K.AmpersandAmpersandToken || op === K.BarBarToken || op === K.QuestionQuestionToken) {
      const a = expr(n.left, pre);
      // value-producing logic over numbers: `a || b` is `a ? a : b`; the right side runs only when needed
      const test: Expr = op === K.QuestionQuestionToken
        ? { k: "bin", op: "!=", a, b: { k: "lit", text: "null" } }
        : a;
      const bPre: Pre = [];
      const b = expr(n.right, bPre);
      const type = typeAt(n);
      if (bPre.length === 0 && type.k !== "num") return { k: "bin", op: op === K.AmpersandAmpersandToken ? "&&" : op === K.BarBarToken ? "||" : "??", a, b };
      const [whenTrue, whenFalse] = op === K.AmpersandAmpersandToken ? [b, a] : [a, b];
      const [preT, preF] = op === K.AmpersandAmpersandToken ? [bPre, []] : [[], bPre];
      return select(n, test, whenTrue, preT, whenFalse, preF, pre, type);
    }
    const name = BIN[op];
    if (!name) return fail(n, "unsupported", `the operator ${n.operatorToken.getText()}`);
    const [a, b] = inOrder([n.left, n.right], pre);
    return { k: "bin", op: name as never, a, b };
  }

  function conditional(n: TS.Expression, c: TS.Expression, t: TS.Expression, f: TS.Expression, pre: Pre): Expr {
    const test = expr(c, pre);
    const preT: Pre = [], preF: Pre = [];
    const a = expr(t, preT), b = expr(f, preF);
    return select(n, test, a, preT, b, preF, pre, typeAt(n));
  }

  /** `test ? a : b`, as an expression when neither side has hoisted work, else as an `if`. */
  function select(n: TS.Node, test: Expr, a: Expr, preA: Pre, b: Expr, preB: Pre, pre: Pre, type: VType): Expr {
    // numbers stay expressions; arrays and records need their shadow chosen too, so they become `if`
    if (preA.length === 0 && preB.length === 0 && (type.k === "num" || type.k === "none")) return { k: "cond", c: test, a, b };
    const t = temp("picked", type);
    pre.push(at(n, { k: "if", c: test, then: [...preA, { k: "assign", name: t, e: a }], else: [...preB, { k: "assign", name: t, e: b }] }));
    return { k: "var", name: t };
  }

  function assignTarget(target: TS.Expression): string {
    const t = unwrap(target);
    if (ts.isIdentifier(t)) {
      const l = localName(t);
      if (l === undefined) return fail(t, "outerWrite", t.text);
      return l;
    }
    return fail(t, "unsupported", "this assignment target");
  }

  /** An element or field being written: `a[i]`, `acc.s`, `m[i][j]` — rooted at a local. */
  function storePath(target: TS.Expression, pre: Pre): Expr {
    const t = unwrap(target);
    const path = expr(t, pre);
    let root = path;
    while (root.k === "index" || root.k === "prop") root = root.obj;
    if (root.k !== "var") return fail(t, "outerWrite", t.getText());
    if (path.k !== "index" && path.k !== "prop") return fail(t, "unsupported", "this assignment target");
    return path;
  }

  function update(target: TS.Expression, make: (old: Expr) => Expr, node: TS.Node, pre: Pre): Expr {
    const t = unwrap(target);
    if (ts.isIdentifier(t)) {
      const name = assignTarget(t);
      pre.push(at(node, { k: "assign", name, e: make({ k: "var", name }) }));
      return { k: "var", name };
    }
    if (ts.isElementAccessExpression(t) || ts.isPropertyAccessExpression(t)) {
      const path = storePath(t, pre);
      pre.push(at(node, { k: "store", target: path, e: make(path) }));
      return path;
    }
    if (ts.isArrayLiteralExpression(t) || ts.isObjectLiteralExpression(t)) return fail(t, "destructuring");
    return fail(t, "unsupported", "this assignment target");
  }

  function copyIntoTyped(ctor: string, n: TS.NewExpression, src: TS.Expression, pre: Pre): Expr {
    const items = asLocal(cx, expr(src, pre), typeAt(src), pre);
    const out = temp("copy", { k: "typed", ctor: ctor as "Float64Array" });
    pre.push(at(n, { k: "assign", name: out, e: { k: "new", callee: { k: "free", path: ctor }, args: [{ k: "prop", obj: items, name: "length" }] }, decl: true }));
    pre.push(...countedLoop(cx, { k: "num", v: 0 }, { k: "prop", obj: items, name: "length" }, (i) => [
      { k: "store", target: { k: "index", obj: { k: "var", name: out }, index: i }, e: { k: "index", obj: items, index: i } },
    ], n));
    return { k: "var", name: out };
  }

  /**
   * Lowers operands left to right. Hoisting moves an operand's side effects (`++v`, an inlined
   * callback writing a captured local) before the whole expression, so an earlier operand that
   * reads what a later one changes is first copied: `v -= ++v` reads the old v, as JS does.
   */
  function inOrder(nodes: readonly TS.Expression[], pre: Pre): Expr[] {
    const out: Expr[] = [];
    for (const node of nodes) {
      const mine: Pre = [];
      const e = expr(node, mine);
      // nothing hoisted, nothing changed: the earlier operands stay as they are
      if (mine.length > 0) copyReadsOfChanged(mine, out, pre);
      pre.push(...mine);
      out.push(e);
    }
    return out;
  }

  /** Earlier operands that read what `mine` changes are first copied into temporaries. */
  function copyReadsOfChanged(mine: Stmt[], out: Expr[], pre: Pre): void {
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
        const t = temp("before", typeOfExpr(out[i]));
        pre.push({ k: "assign", name: t, e: out[i], decl: true });
        out[i] = { k: "var", name: t };
      }
    }
  }
  const typeOfExpr = (e: Expr): VType => (e.k === "var" ? types.get(e.name) ?? NUM : NUM);

  function assignment(n: TS.BinaryExpression, pre: Pre): Expr {
    const compound = COMPOUND[n.operatorToken.kind];
    if (!compound && ts.isArrayLiteralExpression(unwrap(n.left))) return arrayAssignment(unwrap(n.left) as TS.ArrayLiteralExpression, n, pre);
    const leftNode = unwrap(n.left);
    if (compound && ts.isIdentifier(leftNode) && localName(leftNode) !== undefined) {
      // `v -= ++v`: the old value is read before the right side runs
      const [old, rhs] = inOrder([leftNode, n.right], pre);
      return update(n.left, () => ({ k: "bin", op: compound as never, a: old, b: rhs }), n, pre);
    }
    if (compound && (ts.isElementAccessExpression(leftNode) || ts.isPropertyAccessExpression(leftNode))) {
      // `t[0] += f(b)` reads t[0] before f runs, which may itself write t[0]
      const path = storePath(leftNode, pre);
      const mine: Pre = [];
      const rhs = expr(n.right, mine);
      let old: Expr = path;
      if (mine.length > 0) {
        const t = temp("before", typeAt(leftNode));
        pre.push({ k: "assign", name: t, e: path, decl: true });
        old = { k: "var", name: t };
      }
      pre.push(...mine);
      pre.push(at(n, { k: "store", target: path, e: { k: "bin", op: compound as never, a: old, b: rhs } }));
      return path;
    }
    const rhs = expr(n.right, pre);
    // an evolving `let c;` has no type at its declaration: take the type of what is assigned
    const left = unwrap(n.left);
    if (ts.isIdentifier(left)) {
      const l = localName(left);
      if (l !== undefined && types.get(l)?.k === "unknown") types.set(l, typeAt(n.right));
    }
    return update(n.left, (old) => (compound ? { k: "bin", op: compound as never, a: old, b: rhs } : rhs), n, pre);
  }

  /** `[a, b] = [b, a]`: read everything first, then write. */
  function arrayAssignment(left: TS.ArrayLiteralExpression, n: TS.BinaryExpression, pre: Pre): Expr {
    const src = asLocal(cx, expr(n.right, pre), typeAt(n.right), pre, "parts");
    const reads = left.elements.map((el, k) => {
      if (ts.isOmittedExpression(el) || ts.isSpreadElement(el)) return undefined;
      const t = temp("part", typeAt(el));
      pre.push({ k: "assign", name: t, e: { k: "index", obj: src, index: { k: "num", v: k } }, decl: true });
      return t;
    });
    left.elements.forEach((el, k) => {
      const t = reads[k];
      if (t === undefined) { if (ts.isSpreadElement(el)) fail(el, "unsupported", "rest in an assignment pattern"); return; }
      update(el, () => ({ k: "var", name: t }), n, pre);
    });
    return src;
  }

  /** `a?.b`: undefined when `a` is null or undefined */
  function optional(n: TS.Node, obj: Expr, access: (o: Expr) => Expr, pre: Pre): Expr {
    const o = asLocal(cx, obj, { k: "unknown" }, pre, "maybe");
    return select(n, { k: "bin", op: "==", a: o, b: { k: "lit", text: "null" } }, { k: "lit", text: "undefined" }, [], access(o), [], pre, typeAt(n));
  }

  function objectLiteral(n: TS.ObjectLiteralExpression, pre: Pre): Expr {
    const props: [string, Expr][] = [];
    const put = (key: string, value: Expr) => {
      const i = props.findIndex(([k]) => k === key);
      if (i >= 0) props.splice(i, 1);
      props.push([key, value]);
    };
    for (const p of n.properties) {
      if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name) || ts.isNumericLiteral(p.name))) put(p.name.text, expr(p.initializer, pre));
      else if (ts.isShorthandPropertyAssignment(p)) {
        const sym = checker.getShorthandAssignmentValueSymbol(p);
        const l = sym ? local.get(sym) : undefined;
        put(p.name.text, l !== undefined ? { k: "var", name: l } : { k: "free", path: p.name.text });
      } else if (ts.isSpreadAssignment(p)) {
        const t = typeAt(p.expression);
        if (t.k !== "record") fail(p, "unsupported", "spreading a value whose fields are not known");
        const src = asLocal(cx, expr(p.expression, pre), t, pre, "spread");
        for (const f of (t as VType & { k: "record" }).fields) put(f.name, { k: "prop", obj: src, name: f.name });
      } else fail(p, "unsupported", "this kind of object literal member (methods, getters, computed names)");
    }
    return { k: "object", props };
  }

  function callExpr(n: TS.CallExpression, pre: Pre): Expr {
    if (n.questionDotToken) fail(n, "unsupported", "optional call `?.()`");
    const calleeNode = unwrap(n.expression);
    if (ts.isIdentifier(calleeNode) && (calleeNode.text === "eval" || calleeNode.text === "Function") && localName(calleeNode) === undefined)
      fail(n, "unsupported", `\`${calleeNode.text}(...)\``);
    if (ts.isPropertyAccessExpression(calleeNode) && isGlobalMath(calleeNode.expression) && n.arguments.some(ts.isSpreadElement)) {
      const fn = calleeNode.name.text;
      if (fn !== "max" && fn !== "min") fail(n, "unsupported", `spread arguments to Math.${fn}`);
      return lowerSpreadExtremum(cx, fn as "max" | "min", n, pre);
    }
    if (n.arguments.some(ts.isSpreadElement)) fail(n, "unsupported", "spread arguments");
    // Array.from(...)
    if (ts.isPropertyAccessExpression(calleeNode) && calleeNode.name.text === "from" && freePath(calleeNode) === "Array.from") return lowerArrayFrom(cx, n, pre);
    // methods of arrays: push into a local; map/filter/reduce/... become loops (the global Math is a
    // record, never an array: its type, with every constant of Math, is not worth asking for)
    if (ts.isPropertyAccessExpression(calleeNode) && ts.isIdentifier(calleeNode.name) && !isGlobalMath(calleeNode.expression)) {
      const method = calleeNode.name.text;
      const recvType = typeAt(calleeNode.expression);
      if (method === "push" && (recvType.k === "array" || recvType.k === "tuple")) {
        const arr = expr(calleeNode.expression, pre);
        if (arr.k !== "var") fail(calleeNode.expression, "unsupported", "push into an array that is not a local variable");
        for (const a of n.arguments) pre.push(at(n, { k: "push", arr: (arr as { name: string }).name, e: expr(a, pre) }));
        return { k: "prop", obj: arr, name: "length" };
      }
      const lowered = lowerArrayMethod(cx, n, calleeNode.expression, method, pre);
      if (lowered) return lowered;
      // mutating a fresh value (`new Array(n).fill(0)`) is fine; mutating a tracked array is not yet
      const freshReceiver = ts.isNewExpression(unwrap(calleeNode.expression)) || ts.isCallExpression(unwrap(calleeNode.expression));
      if (!freshReceiver && ["pop", "shift", "unshift", "splice", "sort", "reverse", "fill", "copyWithin", "set"].includes(method) && (recvType.k === "array" || recvType.k === "typed"))
        fail(n, "unsupported", `the mutating array method ${method}()`);
    }
    // functions declared inside the differentiated function: inlined
    if (ts.isIdentifier(calleeNode)) {
      const sym = checker.getSymbolAtLocation(calleeNode);
      const localFn = sym && localFunctions.get(sym);
      if (localFn) return inlineFunction(localFn, n.arguments.map((a) => expr(a, pre)), pre, n);
    }
    // Math.f(...)
    if (ts.isPropertyAccessExpression(calleeNode) && isGlobalMath(calleeNode.expression)) {
      const fn = calleeNode.name.text;
      if (!isKnownMath(fn)) fail(n, "unsupported", `Math.${fn}`);
      const args = inOrder(n.arguments, pre);
      if (IMPURE_MATH.has(fn)) {
        const t = temp("random", NUM);
        pre.push(at(n, { k: "assign", name: t, e: { k: "math", fn, args } }));
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
      usesRuntime = true;
      const arg = expr(n.arguments[0], pre);
      const t = temp("stopped", typeAt(n));
      pre.push(at(n, { k: "assign", name: t, e: { k: "call", callee: { k: "free", path: "$bp.stopGradient" }, args: [arg], noGrad: true } }));
      return { k: "var", name: t };
    }
    if (runtime === "grad" || runtime === "valueAndGrad" || runtime === "vjp") fail(n, "nestedGrad");
    const args = inOrder(n.arguments, pre);
    const callee = resolveCallee(ts, checker, calleeNode);
    if (callee.kind === "method" && ts.isPropertyAccessExpression(calleeNode)) {
      const receiver = expr(calleeNode.expression, pre);
      onCallee(callee.key, callee.node);
      const t = temp(safeBase(calleeNode.name.text), typeAt(n));
      const fnRef: FnRef = { key: callee.key, name: callee.name, arity: callee.node.parameters.length + 1, kind: "method" };
      pre.push(at(n, { k: "assign", name: t, e: { k: "call", callee: { k: "prop", obj: receiver, name: calleeNode.name.text }, args, receiver, fn: fnRef } }));
      return { k: "var", name: t };
    }
    const calleePath = freePath(calleeNode);
    let fn: FnRef | undefined;
    if (callee.kind === "function") {
      if (calleePath === undefined) fail(n, "localFunction", callee.name);
      if (callee.node.asteriskToken) fail(n, "generator");
      if (callee.node.modifiers?.some((m) => m.kind === K.AsyncKeyword)) fail(n, "async");
      fn = { key: callee.key, name: calleePath!, arity: callee.node.parameters.length };
      onCallee(callee.key, callee.node);
    }
    const calleeExpr: Expr = calleePath !== undefined ? { k: "free", path: calleePath } : expr(calleeNode, pre);
    if (callee.kind === "rule") {
      if (calleePath === undefined) fail(n, "localFunction", callee.name);
      usesRuntime = true;
      const t = temp(safeBase(callee.name), typeAt(n));
      pre.push(at(n, { k: "assign", name: t, e: { k: "call", callee: calleeExpr, args, rule: { name: callee.name, arity: args.length } } }));
      return { k: "var", name: t };
    }
    const resultType = callee.kind === "function" && isPlainFunction(calleeNode, callee.node) && !(n.flags & ts.NodeFlags.OptionalChain) ? returnTypeOf(callee.node) : typeAt(n);
    const t = temp(fn ? safeBase(callee.kind === "function" ? callee.name : "call") : "call", resultType);
    const call: Expr & { k: "call" } = { k: "call", callee: calleeExpr, args, fn };
    if (!fn && callee.kind === "no-body") call.opaqueName = callee.name;
    pre.push(at(n, { k: "assign", name: t, e: call }));
    return { k: "var", name: t };
  }

  /**
   * `f` names a TypeScript function with one declaration, no type parameters and no annotation other
   * than its own: a call's type is then the declaration's result, which the checker's own answer for the
   * call (the callee's single signature) is too, without flow analysis of `f` at the call.
   */
  function isPlainFunction(calleeNode: TS.Expression, fn: FunctionNode): boolean {
    if (fn.typeParameters || !ts.isIdentifier(calleeNode)) return false;
    const sym = resolvedSymbol(ts, checker, calleeNode);
    if (sym?.declarations?.length !== 1) return false;
    const decl = sym.declarations[0];
    if (decl.flags & ts.NodeFlags.JavaScriptFile) return false; // a JSDoc @type may retype it
    if (decl === fn) return ts.isFunctionDeclaration(fn);
    return ts.isVariableDeclaration(decl) && !decl.type && decl.initializer === fn;
  }

  const safeBase = (s: string) => (/^[A-Za-z_]\w*$/.test(s) ? s : "call");

  /** `s` (always a fresh literal) with the source position of `n` */
  function at<S extends Stmt>(n: TS.Node, s: S): S {
    s.loc = locOf(n);
    return s;
  }

  // ---- callbacks and local functions ----

  /** Calls a callback given as an arrow, a local function or a module function, with lowered args. */
  function invoke(callback: TS.Expression, args: Expr[], pre: Pre, site: TS.Node): Expr {
    const cb = unwrap(callback);
    if (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb)) return inlineFunction(cb, args, pre, site);
    if (ts.isIdentifier(cb)) {
      const sym = checker.getSymbolAtLocation(cb);
      const localFn = sym && localFunctions.get(sym);
      if (localFn) return inlineFunction(localFn, args, pre, site);
    }
    // xs.map(Math.tanh): JS passes (item, index, array), which only one-argument functions ignore
    if (ts.isPropertyAccessExpression(cb) && isGlobalMath(cb.expression)) {
      const fn = cb.name.text;
      if (!isKnownMath(fn) || ["max", "min", "pow", "atan2", "hypot", "imul", "random"].includes(fn)) fail(callback, "unsupported", `Math.${fn} as a callback (wrap it in an arrow)`);
      return { k: "math", fn, args: args.slice(0, 1) };
    }
    const callee = resolveCallee(ts, checker, cb);
    const path = freePath(cb);
    if (callee.kind === "function" && path !== undefined) {
      onCallee(callee.key, callee.node);
      const arity = callee.node.parameters.length;
      const t = temp(safeBase(callee.name), returnTypeOf(callee.node));
      // JS passes (item, index, array): a callback sees only the parameters it declares
      pre.push(at(site, { k: "assign", name: t, e: { k: "call", callee: { k: "free", path }, args: args.slice(0, arity), fn: { key: callee.key, name: path, arity } } }));
      return { k: "var", name: t };
    }
    if (callee.kind === "rule" && path !== undefined) {
      usesRuntime = true;
      const t = temp(safeBase(callee.name), vtypeOf(ts, checker, checker.getTypeAtLocation(cb).getCallSignatures()[0]?.getReturnType() ?? checker.getAnyType()));
      const arity = args.length;
      pre.push(at(site, { k: "assign", name: t, e: { k: "call", callee: { k: "free", path }, args, rule: { name: callee.name, arity } } }));
      return { k: "var", name: t };
    }
    return fail(callback, "unsupported", "this callback (pass an arrow function or the name of a function)");
  }

  function returnTypeOf(fn: FunctionNode): VType {
    const sig = checker.getSignatureFromDeclaration(fn);
    return sig ? vtypeOf(ts, checker, checker.getReturnTypeOfSignature(sig)) : { k: "unknown" };
  }

  /** The body of `fn`, in place: parameters become locals, `return` leaves a labelled block. */
  function inlineFunction(fn: FunctionNode, args: Expr[], pre: Pre, site: TS.Node): Expr {
    if (inlining.has(fn)) return fail(site, "unsupported", "recursion through a function declared inside the differentiated function");
    if (fn.asteriskToken || fn.modifiers?.some((m) => m.kind === K.AsyncKeyword)) fail(fn, "generator");
    inlining.add(fn);
    fn.parameters.forEach((p, i) => {
      if (p.dotDotDotToken) fail(p, "restParam");
      let arg: Expr = args[i] ?? { k: "lit", text: "undefined" };
      if (p.initializer) {
        const initPre: Pre = [];
        const dflt = expr(p.initializer, initPre);
        if (initPre.length > 0) fail(p.initializer, "unsupported", "a default value that calls a function");
        arg = { k: "cond", c: { k: "bin", op: "===", a: arg, b: { k: "lit", text: "undefined" } }, a: dflt, b: arg };
      }
      destructure(cx, p.name, arg, typeAt(p), pre, p);
    });
    let value: Expr;
    if (!ts.isBlock(fn.body!)) value = expr(fn.body as TS.Expression, pre);
    else {
      const res = temp("returned", returnTypeOf(fn));
      const label = names.numbered("inlined");
      const saved = returnTarget;
      returnTarget = { result: res, label };
      const body = block(fn.body.statements);
      returnTarget = saved;
      pre.push({ k: "assign", name: res, e: { k: "lit", text: "undefined" }, decl: true });
      pre.push(at(site, { k: "block", body, label, isSwitch: false }));
      value = { k: "var", name: res };
    }
    inlining.delete(fn);
    return value;
  }

  const cx: LowerContext = {
    ts, checker, expr, temp, declare, typeAt, invoke,
    fail: (n, code, ...args) => fail(n, code, ...args),
    at: (n, st) => at(n, st),
  };

  // ---- statements ----

  function block(stmts: readonly TS.Statement[]): Stmt[] {
    const out: Stmt[] = [];
    for (const s of stmts) statement(s, out);
    return out;
  }

  function body(s: TS.Statement): Stmt[] {
    return ts.isBlock(s) ? block(s.statements) : block([s]);
  }

  function varDecls(list: TS.VariableDeclarationList, out: Stmt[]): void {
    for (const d of list.declarations) {
      const init0 = d.initializer && unwrap(d.initializer);
      if (init0 && (ts.isArrowFunction(init0) || ts.isFunctionExpression(init0)) && ts.isIdentifier(d.name) && list.flags & ts.NodeFlags.Const) {
        const sym = checker.getSymbolAtLocation(d.name);
        if (sym) { localFunctions.set(sym, init0); continue; }
      }
      if (!ts.isIdentifier(d.name)) {
        const pre: Pre = [];
        if (!d.initializer) fail(d, "destructuring");
        const value = expr(d.initializer!, pre);
        out.push(...pre);
        destructure(cx, d.name, value, typeAt(d.initializer!), out, d);
        continue;
      }
      const pre: Pre = [];
      const init: Expr = d.initializer ? expr(d.initializer, pre) : { k: "lit", text: "undefined" };
      out.push(...pre);
      const name = declare(d.name as TS.Identifier, typeAt(d.name));
      out.push(at(d, { k: "assign", name, e: init, decl: true }));
    }
  }

  function simpleStatement(e: TS.Expression, out: Stmt[], node: TS.Node): void {
    const pre: Pre = [];
    const u = unwrap(e);
    // statement-level ++/-- and assignments need no temporary for their value
    if ((ts.isPostfixUnaryExpression(u) || ts.isPrefixUnaryExpression(u)) && (u.operator === K.PlusPlusToken || u.operator === K.MinusMinusToken)) {
      const op = u.operator === K.PlusPlusToken ? "+" : "-";
      update(u.operand, (old) => ({ k: "bin", op, a: old, b: { k: "num", v: 1 } }), node, out);
      return;
    }
    const value = expr(e, pre);
    out.push(...pre);
    // what is left after hoisting is a pure read: nothing to evaluate for its effects
    const pure = value.k === "var" || value.k === "lit" || value.k === "num" || value.k === "prop" || value.k === "index";
    if (!(pure && pre.length > 0)) out.push(at(node, { k: "expr", e: value }));
  }

  function statement(s: TS.Statement, out: Stmt[], label?: string): void {
    if (ts.isVariableStatement(s)) return varDecls(s.declarationList, out);
    if (ts.isExpressionStatement(s)) return simpleStatement(s.expression, out, s);
    if (ts.isReturnStatement(s)) {
      const pre: Pre = [];
      const e = s.expression ? expr(s.expression, pre) : undefined;
      if (returnTarget) {
        out.push(...pre, at(s, { k: "assign", name: returnTarget.result, e: e ?? { k: "lit", text: "undefined" } }), { k: "break", label: returnTarget.label });
        return;
      }
      out.push(...pre, at(s, { k: "return", e }));
      return;
    }
    if (ts.isIfStatement(s)) {
      const pre: Pre = [];
      const c = expr(s.expression, pre);
      out.push(...pre, at(s, { k: "if", c, then: body(s.thenStatement), else: s.elseStatement ? body(s.elseStatement) : [] }));
      return;
    }
    if (ts.isBlock(s)) { out.push(...block(s.statements)); return; }
    if (ts.isForStatement(s)) {
      const init: Stmt[] = [];
      if (s.initializer) {
        if (ts.isVariableDeclarationList(s.initializer)) varDecls(s.initializer, init);
        else simpleStatement(s.initializer, init, s.initializer);
      }
      const pre: Pre = [];
      const c = s.condition ? expr(s.condition, pre) : null;
      const update: Stmt[] = [];
      if (s.incrementor) simpleStatement(s.incrementor, update, s.incrementor);
      out.push(...init, at(s, { k: "loop", pre, c, body: body(s.statement), update, testAfter: false, label }));
      return;
    }
    if (ts.isWhileStatement(s)) {
      const pre: Pre = [];
      const c = expr(s.expression, pre);
      out.push(at(s, { k: "loop", pre, c, body: body(s.statement), update: [], testAfter: false, label }));
      return;
    }
    if (ts.isDoStatement(s)) {
      const pre: Pre = [];
      const c = expr(s.expression, pre);
      out.push(at(s, { k: "loop", pre, c, body: body(s.statement), update: [], testAfter: true, label }));
      return;
    }
    if (ts.isForOfStatement(s)) return forOf(s, out, label);
    if (ts.isSwitchStatement(s)) return switchStatement(s, out, label);
    if (ts.isBreakStatement(s)) { out.push(at(s, { k: "break", label: s.label?.text })); return; }
    if (ts.isContinueStatement(s)) { out.push(at(s, { k: "continue", label: s.label?.text })); return; }
    if (ts.isLabeledStatement(s)) {
      const inner = s.statement;
      if (ts.isForStatement(inner) || ts.isWhileStatement(inner) || ts.isDoStatement(inner) || ts.isForOfStatement(inner) || ts.isSwitchStatement(inner))
        return statement(inner, out, s.label.text);
      out.push(at(s, { k: "block", body: body(inner), label: s.label.text, isSwitch: false }));
      return;
    }
    if (ts.isEmptyStatement(s) || ts.isTypeAliasDeclaration(s) || ts.isInterfaceDeclaration(s)) return;
    if (ts.isThrowStatement(s)) {
      const pre: Pre = [];
      const e = expr(s.expression, pre);
      out.push(...pre, at(s, { k: "throw", e }));
      return;
    }
    if (ts.isTryStatement(s)) return fail(s, "tryCatch");
    if (ts.isFunctionDeclaration(s)) {
      const sym = s.name && checker.getSymbolAtLocation(s.name);
      if (!sym || !s.body) return fail(s, "nestedFunction", s.name?.text ?? "function");
      localFunctions.set(sym, s);
      return;
    }
    if (ts.isForInStatement(s)) return fail(s, "unsupported", "for…in");
    if (ts.isWithStatement(s)) return fail(s, "unsupported", "with");
    return fail(s, "unsupported", `this statement (${ts.SyntaxKind[s.kind]})`);
  }

  function forOf(s: TS.ForOfStatement, out: Stmt[], label?: string): void {
    if (s.awaitModifier) fail(s, "async");
    const pre: Pre = [];
    let seq = expr(s.expression, pre);
    out.push(...pre);
    if (seq.k !== "var") {
      const t = temp("items", typeAt(s.expression));
      out.push({ k: "assign", name: t, e: seq });
      seq = { k: "var", name: t };
    }
    const index = temp("index", NUM);
    out.push({ k: "assign", name: index, e: { k: "num", v: 0 }, decl: true });
    const item: Stmt[] = [];
    const element: Expr = { k: "index", obj: seq, index: { k: "var", name: index } };
    const decl = s.initializer;
    if (ts.isVariableDeclarationList(decl)) {
      const d = decl.declarations[0];
      destructure(cx, d.name, element, typeAt(d.name), item, d);
    } else {
      update(decl, () => element, decl, item);
    }
    out.push(at(s, {
      k: "loop", pre: [], c: { k: "bin", op: "<", a: { k: "var", name: index }, b: { k: "prop", obj: seq, name: "length" } },
      body: [...item, ...body(s.statement)],
      update: [{ k: "assign", name: index, e: { k: "bin", op: "+", a: { k: "var", name: index }, b: { k: "num", v: 1 } } }],
      testAfter: false, label,
    }));
  }

  function switchStatement(s: TS.SwitchStatement, out: Stmt[], label?: string): void {
    // switch → entry index, then `if (entry <= k)` per clause: fall-through comes for free
    const pre: Pre = [];
    const d = expr(s.expression, pre);
    out.push(...pre);
    const disc = temp("switched", typeAt(s.expression));
    const entry = temp("entry", NUM);
    const clauses = s.caseBlock.clauses;
    const defaultIndex = clauses.findIndex((c) => ts.isDefaultClause(c));
    let pick: Expr = { k: "num", v: defaultIndex >= 0 ? defaultIndex : clauses.length };
    for (let i = clauses.length - 1; i >= 0; i--) {
      const c = clauses[i];
      if (!ts.isCaseClause(c)) continue;
      const casePre: Pre = [];
      const value = expr(c.expression, casePre);
      if (casePre.length > 0) fail(c.expression, "unsupported", "a call in a case label");
      pick = { k: "cond", c: { k: "bin", op: "===", a: { k: "var", name: disc }, b: value }, a: { k: "num", v: i }, b: pick };
    }
    const inner: Stmt[] = [{ k: "assign", name: disc, e: d }, { k: "assign", name: entry, e: pick }];
    clauses.forEach((c, i) => {
      const stmts = block(c.statements);
      if (stmts.length > 0) inner.push({ k: "if", c: { k: "bin", op: "<=", a: { k: "var", name: entry }, b: { k: "num", v: i } }, then: stmts, else: [] });
    });
    out.push(at(s, { k: "block", body: inner, label, isSwitch: true }));
  }

  // ---- the function ----
  const stmts: Stmt[] = [];
  // nested function declarations are hoisted: register them before lowering any statement
  if (fnNode?.body && ts.isBlock(fnNode.body)) for (const st of fnNode.body.statements) {
    if (ts.isFunctionDeclaration(st) && st.name && st.body) { const sym = checker.getSymbolAtLocation(st.name); if (sym) localFunctions.set(sym, st); }
  }
  for (const p of params) if (p.pattern) destructure(cx, p.pattern, { k: "var", name: p.name }, p.type, stmts, p.pattern);
  for (const p of params) {
    if (p.init) {
      const pre: Pre = [];
      const init = expr(p.init, pre);
      const v: Expr = { k: "var", name: p.name };
      stmts.push({ k: "if", c: { k: "bin", op: "===", a: v, b: { k: "lit", text: "undefined" } }, then: [...pre, { k: "assign", name: p.name, e: init }], else: [] });
    }
  }
  if (isConstructor && cls && self) {
    // self = Object.create(C.prototype); field initialisers; parameter properties; the body
    stmts.push({ k: "assign", name: self, e: { k: "call", callee: { k: "free", path: "Object.create" }, args: [{ k: "free", path: `${cls.name!.text}.prototype` }] }, decl: true });
    if (cls.heritageClauses?.some((h) => h.token === K.ExtendsKeyword)) fail(cls, "unsupported", "a class that extends another (super constructors)");
    for (const m of cls.members) {
      if (ts.isPropertyDeclaration(m) && !(ts.getCombinedModifierFlags(m) & ts.ModifierFlags.Static) && m.initializer) {
        if (!ts.isIdentifier(m.name)) fail(m.name, "unsupported", "a computed field name");
        const pre: Pre = [];
        const e = expr(m.initializer, pre);
        stmts.push(...pre, at(m, { k: "store", target: { k: "prop", obj: { k: "var", name: self }, name: (m.name as TS.Identifier).text }, e }));
      }
    }
    for (const p of fnNode?.parameters ?? []) {
      if (ts.getCombinedModifierFlags(p) & (ts.ModifierFlags.ParameterPropertyModifier) && ts.isIdentifier(p.name))
        stmts.push(at(p, { k: "store", target: { k: "prop", obj: { k: "var", name: self }, name: p.name.text }, e: { k: "var", name: localName(p.name)! } }));
    }
    if (fnNode?.body && ts.isBlock(fnNode.body)) stmts.push(...block(fnNode.body.statements));
    stmts.push({ k: "return", e: { k: "var", name: self } });
  } else if (ts.isBlock(fnNode!.body!)) stmts.push(...block(fnNode!.body.statements));
  else {
    const pre: Pre = [];
    const e = expr(fnNode!.body as TS.Expression, pre);
    stmts.push(...pre, at(fnNode!.body!, { k: "return", e }));
  }
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
  return { func, names, usesRuntime };
}

/** Drops assignments to control flags nothing reads (e.g. `returned` when the only return is last). */
function removeUnreadFlags(body: Stmt[], flags: Set<string>): Stmt[] {
  const read = new Set<string>();
  const reads = (e: Expr): void => { allReads(e, read); };
  const scan = (list: Stmt[]): void => {
    for (const s of list) {
      if (s.k === "assign" || s.k === "expr" || s.k === "throw" || s.k === "push") reads(s.e);
      else if (s.k === "store") { reads(s.target); reads(s.e); }
      else if (s.k === "if") { reads(s.c); scan(s.then); scan(s.else); }
      else if (s.k === "while") { reads(s.c); scan(s.body); }
    }
  };
  scan(body);
  const keep = (list: Stmt[]): Stmt[] => list
    .filter((s) => !(s.k === "assign" && flags.has(s.name) && !read.has(s.name)))
    .map((s) => s.k === "if" ? { ...s, then: keep(s.then), else: keep(s.else) } : s.k === "while" ? { ...s, body: keep(s.body) } : s);
  return keep(body);
}
