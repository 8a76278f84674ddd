// Derivative rules of the Math functions: ∂f/∂argᵢ as expressions of the arguments.
// Conventions (documented in the README): abs'(0) = 0; for max/min ties the first argument
// wins; hypot at the origin has gradient 0; fround is treated as the identity.
import type { Expr } from "../ir/ir.js";
import { add, cond, div, eq, math, mul, neg, num, sq, sub } from "./build.js";

/** Math functions whose result is piecewise constant or random: constants for AD. */
const CONSTANT = new Set(["floor", "ceil", "round", "trunc", "sign", "random", "clz32", "imul"]);
/** Math functions with a derivative rule. */
const DIFFERENTIABLE = new Set([
  "abs", "sqrt", "cbrt", "exp", "expm1", "log", "log1p", "log2", "log10",
  "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh",
  "atan2", "pow", "hypot", "max", "min", "fround",
]);
/** Functions that must be evaluated once, in the forward sweep only (their value is taped). */
export const IMPURE_MATH = new Set(["random"]);

export const isConstantMath = (fn: string): boolean => CONSTANT.has(fn);
export const isKnownMath = (fn: string): boolean => CONSTANT.has(fn) || DIFFERENTIABLE.has(fn);

/** ∂(a ** b)/∂a and ∂(a ** b)/∂b. b's derivative is 0 where a is 0 (not NaN from 0 · log 0). */
export function powPartials(a: Expr, b: Expr): [Expr | null, Expr | null] {
  const da = b.k === "num"
    ? (b.v === 0 ? null : mul(b, b.v === 2 ? a : { k: "bin", op: "**", a, b: num(b.v - 1) }))
    : cond(eq(b, num(0)), num(0), mul(b, { k: "bin", op: "**", a, b: sub(b, num(1)) }));
  const db = cond(eq(a, num(0)), num(0), mul({ k: "bin", op: "**", a, b }, math("log", a)));
  return [da, db];
}

/**
 * Functions whose derivative is cheaper from their result r than from their argument (tanh and exp
 * are library calls of 20 ns or so; sqrt is one instruction, cheaper than saving r for it).
 */
export const RESULT_PARTIALS = new Set(["tanh", "exp"]);

/** `result`: an expression holding the function's value, for tanh' = 1 - r², exp' = r. */
export function mathPartials(fn: string, args: Expr[], result?: Expr): (Expr | null)[] {
  const [a, b] = args;
  const one = num(1);
  if (result && fn === "tanh") return [sub(one, sq(result))];
  if (result && fn === "exp") return [result];
  switch (fn) {
    case "abs": return [math("sign", a)];
    case "sqrt": return [div(one, mul(num(2), math("sqrt", a)))];
    case "cbrt": return [div(one, mul(num(3), { k: "bin", op: "**", a: math("cbrt", a), b: num(2) }))];
    case "exp": case "expm1": return [math("exp", a)];
    case "log": return [div(one, a)];
    case "log1p": return [div(one, add(one, a))];
    case "log2": return [div(one, mul(a, { k: "free", path: "Math.LN2" }))];
    case "log10": return [div(one, mul(a, { k: "free", path: "Math.LN10" }))];
    case "sin": return [math("cos", a)];
    case "cos": return [neg(math("sin", a))];
    case "tan": return [div(one, { k: "bin", op: "**", a: math("cos", a), b: num(2) })];
    case "asin": return [div(one, math("sqrt", sub(one, sq(a))))];
    case "acos": return [div(num(-1), math("sqrt", sub(one, sq(a))))];
    case "atan": return [div(one, add(one, sq(a)))];
    case "sinh": return [math("cosh", a)];
    case "cosh": return [math("sinh", a)];
    case "tanh": return [sub(one, { k: "bin", op: "**", a: math("tanh", a), b: num(2) })];
    case "asinh": return [div(one, math("sqrt", add(sq(a), one)))];
    case "acosh": return [div(one, math("sqrt", sub(sq(a), one)))];
    case "atanh": return [div(one, sub(one, sq(a)))];
    case "atan2": {
      // atan2(y, x): ∂/∂y = x / (x² + y²), ∂/∂x = -y / (x² + y²)
      const r2 = add(sq(b), sq(a));
      return [div(b, r2), div(neg(a), r2)];
    }
    case "pow": return powPartials(a, b);
    case "hypot": {
      const h = math("hypot", ...args);
      return args.map((x) => cond(eq(h, num(0)), num(0), div(x, h)));
    }
    case "max": case "min": {
      // lowering makes these binary; ties go to the first argument
      const op = fn === "max" ? ">=" : "<=";
      const firstWins: Expr = { k: "bin", op, a, b };
      return [cond(firstWins, one, num(0)), cond(firstWins, num(0), one)];
    }
    case "fround": return [one];
    default: return args.map(() => null);
  }
}
