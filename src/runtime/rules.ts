// Custom derivatives (withGradient, like JAX's custom_vjp) and stopGradient.
// The rule is stored on the function under a Symbol.for key, so generated code in any module, and
// any copy of the runtime, can find it with ruleOf.
import type { Grad, Rule } from "./types.js";

const RULE = Symbol.for("backprop-ts.rule");

/**
 * Declares a function with a hand-written derivative. `rule(...args)` returns `[value, pullback]`;
 * `pullback(dy)` returns one gradient per argument. The result is an ordinary function returning
 * `value`; differentiated code calling it uses the rule instead of looking inside.
 */
export function withGradient<A extends unknown[], R>(
  rule: (...args: A) => readonly [value: R, pullback: (dy: Grad<R>) => readonly unknown[]],
): (...args: A) => R {
  if (typeof rule !== "function") throw new Error("backprop-ts: withGradient expects a function (rule)");
  const f = (...args: A): R => rule(...args)[0];
  Object.defineProperty(f, RULE, { value: rule });
  if (rule.name) Object.defineProperty(f, "name", { value: rule.name });
  return f;
}

/** True if `f` was made by withGradient. */
export function hasRule(f: unknown): boolean {
  return typeof f === "function" && RULE in f;
}

/** The rule of a withGradient function; throws if `f` is not one. */
export function ruleOf<A extends unknown[], R>(f: (...args: A) => R): Rule<A, R> {
  const rule = typeof f === "function" ? (f as unknown as Record<symbol, unknown>)[RULE] : undefined;
  if (typeof rule !== "function") {
    const name = typeof f === "function" && f.name ? `'${f.name}'` : String(f);
    throw new Error(
      `backprop-ts: ${name} is not a withGradient function, so it has no derivative rule ` +
        "(wrap it as `const f = withGradient((...args) => [value, pullback])`).",
    );
  }
  return rule as Rule<A, R>;
}

/** Returns `x`; no gradient flows back through it (differentiated code treats it as a constant). */
export function stopGradient<T>(x: T): T {
  return x;
}
