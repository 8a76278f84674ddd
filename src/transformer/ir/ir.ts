// The small IR between the TypeScript front end and the emitter. Plain data, no `typescript` import,
// so the AD core (analyse, differentiate) can be read and tested without the compiler.

/** The shape of a value, as far as differentiation cares. */
export type VType =
  | { k: "num" }
  /** carries no numbers: strings, booleans, null, functions... — never has a gradient */
  | { k: "none" }
  | { k: "array"; elem: VType }
  | { k: "typed"; ctor: "Float64Array" | "Float32Array" }
  | { k: "tuple"; elems: VType[] }
  /** `optional`: the field may be absent (`a?: number`), and then so is the gradient's */
  | { k: "record"; fields: { name: string; type: VType; optional?: boolean }[] }
  /** a type we cannot see into (any, unions of shapes...); `why` completes BP1017's message */
  | { k: "unknown"; why?: string };

/** Where a construct came from, for comments and diagnostics. */
export interface Loc {
  /** full path, and the construct's offset and length, for diagnostics */
  fileName: string;
  start: number;
  length: number;
  /** base name, for comments */
  file: string;
  line: number;
  col: number;
  /** one-line source text, trimmed, for comments in the generated code */
  text: string;
}

export type BinOp =
  | "+" | "-" | "*" | "/" | "%" | "**"
  | "<" | "<=" | ">" | ">=" | "==" | "!=" | "===" | "!=="
  | "&&" | "||" | "??" | "&" | "|" | "^" | "<<" | ">>" | ">>>" | "in" | "instanceof";

/** A differentiable user function that a call resolves to (derived on demand by the planner). */
export interface FnRef {
  /** planner key of the function declaration */
  key: string;
  /** a method or getter takes its receiver as first argument; a constructor builds its result */
  kind?: "function" | "method" | "getter" | "constructor";
  /** expression that names the primal function at the call site, e.g. `sq` or `m.sq` */
  name: string;
  /** number of declared parameters (decides the gradient's shape) */
  arity: number;
  /** the result may be (part of) an argument or the receiver, by reference (`return this.data`) */
  sharesArgs?: boolean;
}

export type Expr =
  | { k: "num"; v: number }
  /** non-numeric literal, printed verbatim: true, false, null, undefined, "text" */
  | { k: "lit"; text: string }
  /** a local variable or parameter of the function being differentiated */
  | { k: "var"; name: string }
  /** a binding from outside the function (module constant, global): a constant for AD */
  | { k: "free"; path: string }
  | { k: "bin"; op: BinOp; a: Expr; b: Expr }
  | { k: "un"; op: "-" | "+" | "!" | "~" | "typeof"; a: Expr }
  /** a pure Math function */
  | { k: "math"; fn: string; args: Expr[] }
  | { k: "cond"; c: Expr; a: Expr; b: Expr }
  | { k: "index"; obj: Expr; index: Expr }
  | { k: "prop"; obj: Expr; name: string }
  /** a call: of a user function (fn set), or of anything else (a constant for AD) */
  | {
      k: "call";
      callee: Expr;
      args: Expr[];
      fn?: FnRef;
      /** stopGradient: no derivative flows through the arguments */
      noGrad?: boolean;
      /** name of a function without a body, for diagnostics */
      opaqueName?: string;
      /** a withGradient function: the callee's rule gives value and pullback */
      rule?: { name: string; arity: number };
      /** method call: the object it is called on (the derivative takes it as first argument) */
      receiver?: Expr;
      /** a getter: printed as the property access `callee` */
      getter?: boolean;
      /** a stack's push or pop: the record it belongs to, one per branch, loop or saved value (dead-traces.ts, dead-code.ts) */
      stackSite?: number;
    }
  | { k: "array"; elems: Expr[] }
  /** `newTarget`: a derived class's `super(...)`, emitted as `Reflect.construct(callee, args, newTarget)` */
  | { k: "new"; callee: Expr; args: Expr[]; fn?: FnRef; newTarget?: string }
  | { k: "object"; props: [string, Expr][] }
  | ArrowExpr;

export type Stmt =
  /** decl: the `let`/`const` that introduces the local (its old value is never read) */
  | { k: "assign"; name: string; e: Expr; loc?: Loc; decl?: boolean }
  /** write into an element or field: `target` is an access path (index/prop chain) rooted at a local */
  | { k: "store"; target: Expr; e: Expr; loc?: Loc }
  /** `arr.push(e)` on a local array */
  | { k: "push"; arr: string; e: Expr; loc?: Loc }
  /** evaluated for its effects only */
  | { k: "expr"; e: Expr; loc?: Loc }
  | { k: "if"; c: Expr; then: Stmt[]; else: Stmt[]; loc?: Loc }
  | { k: "while"; c: Expr; body: Stmt[]; loc?: Loc }
  | { k: "throw"; e: Expr; loc?: Loc }
  // The kinds below exist only between lowering and structurizing.
  | {
      k: "loop";
      /** statements evaluated before the test, each iteration (hoisted calls of the condition) */
      pre: Stmt[];
      c: Expr | null;
      body: Stmt[];
      update: Stmt[];
      /** do…while: body runs before the first test */
      testAfter: boolean;
      label?: string;
      loc?: Loc;
    }
  | { k: "break"; label?: string; loc?: Loc }
  | { k: "continue"; label?: string; loc?: Loc }
  | { k: "return"; e?: Expr; loc?: Loc }
  /** a labelled block or switch that `break label` may leave */
  | { k: "block"; body: Stmt[]; label?: string; isSwitch: boolean; loc?: Loc };

export interface Param {
  name: string;
  type: VType;
  /** the declaration, for diagnostics about the parameter itself */
  loc?: Loc;
}

export interface Func {
  /** name used for generated functions, e.g. `poly` */
  name: string;
  params: Param[];
  body: Stmt[];
  /** type of every local (params included) */
  types: Map<string, VType>;
  /** the local holding the result after structurizing */
  result: string;
  /** the control flags structurizing introduced (break, continue, return) */
  flags: string[];
  resultType: VType;
  loc: Loc;
  /** source range for the "forward sweep — file:a-b" comment */
  lines: [number, number];
}

export const NUM: VType = { k: "num" };
export const NONE: VType = { k: "none" };

export function carriesNumbers(t: VType): boolean {
  switch (t.k) {
    case "num": case "typed": case "unknown": return true;
    case "none": return false;
    case "array": return carriesNumbers(t.elem);
    case "tuple": return t.elems.some(carriesNumbers);
    case "record": return t.fields.some((f) => carriesNumbers(f.type));
  }
}

/** The local an access path starts from: `m` for `m[i].w`; undefined for anything else. */
export function rootOf(e: Expr): string | undefined {
  while (e.k === "index" || e.k === "prop") e = e.obj;
  return e.k === "var" ? e.name : undefined;
}

/** `Object.create(…)`: how a constructor's derivative builds `self` (an object with no fields yet). */
export const isObjectCreate = (e: Expr): boolean => e.k === "call" && e.callee.k === "free" && e.callee.path === "Object.create";

/** The local a store or push writes into. */
export function writtenRoot(s: Stmt): string | undefined {
  return s.k === "push" ? s.arr : s.k === "store" ? rootOf(s.target) : undefined;
}

/** Calls `f` on each direct subexpression, in mapChildren's order (without copying `e`). */
export function forEachChild(e: Expr, f: (e: Expr) => void): void {
  switch (e.k) {
    case "bin": f(e.a); f(e.b); return;
    case "un": f(e.a); return;
    case "math": for (const x of e.args) f(x); return;
    case "cond": f(e.c); f(e.a); f(e.b); return;
    case "index": f(e.obj); f(e.index); return;
    case "prop": f(e.obj); return;
    case "call": f(e.callee); for (const x of e.args) f(x); if (e.receiver) f(e.receiver); return;
    case "new": f(e.callee); for (const x of e.args) f(x); return;
    case "array": for (const x of e.elems) f(x); return;
    case "object": for (const [, x] of e.props) f(x); return;
    default: return;
  }
}

/** Whether `pred` holds for some direct subexpression (in forEachChild's order, stopping at the first). */
export function someChild(e: Expr, pred: (e: Expr) => boolean): boolean {
  switch (e.k) {
    case "bin": return pred(e.a) || pred(e.b);
    case "un": return pred(e.a);
    case "math": return e.args.some((x) => pred(x));
    case "cond": return pred(e.c) || pred(e.a) || pred(e.b);
    case "index": return pred(e.obj) || pred(e.index);
    case "prop": return pred(e.obj);
    case "call": return pred(e.callee) || e.args.some((x) => pred(x)) || (!!e.receiver && pred(e.receiver));
    case "new": return pred(e.callee) || e.args.some((x) => pred(x));
    case "array": return e.elems.some((x) => pred(x));
    case "object": return e.props.some(([, x]) => pred(x));
    default: return false;
  }
}

/** `e` with each direct subexpression replaced by `f` of it. */
export function mapChildren(e: Expr, f: (e: Expr) => Expr): Expr {
  switch (e.k) {
    case "bin": return { ...e, a: f(e.a), b: f(e.b) };
    case "un": return { ...e, a: f(e.a) };
    case "math": return { ...e, args: e.args.map(f) };
    case "cond": return { ...e, c: f(e.c), a: f(e.a), b: f(e.b) };
    case "index": return { ...e, obj: f(e.obj), index: f(e.index) };
    case "prop": return { ...e, obj: f(e.obj) };
    case "call": return { ...e, callee: f(e.callee), args: e.args.map(f), receiver: e.receiver && f(e.receiver) };
    case "new": return { ...e, callee: f(e.callee), args: e.args.map(f) };
    case "array": return { ...e, elems: e.elems.map(f) };
    case "object": return { ...e, props: e.props.map(([k, x]) => [k, f(x)] as [string, Expr]) };
    default: return e;
  }
}

/** Evaluating `e` calls nothing and creates nothing (so it may be dropped, repeated or moved). */
export function callsNothing(e: Expr): boolean {
  if (e.k === "call" || e.k === "new" || e.k === "arrow") return false;
  return !someChild(e, callsSomething);
}
const callsSomething = (e: Expr) => !callsNothing(e);

export const v = (name: string): Expr => ({ k: "var", name });
export const lengthOf = (e: Expr): Expr => ({ k: "prop", obj: e, name: "length" });
export const num = (x: number): Expr => ({ k: "num", v: x });
export const bin = (op: BinOp, a: Expr, b: Expr): Expr => ({ k: "bin", op, a, b });

// ---- Output IR: the generated code before it becomes TypeScript nodes ----

/** `note` becomes a `//` comment above the statement (source line of the primal it belongs to). */
export type OStmt = OStmtKind & { note?: string };
type OStmtKind =
  | { k: "let"; name: string; init?: Expr; konst?: boolean; note?: string }
  | { k: "set"; target: Expr; op: "=" | "+=" | "-="; value: Expr; note?: string }
  | { k: "do"; e: Expr; note?: string }
  | { k: "if"; c: Expr; then: OStmt[]; else: OStmt[]; note?: string }
  | { k: "while"; c: Expr; body: OStmt[]; note?: string }
  /** `for (let i = from; i > 0; i--)` — replays a loop's iterations backwards */
  | { k: "countdown"; name: string; from?: Expr; body: OStmt[]; note?: string }
  | { k: "return"; e?: Expr }
  | { k: "throw"; e: Expr; note?: string }
  /** a parameter with `init` has that default (`dp = $bp.zeroLike(p)`) */
  | { k: "fn"; name: string; params: (string | { name: string; init: Expr })[]; body: OStmt[]; note?: string }
  // Markers resolved by the to-be-recorded pass (4-analyse/tbr.ts) before emission.
  | { k: "save"; name: string; id: number; nested: boolean }
  | { k: "restore"; name: string; id: number; nested: boolean; note?: string };

/** A generated function expression: `(a, b) => { ... }` */
export interface ArrowExpr {
  k: "arrow";
  params: string[];
  body: OStmt[];
}
