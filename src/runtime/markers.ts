// grad / valueAndGrad / vjp: markers the transformer replaces at build time with generated code.
// Their bodies only run when it did not, so they throw at once (at `grad(f)`, not later when the
// result is called: the stack then points at the site that was not transformed).
// The transformer recognises these declarations by symbol, not by name, so aliasing imports works.
import { notTransformed } from "./errors.js";
import type { Grad, GradResult, WrtOf } from "./types.js";

/**
 * Gradient of a number-valued function. `grad(f)(...args)` is the gradient of the only argument
 * when `f` declares one parameter, else a tuple with one gradient per parameter. `wrt` picks
 * arguments: an index gives that gradient alone, a list of indices gives a tuple of those.
 */
export function grad<P extends unknown[], const W extends WrtOf<P> | undefined = undefined>(
  f: (...args: P) => number,
  wrt?: W,
): (...args: P) => GradResult<P, W> {
  void f; void wrt;
  return notTransformed("grad");
}

/** Like `grad`, also returning the value: `valueAndGrad(f)(...args)` is `{ value, grad }`. */
export function valueAndGrad<P extends unknown[], const W extends WrtOf<P> | undefined = undefined>(
  f: (...args: P) => number,
  wrt?: W,
): (...args: P) => { value: number; grad: GradResult<P, W> } {
  void f; void wrt;
  return notTransformed("valueAndGrad");
}

/**
 * Vector-Jacobian product of a function with any output: `vjp(f)(...args)` is `{ value, pullback }`,
 * and `pullback(dy)` maps a cotangent shaped like the output to gradients shaped as `grad`'s.
 */
export function vjp<P extends unknown[], R, const W extends WrtOf<P> | undefined = undefined>(
  f: (...args: P) => R,
  wrt?: W,
): (...args: P) => { value: R; pullback: (dy: Grad<R>) => GradResult<P, W> } {
  void f; void wrt;
  return notTransformed("vjp");
}
