// Resolves what a call or a grad site refers to (a function with a body we can differentiate, a
// withGradient rule, or something opaque), and maps TypeScript types to the IR's value shapes.
import type * as TS from "typescript";
import type { TypeScript } from "../api.js";
import type { VType } from "../ir/ir.js";
import { carriesNumbers } from "../ir/ir.js";
import { resolvedSymbol, runtimeExportOf } from "./runtime-symbols.js";

export type FunctionNode = TS.FunctionDeclaration | TS.FunctionExpression | TS.ArrowFunction;
/** What can be differentiated: functions, and the members of user classes. A class without a
 *  constructor stands for its implicit one (field initialisers only). */
export type Differentiable = FunctionNode | TS.MethodDeclaration | TS.GetAccessorDeclaration | TS.ConstructorDeclaration | TS.ClassDeclaration;

export type Callee =
  | { kind: "function"; node: FunctionNode; name: string; key: string }
  /** an instance method or getter of a user class; `name` is `Class$method` */
  | { kind: "method" | "getter"; node: TS.MethodDeclaration | TS.GetAccessorDeclaration; name: string; key: string }
  /** `const f = withGradient(rule)` */
  | { kind: "rule"; name: string; key: string; params?: number }
  /** a declared function with no body (`declare function`, a .d.ts import) */
  | { kind: "no-body"; name: string }
  /** a method or getter of a union of classes (`(Circle | Rect).area()`): which body runs is known only at run time */
  | { kind: "union-member"; name: string; owners: string[] }
  /** `export default function (…)`: nothing in its module names it */
  | { kind: "unnamed"; node: TS.FunctionDeclaration }
  | { kind: "unknown" };

export const keyOf = (node: TS.Node): string => `${node.getSourceFile().fileName}#${node.pos}`;

export function resolveCallee(ts: TypeScript, checker: TS.TypeChecker, expr: TS.Expression): Callee {
  let e = expr;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return { kind: "function", node: e, name: e.name?.text ?? "f", key: keyOf(e) };
  if (!ts.isIdentifier(e) && !ts.isPropertyAccessExpression(e)) return { kind: "unknown" };
  const sym = resolvedSymbol(ts, checker, e);
  const decl = sym?.valueDeclaration ?? sym?.declarations?.[0];
  if (!sym || !decl) return { kind: "unknown" };
  const name = sym.name;
  // a member of a union of classes: a synthetic symbol with one declaration per class (the first
  // one is its valueDeclaration, so resolving it would differentiate every call as that class's)
  const owners = new Set((sym.declarations ?? []).map((d) => d.parent));
  if (sym.flags & ts.SymbolFlags.Transient && owners.size > 1 && sym.declarations!.some((d) => ts.isMethodDeclaration(d) || ts.isGetAccessorDeclaration(d)))
    return { kind: "union-member", name, owners: [...owners].map((o) => (ts.isClassLike(o) && o.name ? o.name.text : "an object type")) };
  if ((ts.isMethodDeclaration(decl) || ts.isGetAccessorDeclaration(decl)) && ts.isClassDeclaration(decl.parent)) {
    const cls = decl.parent.name?.text;
    if (!decl.body || !cls || decl.getSourceFile().isDeclarationFile) return { kind: "no-body", name };
    if (ts.getCombinedModifierFlags(decl) & ts.ModifierFlags.Static) {
      if (ts.isGetAccessorDeclaration(decl)) return { kind: "unknown" };
      return { kind: "function", node: decl as unknown as FunctionNode, name: `${cls}$${name}`, key: keyOf(decl) };
    }
    const kind = ts.isGetAccessorDeclaration(decl) ? "getter" : "method";
    return { kind, node: decl, name: `${cls}$${kind === "getter" ? "get_" : ""}${name}`, key: keyOf(decl) };
  }
  if (ts.isFunctionDeclaration(decl)) {
    // overloads: the implementation is the declaration with a body
    const impl = sym.declarations?.find((d): d is TS.FunctionDeclaration => ts.isFunctionDeclaration(d) && d.body !== undefined);
    if (!impl || impl.getSourceFile().isDeclarationFile) return { kind: "no-body", name };
    // `export default function square` is named `square` in its module; an anonymous one has no
    // name there to hang its derivative on
    if (!impl.name) return { kind: "unnamed", node: impl };
    return { kind: "function", node: impl, name: impl.name.text, key: keyOf(impl) };
  }
  if (ts.isVariableDeclaration(decl) && decl.initializer) {
    if (decl.getSourceFile().isDeclarationFile) return { kind: "no-body", name };
    let init = decl.initializer;
    while (ts.isParenthesizedExpression(init) || ts.isAsExpression(init) || ts.isSatisfiesExpression(init)) init = init.expression;
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) {
      if (!(ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const)) return { kind: "unknown" };
      return { kind: "function", node: init, name, key: keyOf(init) };
    }
    if (ts.isCallExpression(init) && runtimeExportOf(ts, checker, init.expression) === "withGradient") {
      // how many arguments the rule takes, when it says (a callback is handed item, index, array)
      const r = init.arguments[0];
      const params = r && (ts.isArrowFunction(r) || ts.isFunctionExpression(r)) && !r.parameters.some((q) => q.dotDotDotToken) ? r.parameters.length : undefined;
      return { kind: "rule", name, key: keyOf(init), params };
    }
  }
  // `declare const f: ...` or a .d.ts: a function with no body; a `let` holding one is not visible
  const declared = decl.getSourceFile().isDeclarationFile || (ts.getCombinedModifierFlags(decl as TS.Declaration) & ts.ModifierFlags.Ambient) !== 0;
  if ((ts.isVariableDeclaration(decl) || ts.isFunctionDeclaration(decl)) && declared) return { kind: "no-body", name };
  return { kind: "unknown" };
}

/** `new C(...)` of a user class: its constructor, or the class itself when it has none. */
export function resolveConstructor(ts: TypeScript, checker: TS.TypeChecker, n: TS.NewExpression):
  { node: TS.ConstructorDeclaration | TS.ClassDeclaration; name: string; key: string } | undefined {
  const sym = resolvedSymbol(ts, checker, n.expression);
  const cls = sym?.valueDeclaration;
  if (!cls || !ts.isClassDeclaration(cls) || !cls.name || cls.getSourceFile().isDeclarationFile) return undefined;
  const node = ownConstructor(ts, cls) ?? cls;
  return { node, name: `${cls.name.text}$new`, key: keyOf(node) };
}

/**
 * Whether a function may return (a part of) its arguments or `this` by reference: `return xs`,
 * `return this.data`, `return pick(xs)`. Its caller then shares those values with the result, and
 * a write through the result is a write into them. Fresh values (`[...]`, `{...}`, `new`, `map`,
 * `slice`, arithmetic, a local holding only such) are not references; anything else may be.
 */
export function mayReturnReference(ts: TypeScript, checker: TS.TypeChecker, fn: TS.FunctionLikeDeclaration): boolean {
  let known = returnsReference.get(fn);
  if (known === undefined) returnsReference.set(fn, (known = decideReturnsReference(ts, checker, fn)));
  return known;
}

// asked at every call site of a function: its returns are read once
const returnsReference = new WeakMap<TS.FunctionLikeDeclaration, boolean>();

function decideReturnsReference(ts: TypeScript, checker: TS.TypeChecker, fn: TS.FunctionLikeDeclaration): boolean {
  if (!fn.body) return true;
  if (!ts.isBlock(fn.body)) return isReference(ts, checker, fn.body, new Map());
  const assigned = new Map<string, TS.Expression[]>();
  const returned: TS.Expression[] = [];
  const visit = (n: TS.Node): void => {
    if (n !== fn && ts.isFunctionLike(n)) return; // a nested function's returns are its own
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name)) assigned.set(n.name.text, [...(assigned.get(n.name.text) ?? []), ...(n.initializer ? [n.initializer] : [])]);
    else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left)) assigned.set(n.left.text, [...(assigned.get(n.left.text) ?? []), n.right]);
    else if (ts.isReturnStatement(n) && n.expression) returned.push(n.expression);
    ts.forEachChild(n, visit);
  };
  visit(fn.body);
  return returned.some((e) => isReference(ts, checker, e, assigned));
}

const FRESH_METHODS = new Set(["map", "filter", "slice", "concat", "from", "of", "fill"]);

function isReference(ts: TypeScript, checker: TS.TypeChecker, e: TS.Expression, assigned: Map<string, TS.Expression[]>, depth = 0): boolean {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  if (depth > 8) return true;
  // asked first, as the checker type-checks the whole expression again for its type
  if (valueByForm(ts, e)) return false;
  // a number, string or boolean is a value, never a reference (`{ s: ws[0] }`)
  if (checker.getTypeAtLocation(e).flags & (ts.TypeFlags.NumberLike | ts.TypeFlags.StringLike | ts.TypeFlags.BooleanLike)) return false;
  const ref = (x: TS.Expression) => isReference(ts, checker, x, assigned, depth + 1);
  if (ts.isIdentifier(e)) {
    const inits = assigned.get(e.text);
    return !inits || inits.length === 0 || inits.some(ref);
  }
  if (ts.isArrayLiteralExpression(e)) return e.elements.some((x) => ref(ts.isSpreadElement(x) ? x.expression : x));
  if (ts.isObjectLiteralExpression(e)) return e.properties.some((p) => (ts.isPropertyAssignment(p) ? ref(p.initializer) : ts.isSpreadAssignment(p) ? ref(p.expression) : !ts.isMethodDeclaration(p)));
  if (ts.isConditionalExpression(e)) return ref(e.whenTrue) || ref(e.whenFalse);
  if (ts.isBinaryExpression(e)) return picksOperand(ts, e) ? ref(e.left) || ref(e.right) : false;
  if (ts.isNewExpression(e)) return false;
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && FRESH_METHODS.has(e.expression.name.text)) return false;
  if (ts.isCallExpression(e) || ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || e.kind === ts.SyntaxKind.ThisKeyword) return true;
  return false; // literals, arithmetic, templates, typeof, …
}

/** `a ?? b`, `a || b`, `a && b`, `a, b`: the value is one of the operands. */
function picksOperand(ts: TypeScript, e: TS.BinaryExpression): boolean {
  const k = e.operatorToken.kind;
  return k === ts.SyntaxKind.QuestionQuestionToken || k === ts.SyntaxKind.BarBarToken || k === ts.SyntaxKind.AmpersandAmpersandToken || k === ts.SyntaxKind.CommaToken;
}

/** The forms isReference answers false for whatever their type: arithmetic, literals, `new`, fresh copies. */
function valueByForm(ts: TypeScript, e: TS.Expression): boolean {
  if (ts.isBinaryExpression(e)) return !picksOperand(ts, e);
  if (ts.isNewExpression(e)) return true;
  if (ts.isCallExpression(e)) return ts.isPropertyAccessExpression(e.expression) && FRESH_METHODS.has(e.expression.name.text);
  return !(ts.isIdentifier(e) || ts.isArrayLiteralExpression(e) || ts.isObjectLiteralExpression(e) || ts.isConditionalExpression(e) ||
    ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e) || e.kind === ts.SyntaxKind.ThisKeyword);
}

/** The constructor a class declares with a body (not an overload signature), if any. */
export function ownConstructor(ts: TypeScript, cls: TS.ClassDeclaration): TS.ConstructorDeclaration | undefined {
  return cls.members.find((m): m is TS.ConstructorDeclaration => ts.isConstructorDeclaration(m) && m.body !== undefined);
}

/** The user class `cls` extends (declared with a body in this program), if any. */
export function baseClassOf(ts: TypeScript, checker: TS.TypeChecker, cls: TS.ClassLikeDeclaration): TS.ClassDeclaration | undefined {
  const clause = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
  const base = clause?.types[0]?.expression;
  const decl = base && resolvedSymbol(ts, checker, base)?.valueDeclaration;
  return decl && ts.isClassDeclaration(decl) && !decl.getSourceFile().isDeclarationFile ? decl : undefined;
}

/** The parameters `new C(...)` takes: its constructor's, else (implicit `super(...args)`) its base's. */
export function constructorParameters(ts: TypeScript, checker: TS.TypeChecker, cls: TS.ClassDeclaration): readonly TS.ParameterDeclaration[] {
  for (let c: TS.ClassDeclaration | undefined = cls, depth = 0; c && depth < 100; c = baseClassOf(ts, checker, c), depth++) {
    const ctor = ownConstructor(ts, c);
    if (ctor) return ctor.parameters;
  }
  return [];
}

/** The class a member belongs to. */
export function classOf(ts: TypeScript, node: Differentiable): TS.ClassDeclaration | undefined {
  if (ts.isClassDeclaration(node)) return node;
  if ((ts.isMethodDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isConstructorDeclaration(node)) && ts.isClassDeclaration(node.parent)) return node.parent;
  return undefined;
}

/** The statement a function is declared by, where its derivative goes. */
export function declaringStatement(ts: TypeScript, fn: Differentiable): TS.Statement | undefined {
  const cls = classOf(ts, fn);
  if (cls) return cls;
  if (ts.isFunctionDeclaration(fn)) return fn;
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  let n: TS.Node = fn.parent;
  while (ts.isParenthesizedExpression(n) || ts.isAsExpression(n) || ts.isSatisfiesExpression(n)) n = n.parent;
  if (ts.isVariableDeclaration(n) && ts.isVariableDeclarationList(n.parent) && ts.isVariableStatement(n.parent.parent)) return n.parent.parent;
  return undefined;
}

/** The name a function has in its own module (`cube` for `export { cube as tri }`), if it has one. */
export function ownNameOf(ts: TypeScript, fn: Differentiable): string | undefined {
  if (ts.isFunctionDeclaration(fn)) return fn.name?.text;
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
  const stmt = declaringStatement(ts, fn);
  const decl = stmt && ts.isVariableStatement(stmt) ? stmt.declarationList.declarations.find((d) => d.initializer && unwrap(ts, d.initializer) === fn) : undefined;
  return decl && ts.isIdentifier(decl.name) ? decl.name.text : undefined;
}

/** A function declared in a namespace: its derivative, inside the namespace too, is reached as `N.f.$grad`. */
export function inNamespace(ts: TypeScript, fn: Differentiable): boolean {
  const stmt = declaringStatement(ts, fn);
  return !!stmt && ts.isModuleBlock(stmt.parent);
}

/** True when the function is a top-level export of its module (other modules may call it). */
export function isExported(ts: TypeScript, checker: TS.TypeChecker, fn: Differentiable): boolean {
  const stmt = declaringStatement(ts, fn);
  if (!stmt || !ts.isSourceFile(stmt.parent)) return false;
  const moduleSym = checker.getSymbolAtLocation(stmt.parent);
  if (!moduleSym) return false;
  const cls = classOf(ts, fn);
  const nameNode = cls ? cls.name : ts.isFunctionDeclaration(fn) ? fn.name : !ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn) ? undefined : ts.isVariableStatement(stmt) ? stmt.declarationList.declarations.find((d) => d.initializer && unwrap(ts, d.initializer) === fn)?.name : undefined;
  if (!nameNode) return false;
  const sym = checker.getSymbolAtLocation(nameNode);
  return !!sym && exportsOf(ts, checker, moduleSym).has(sym);
}

/** A module's exports, re-exported aliases resolved too: asked once per module and Program. */
function exportsOf(ts: TypeScript, checker: TS.TypeChecker, moduleSym: TS.Symbol): Set<TS.Symbol> {
  let byModule = moduleExports.get(checker);
  if (!byModule) moduleExports.set(checker, (byModule = new WeakMap()));
  let set = byModule.get(moduleSym);
  if (!set) {
    set = new Set();
    for (const e of checker.getExportsOfModule(moduleSym)) {
      set.add(e);
      if (e.flags & ts.SymbolFlags.Alias) set.add(checker.getAliasedSymbol(e));
    }
    byModule.set(moduleSym, set);
  }
  return set;
}
const moduleExports = new WeakMap<TS.TypeChecker, WeakMap<TS.Symbol, Set<TS.Symbol>>>();

function unwrap(ts: TypeScript, e: TS.Expression): TS.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  return e;
}

/** Integer typed arrays: their elements are rounded, so they carry no derivative (as Math.floor). */
const INT_TYPED = new Set(["Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array", "BigInt64Array", "BigUint64Array"]);
const LIB_FILE = /[\\/]lib\.[\w.]*d\.ts$/;

export function vtypeOf(ts: TypeScript, checker: TS.TypeChecker, type: TS.Type, depth = 0): VType {
  const F = ts.TypeFlags;
  if (depth > 8) return { k: "unknown" };
  if (type.flags & (F.Any | F.Unknown)) return { k: "unknown" };
  const show = () => checker.typeToString(type);
  // a type parameter (or `T[K]`, a conditional type) has the shape of its constraint
  if (type.flags & (F.TypeParameter | F.IndexedAccess | F.Conditional | F.Substitution)) {
    const c = checker.getBaseConstraintOfType(type);
    // no constraint: each call may pass another shape, and one derivative serves them all
    if (!c || c === type || c.flags & (F.Any | F.Unknown) || (c.flags & F.Object && checker.getPropertiesOfType(c).length === 0 && checker.getIndexInfosOfType(c).length === 0 && c.getCallSignatures().length === 0))
      return { k: "unknown", why: `its type ${show()} is a type parameter with no constraint, so one derivative cannot serve every shape a call may pass. Constrain it ("extends number[]") or give the parameter a concrete type` };
    return vtypeOf(ts, checker, c, depth + 1);
  }
  if (type.flags & F.NumberLike) return { k: "num" };
  if (type.flags & (F.StringLike | F.BooleanLike | F.Null | F.Undefined | F.Void | F.BigIntLike | F.ESSymbolLike | F.Never)) return { k: "none" };
  if (type.isUnion()) {
    const members = type.types.map((t) => ({ t, v: vtypeOf(ts, checker, t, depth + 1) })).filter((m) => m.v.k !== "none");
    const parts = members.map((m) => m.v);
    if (parts.length === 0) return { k: "none" };
    if (parts.every((p) => p.k === "num")) return { k: "num" };
    if (parts.length === 1) return parts[0];
    if (parts.every((p) => p.k === "record")) return mergeRecords(ts, checker, show(), members.map((m) => m.t), depth);
    return { k: "unknown", why: `its type ${show()} is a union of different shapes (${[...new Set(parts.map(describeShape))].join(", ")}), so its shape is known only at run time. Give it one shape` };
  }
  if (type.isIntersection()) {
    // a branded number or array (`number & { unit: "m" }`) has the primitive's shape
    const parts = type.types.map((t) => vtypeOf(ts, checker, t, depth + 1));
    const base = parts.find((p) => p.k === "num" || p.k === "array" || p.k === "typed" || p.k === "tuple");
    if (base) return base;
    if (type.types.some((t) => t.flags & (F.StringLike | F.BooleanLike | F.BigIntLike | F.ESSymbolLike))) return { k: "none" };
    const unknown = parts.find((p) => p.k === "unknown");
    if (unknown) return unknown;
    // records intersected: their fields together, below
  }
  const sym = type.getSymbol();
  const name = sym?.name;
  if (name === "Float64Array" || name === "Float32Array") return { k: "typed", ctor: name };
  if (name && INT_TYPED.has(name)) return { k: "none" };
  if (checker.isTupleType(type)) {
    const elems = checker.getTypeArguments(type as TS.TypeReference).map((t) => vtypeOf(ts, checker, t, depth + 1));
    // `[number, ...number[]]`: its length is known only at run time, so it is an array
    const target = (type as TS.TypeReference).target as TS.TupleType;
    if (target.elementFlags?.some((f) => f & ts.ElementFlags.Variable)) {
      if (elems.every((e) => JSON.stringify(e) === JSON.stringify(elems[0]))) return { k: "array", elem: elems[0] ?? { k: "none" } };
      return { k: "unknown", why: `its type ${show()} is a tuple with a rest element of another shape, so its shape is known only at run time. Use an array or a fixed tuple` };
    }
    return { k: "tuple", elems };
  }
  if (checker.isArrayType(type)) {
    const [elem] = checker.getTypeArguments(type as TS.TypeReference);
    return { k: "array", elem: elem ? vtypeOf(ts, checker, elem, depth + 1) : { k: "unknown" } };
  }
  if (type.getCallSignatures().length > 0) return { k: "none" };
  // built-in objects: a container of numbers (Map<string, number>, Set, ArrayLike) holds them out of
  // reach of fields; one of no numbers (Date, RegExp) is a constant
  if (sym && sym.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class) && sym.declarations?.length && sym.declarations.every((d) => LIB_FILE.test(d.getSourceFile().fileName))) {
    const args = (type as TS.ObjectType).objectFlags & ts.ObjectFlags.Reference ? checker.getTypeArguments(type as TS.TypeReference) : [];
    if (!args.some((t) => carriesNumbers(vtypeOf(ts, checker, t, depth + 1)))) return { k: "none" };
    return { k: "unknown", why: `its type ${show()} is a built-in object whose numbers are not in fields (not an array, Float64Array/Float32Array, tuple or plain record). Pass the numbers as an array or record` };
  }
  if (type.flags & F.Object || type.isIntersection()) {
    // `Record<string, number>`, `{ [k: string]: number }`: which fields exist is known only at run time
    if (checker.getIndexInfosOfType(type).some((i) => carriesNumbers(vtypeOf(ts, checker, i.type, depth + 1))))
      return { k: "unknown", why: `its type ${show()} has an index signature, so which fields it has is known only at run time. Use named fields or an array` };
    const fields = fieldsOf(ts, checker, type).map(({ name, t, optional }) => {
      const type = vtypeOf(ts, checker, t, depth + 1);
      return optional ? { name, type, optional } : { name, type };
    });
    return { k: "record", fields };
  }
  return { k: "unknown" };
}

/** A record's data fields (methods left out) with their TypeScript types. */
function fieldsOf(ts: TypeScript, checker: TS.TypeChecker, type: TS.Type): { name: string; t: TS.Type; optional: boolean }[] {
  return checker.getPropertiesOfType(type)
    .filter((p) => !(p.flags & ts.SymbolFlags.Method))
    .map((p) => {
      const decl = p.valueDeclaration ?? p.declarations?.[0];
      const t = decl ? checker.getTypeOfSymbolAtLocation(p, decl) : checker.getTypeOfSymbol(p);
      return { name: p.name, t, optional: (p.flags & ts.SymbolFlags.Optional) !== 0 };
    });
}

/**
 * A union of records (`{ kind: "circle"; r: number } | { kind: "rect"; w: number; h: number }`) as
 * one record of all the members' fields: a field some member lacks is optional, as `a?: number` is.
 * That is exact for gradients because shadows are made at run time from the actual value
 * (`zeroLike` of a circle has `r`, of a rect `w` and `h`), and the program reads `s.r` only where
 * `s` is a circle, so the adjoint adds into `ds.r` only there. A field whose type is only
 * undefined/null in a member (`r?: undefined`, the exhaustive-union idiom) is absent there. A field
 * with different shapes in two members (a number in one, a string or an array in another) would
 * need the member known at build time: BP1017, naming the field.
 */
function mergeRecords(ts: TypeScript, checker: TS.TypeChecker, shown: string, members: TS.Type[], depth: number): VType {
  const F = ts.TypeFlags;
  const nothing = (t: TS.Type) => (t.isUnion() ? t.types : [t]).every((u) => u.flags & (F.Undefined | F.Null | F.Void | F.Never));
  const merged = new Map<string, { type: VType; tsType: TS.Type; member: TS.Type; count: number; optional: boolean }>();
  for (const member of members) {
    for (const { name, t, optional } of fieldsOf(ts, checker, member)) {
      if (nothing(t)) continue;
      const type = vtypeOf(ts, checker, t, depth + 1);
      const seen = merged.get(name);
      if (!seen) {
        merged.set(name, { type, tsType: t, member, count: 1, optional });
        continue;
      }
      if (!sameShape(seen.type, type)) {
        const was = checker.typeToString(seen.tsType), now = checker.typeToString(t);
        return { k: "unknown", why: `its type ${shown} is a union whose members give the field '${name}' different shapes (${was} in ${checker.typeToString(seen.member)}, ${now} in ${checker.typeToString(member)}), so its shape is known only at run time. Give '${name}' one shape in every member, or name the fields differently` };
      }
      seen.count++;
      seen.optional ||= optional;
    }
  }
  const fields = [...merged].map(([name, f]) => (f.optional || f.count < members.length ? { name, type: f.type, optional: true } : { name, type: f.type }));
  return { k: "record", fields };
}

/** Two shapes are the same, whatever the order of their records' fields. */
function sameShape(a: VType, b: VType): boolean {
  switch (a.k) {
    case "array": return b.k === "array" && sameShape(a.elem, b.elem);
    case "typed": return b.k === "typed" && a.ctor === b.ctor;
    case "tuple": return b.k === "tuple" && a.elems.length === b.elems.length && a.elems.every((e, i) => sameShape(e, b.elems[i]!));
    case "record": return b.k === "record" && a.fields.length === b.fields.length &&
      a.fields.every((f) => b.fields.some((g) => g.name === f.name && !g.optional === !f.optional && sameShape(f.type, g.type)));
    default: return a.k === b.k;
  }
}

/** A shape in words, for messages. */
function describeShape(t: VType): string {
  switch (t.k) {
    case "num": return "a number";
    case "none": return "no numbers";
    case "array": return "an array";
    case "typed": return `a ${t.ctor}`;
    case "tuple": return "a tuple";
    case "record": return "a record";
    case "unknown": return "a type not known";
  }
}
