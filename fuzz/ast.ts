// The fuzzer's own small AST: what the generator builds, the printer turns into TypeScript, the
// interpreter evaluates (plain and with forward-mode dual numbers) and the shrinker edits.
// Numbers, booleans (in conditions), arrays (`number[]`, `Float64Array`, `Float32Array`), records, class
// instances and local functions. A name in `var`/`len`/`idx`/`assign` may be a path (`p.s.k`,
// `o0.u`, `this.u`): record fields are read and written through it.

export type NumOp = "+" | "-" | "*" | "/" | "%" | "**";
export type CmpOp = "<" | "<=" | ">" | ">=" | "===" | "!==";
export type AssignOp = "=" | "+=" | "-=" | "*=" | "/=" | "%=";

/** a record type: fields in declaration order */
export interface RecType { fields: { name: string; type: Type }[] }
export type Type = "number" | "number[]" | "Float64Array" | "Float32Array" | RecType | { cls: string };

/** a typed array type */
export const isTyped = (t: Type | undefined): t is "Float64Array" | "Float32Array" => t === "Float64Array" || t === "Float32Array";

export const isRec = (t: Type): t is RecType => typeof t === "object" && "fields" in t;
export const isCls = (t: Type): t is { cls: string } => typeof t === "object" && "cls" in t;

export type Expr =
  | { k: "num"; v: number }
  | { k: "var"; name: string }
  | { k: "len"; arr: string }
  | { k: "idx"; arr: string; index: Expr }
  /** `(arr[index] ?? b)`: a read that may fall outside the array (then `b`) */
  | { k: "nullish"; a: Expr; b: Expr }
  | { k: "neg"; a: Expr }
  | { k: "bin"; op: NumOp; a: Expr; b: Expr }
  | { k: "math"; fn: string; args: Expr[] }
  | { k: "cond"; c: BExpr; a: Expr; b: Expr }
  /** a helper, a `withGradient` rule or a local function */
  | { k: "call"; fn: string; args: Arg[] }
  /** `obj.method(args)` on a class instance */
  | { k: "mcall"; obj: string; method: string; args: Expr[] }
  /** `arr.reduce((acc, v[, i]) => body, init)` */
  | { k: "reduce"; arr: string; acc: string; v: string; i?: string; body: Expr; init: Expr }
  /** `name++` / `++name` / `--` used as a value */
  | { k: "inc"; name: string; op: "++" | "--"; prefix: boolean }
  /**
   * an integer trip count / recursion depth, at most `max`: never grows when shrunk; "prefix" is
   * `Math.min(e, arr.length)` (a loop over a prefix of `arr` that grows with an outer counter)
   */
  | { k: "trip"; form: "const" | "len" | "floor" | "round" | "prefix"; max: number; e?: Expr; arr?: string };

export type BExpr =
  | { k: "cmp"; op: CmpOp; a: Expr; b: Expr }
  | { k: "and"; a: BExpr; b: BExpr }
  | { k: "or"; a: BExpr; b: BExpr }
  | { k: "not"; a: BExpr }
  | { k: "bool"; v: boolean };

/** a call argument: a number expression or a non-number value (array, record) passed through */
export type Arg = Expr | { k: "arr"; name: string };

/** a value that is not a number: the initialiser of a `letv`, a helper's record result */
export type VExpr =
  /** another name (or path) for an existing value: an alias, not a copy */
  | { k: "ref"; name: string }
  | { k: "obj"; fields: { name: string; e: Expr | VExpr }[] }
  /** `[]` */
  | { k: "empty" }
  /** `new Array<number>(n).fill(0)` */
  | { k: "zeros"; n: Expr }
  /** `arr.slice()` */
  | { k: "slice"; arr: string }
  /** `new Float64Array(n)` (`new Float32Array(n)` with `f32`) */
  | { k: "f64"; n: Expr; f32?: boolean }
  /** `new Float64Array(arr)` (`new Float32Array(arr)` with `f32`) */
  | { k: "f64from"; arr: string; f32?: boolean }
  /** `arr.map((v[, i]) => body)` */
  | { k: "map"; arr: string; v: string; i?: string; body: Expr }
  /** a call of a helper that returns a record */
  | { k: "callv"; fn: string; args: Arg[] }
  /** `new C(args)`; with `as`, the declared type is a base class of `cls` */
  | { k: "new"; cls: string; args: Arg[] };

export type Stmt =
  | { k: "let"; name: string; konst: boolean; init: Expr }
  /** a local that is not a number; `annot` prints its type */
  | { k: "letv"; name: string; konst: boolean; type: Type; annot: boolean; init: VExpr }
  | { k: "assign"; name: string; op: AssignOp; e: Expr }
  /** `arr[index] op e` */
  | { k: "setidx"; arr: string; index: Expr; op: AssignOp; e: Expr }
  | { k: "push"; arr: string; e: Expr }
  | { k: "inc"; name: string; op: "++" | "--"; prefix: boolean }
  | { k: "if"; c: BExpr; then: Stmt[]; else: Stmt[] | null }
  /** for (let v = 0; v < bound; v++) / for (let v = bound - 1; v >= 0; v--) */
  | { k: "for"; label?: string; v: string; bound: Expr; down: boolean; body: Stmt[] }
  /** let v = 0; while (v < bound [&& extra]) { v++; body } */
  | { k: "while"; label?: string; v: string; bound: Expr; extra?: BExpr; body: Stmt[] }
  /** let v = 0; do { v++; body } while (v < bound [&& extra]) */
  | { k: "do"; label?: string; v: string; bound: Expr; extra?: BExpr; body: Stmt[] }
  /** for (const v of arr) { body } */
  | { k: "forOf"; label?: string; v: string; arr: string; body: Stmt[] }
  | { k: "switch"; label?: string; disc: Expr; cases: { test: number | null; body: Stmt[] }[] }
  /** `arr.forEach((v[, i]) => { body })` */
  | { k: "forEach"; arr: string; v: string; i?: string; body: Stmt[] }
  /** a local function: `const name = (params): number => …` (arrow) or `function name(…) {…}` */
  | { k: "fn"; name: string; arrow: boolean; params: Param[]; body: Stmt[] }
  | { k: "break"; label?: string }
  | { k: "continue"; label?: string }
  | { k: "return"; e: Expr }
  /** `return { … }` of a helper with a record result */
  | { k: "retv"; e: VExpr };

export interface Param {
  name: string;
  type: Type;
  /** a helper's trailing number parameter with a default (`k: number = 2`), which calls may leave out */
  def?: number;
}

export interface Fn {
  name: string;
  params: Param[];
  body: Stmt[];
  /** a bounded recursion: `depth` names the parameter that decreases */
  depth?: string;
  /** a record result (the body ends with `retv`); a number otherwise */
  ret?: RecType;
}

/**
 * `const name = withGradient((params) => [value, (dy) => [dy * partials[0], …]])`; with `sum`,
 * the first parameter is an array and the value is Σ over its elements `w` of `value`
 * (`partials[0]` is then ∂value/∂w, applied per element).
 */
export interface Rule {
  name: string;
  params: Param[];
  value: Expr;
  partials: Expr[];
  sum?: { w: string };
}

/** a method: `name(params: number…): number { return body; }` */
export interface Method { name: string; params: string[]; body: Expr }

/**
 * `get name(): number { return body; }`, or with `arr` `get name(): number[] { return this.arr; }`
 * (an array field, read only: writing through a getter is BP1004)
 */
export interface Getter { name: string; body?: Expr; arr?: string }

/**
 * `class name [extends base] { extra = v; inits = e; d: number; constructor(plain…, public ctor…, public arrs: number[]…) { super(superArgs); this.d = e; } methods… getters… }`
 * (`derived`: fields the constructor body computes from its parameters; `inits`: field
 * initialisers of a subclass, computed from inherited fields; `plain`: a subclass's constructor
 * parameters that are not properties, each a number or (`arr`) a number[])
 */
export interface Cls {
  name: string;
  base?: string;
  ctor: string[];
  arrs?: string[];
  plain?: { name: string; arr?: boolean }[];
  /** a subclass's `super(…)` arguments, one per parameter of the base's constructor */
  superArgs?: Arg[];
  extra: { name: string; v: number }[];
  inits?: { name: string; e: Expr }[];
  derived?: { name: string; e: Expr }[];
  methods: Method[];
  getters?: Getter[];
}

/** a class's constructor parameters, in order: plain, then number and array properties */
export function ctorParams(c: Cls): { name: string; arr: boolean; prop: boolean }[] {
  return [
    ...(c.plain ?? []).map((x) => ({ name: x.name, arr: !!x.arr, prop: false })),
    ...c.ctor.map((name) => ({ name, arr: false, prop: true })),
    ...(c.arrs ?? []).map((name) => ({ name, arr: true, prop: true })),
  ];
}

/** `c` and its base classes, `c` first */
export function chain(classes: Map<string, Cls> | Cls[], c: Cls): Cls[] {
  const m = Array.isArray(classes) ? new Map(classes.map((x) => [x.name, x])) : classes;
  const out: Cls[] = [];
  for (let x: Cls | undefined = c; x && out.length < 10; x = x.base ? m.get(x.base) : undefined) out.push(x);
  return out;
}

/** the number fields an instance of `c` has (inherited ones too; not getters) */
export function numFields(classes: Map<string, Cls> | Cls[], c: Cls): string[] {
  return chain(classes, c).flatMap((x) => [...x.ctor, ...x.extra.map((f) => f.name), ...(x.inits ?? []).map((f) => f.name), ...(x.derived ?? []).map((f) => f.name)]);
}

/** the member `name` as the static type `c` sees it: the nearest declaration up the chain, and its class */
export function findMember(classes: Map<string, Cls> | Cls[], c: Cls, name: string): { cls: Cls; method?: Method; getter?: Getter } | undefined {
  for (const x of chain(classes, c)) {
    const method = x.methods.find((m) => m.name === name);
    if (method) return { cls: x, method };
    const getter = x.getters?.find((g) => g.name === name);
    if (getter) return { cls: x, getter };
  }
  return undefined;
}

/** a class below `c` (directly or further down) that declares `name` itself */
export function overrider(classes: Cls[], c: Cls, name: string): Cls | undefined {
  for (const sub of classes.filter((x) => x.base === c.name)) {
    if (sub.methods.some((m) => m.name === name) || sub.getters?.some((g) => g.name === name) || numFields(classes, sub).includes(name)) return sub;
    const deeper = overrider(classes, sub, name);
    if (deeper) return deeper;
  }
  return undefined;
}

/** One generated program: rules, classes, helpers (callees first) and the differentiated `main`. */
export interface Program {
  id: string;
  rules?: Rule[];
  classes?: Cls[];
  helpers: Fn[];
  main: Fn;
  /** arguments to check first (a reproducer keeps the point where it failed) */
  points?: Input[][];
  /** array parameters of main sampled with 30–40 elements (the others have 1 to --max-len) */
  long?: string[];
}

/** an argument value: a number, an array of numbers, a record of these */
export type Input = number | number[] | { [field: string]: Input };

export const isArg = (a: Arg): a is { k: "arr"; name: string } => a.k === "arr";

export function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

export function allFns(p: Program): Fn[] {
  return [...p.helpers, p.main];
}

export function printType(t: Type): string {
  if (typeof t === "string") return t;
  if (isCls(t)) return t.cls;
  return `{ ${t.fields.map((f) => `${f.name}: ${printType(f.type)}`).join("; ")} }`;
}

export const sameType = (a: Type, b: Type): boolean => JSON.stringify(a) === JSON.stringify(b);
