// Expression builders that fold the trivial cases, so generated adjoints read like hand-written ones
// (`dx += dy * (2 * x)`, not `dx += dy * (2 * x ** (2 - 1)) * 1`), and the plain ones for the
// statements and calls that reverse mode generates.
import type { Expr, OStmt } from "../ir/ir.js";
import { v } from "../ir/ir.js";

export const isNum = (e: Expr, v?: number): e is Expr & { k: "num" } => e.k === "num" && (v === undefined || Object.is(e.v, v));
const val = (e: Expr): number => (e.k === "num" ? e.v : NaN);

export function mul(a: Expr, b: Expr): Expr {
  // g * (c ? 1 : 0)  →  c ? g : 0   (how max/min and select rules read best)
  if (b.k === "cond" && isUnitOrZero(b.a) && isUnitOrZero(b.b)) return cond(b.c, isNum(b.a, 1) ? a : b.a, isNum(b.b, 1) ? a : b.b);
  if (isNum(a, 1)) return b;
  if (isNum(b, 1)) return a;
  if (isNum(a) && isNum(b)) return { k: "num", v: val(a) * val(b) };
  if (isNum(a, -1)) return neg(b);
  if (isNum(b, -1)) return neg(a);
  return { k: "bin", op: "*", a, b };
}
export function div(a: Expr, b: Expr): Expr {
  if (isNum(b, 1)) return a;
  return { k: "bin", op: "/", a, b };
}
export function add(a: Expr, b: Expr): Expr {
  if (isNum(a, 0)) return b;
  if (isNum(b, 0)) return a;
  if (b.k === "un" && b.op === "-") return sub(a, b.a);
  return { k: "bin", op: "+", a, b };
}
export function sub(a: Expr, b: Expr): Expr {
  if (isNum(b, 0)) return a;
  if (isNum(a) && isNum(b)) return { k: "num", v: val(a) - val(b) };
  return { k: "bin", op: "-", a, b };
}
export function neg(a: Expr): Expr {
  if (isNum(a)) return { k: "num", v: -val(a) };
  return negatedTerm(a) ?? { k: "un", op: "-", a };
}
/**
 * −x without a new negation, if x has one to drop: −(−y) is y, −((−c)·d) is c·d, −(c/(−d)) is c/d
 * (exact: IEEE rounding is symmetric); a negative constant is its absolute value.
 */
export function negatedTerm(x: Expr): Expr | undefined {
  if (x.k === "num") return x.v < 0 ? { k: "num", v: -x.v } : undefined;
  if (x.k === "un" && x.op === "-") return x.a;
  if (x.k !== "bin" || (x.op !== "*" && x.op !== "/")) return undefined;
  const a = negatedTerm(x.a);
  if (a) return { ...x, a };
  const b = negatedTerm(x.b);
  return b && { ...x, b };
}
export function pow(a: Expr, b: Expr): Expr {
  if (isNum(b, 1)) return a;
  return { k: "bin", op: "**", a, b };
}
export const math = (fn: string, ...args: Expr[]): Expr => ({ k: "math", fn, args });
export const cond = (c: Expr, a: Expr, b: Expr): Expr => ({ k: "cond", c, a, b });
export const eq = (a: Expr, b: Expr): Expr => ({ k: "bin", op: "===", a, b });
const NEGATED = { "===": "!==", "!==": "===", "==": "!=", "!=": "==" } as const;
/** `!c`, printed as `a !== b` for an equality and `c` for `!c` (`!(a < b)` stays: NaN) */
export function not(c: Expr): Expr {
  if (c.k === "un" && c.op === "!") return c.a;
  if (c.k === "bin" && c.op in NEGATED) return { ...c, op: NEGATED[c.op as keyof typeof NEGATED] };
  return { k: "un", op: "!", a: c };
}
export const num = (v: number): Expr => ({ k: "num", v });
export const sq = (a: Expr): Expr => mul(a, a);

const isUnitOrZero = (e: Expr): boolean => isNum(e, 1) || isNum(e, 0);

export const set = (target: Expr, op: "=" | "+=" | "-=", value: Expr, note?: string): OStmt => ({ k: "set", target, op, value, note });
export const call = (callee: Expr, ...args: Expr[]): Expr => ({ k: "call", callee, args });
export const method = (obj: string | Expr, name: string, ...args: Expr[]): Expr => call({ k: "prop", obj: typeof obj === "string" ? v(obj) : obj, name }, ...args);
export const UNDEFINED: Expr = { k: "lit", text: "undefined" };
