// The fuzzer's own small AST: what the generator builds, the printer turns into TypeScript, the
// interpreter evaluates (plain and with forward-mode dual numbers) and the shrinker edits.
// Only numbers, booleans (in conditions) and one read-only number[] parameter exist.

export type NumOp = "+" | "-" | "*" | "/" | "%" | "**";
export type CmpOp = "<" | "<=" | ">" | ">=" | "===" | "!==";
export type AssignOp = "=" | "+=" | "-=" | "*=" | "/=" | "%=";

export type Expr =
  | { k: "num"; v: number }
  | { k: "var"; name: string }
  | { k: "len"; arr: string }
  | { k: "idx"; arr: string; index: Expr }
  | { k: "neg"; a: Expr }
  | { k: "bin"; op: NumOp; a: Expr; b: Expr }
  | { k: "math"; fn: string; args: Expr[] }
  | { k: "cond"; c: BExpr; a: Expr; b: Expr }
  | { k: "call"; fn: string; args: Arg[] }
  /** `name++` / `++name` / `--` used as a value */
  | { k: "inc"; name: string; op: "++" | "--"; prefix: boolean }
  /** an integer trip count / recursion depth, at most `max`: never grows when shrunk */
  | { k: "trip"; form: "const" | "len" | "floor" | "round"; max: number; e?: Expr; arr?: string };

export type BExpr =
  | { k: "cmp"; op: CmpOp; a: Expr; b: Expr }
  | { k: "and"; a: BExpr; b: BExpr }
  | { k: "or"; a: BExpr; b: BExpr }
  | { k: "not"; a: BExpr }
  | { k: "bool"; v: boolean };

/** a call argument: a number expression or the array parameter passed through */
export type Arg = Expr | { k: "arr"; name: string };

export type Stmt =
  | { k: "let"; name: string; konst: boolean; init: Expr }
  | { k: "assign"; name: string; op: AssignOp; e: Expr }
  | { k: "inc"; name: string; op: "++" | "--"; prefix: boolean }
  | { k: "if"; c: BExpr; then: Stmt[]; else: Stmt[] | null }
  /** for (let v = 0; v < bound; v++) / for (let v = bound - 1; v >= 0; v--) */
  | { k: "for"; label?: string; v: string; bound: Expr; down: boolean; body: Stmt[] }
  /** let v = 0; while (v < bound [&& extra]) { v++; body } */
  | { k: "while"; label?: string; v: string; bound: Expr; extra?: BExpr; body: Stmt[] }
  /** let v = 0; do { v++; body } while (v < bound [&& extra]) */
  | { k: "do"; label?: string; v: string; bound: Expr; extra?: BExpr; body: Stmt[] }
  | { k: "switch"; label?: string; disc: Expr; cases: { test: number | null; body: Stmt[] }[] }
  | { k: "break"; label?: string }
  | { k: "continue"; label?: string }
  | { k: "return"; e: Expr };

export interface Param {
  name: string;
  type: "number" | "number[]";
}

export interface Fn {
  name: string;
  params: Param[];
  body: Stmt[];
  /** a bounded recursion: `depth` names the parameter that decreases */
  depth?: string;
}

/** One generated program: helpers (callees first) and the differentiated `main`. */
export interface Program {
  id: string;
  helpers: Fn[];
  main: Fn;
  /** arguments to check first (a reproducer keeps the point where it failed) */
  points?: (number | number[])[][];
}

export const isArg = (a: Arg): a is { k: "arr"; name: string } => a.k === "arr";

export function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

export function allFns(p: Program): Fn[] {
  return [...p.helpers, p.main];
}
