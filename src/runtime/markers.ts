// grad / valueAndGrad / vjp: markers the transformer replaces at build time with generated code.
// Their bodies only run when it did not, so they throw at once (at `grad(f)`, not later when the
// result is called: the stack then points at the site that was not transformed).
// The transformer recognises these declarations by symbol, not by name, so aliasing imports works.
import { notTransformed } from "./errors.js";
import type { Grad, GradResult, WrtOf } from "./types.js";

// `f`'s type is inferred whole (F), not as `(...args: P) => R`: with P inferred, an unannotated
// parameter with a default (`(x: number, k = 2) => …`) would be typed `unknown`, not `number`.
// `(...args: never)` accepts every parameter list.
type Fn<R = unknown> = (...args: never) => R;

/**
 * Gradient of a number-valued function. `grad(f)(...args)` is the gradient of the only argument
 * when `f` declares one parameter, else a tuple with one gradient per parameter. `wrt` picks
 * arguments: an index gives that gradient alone, a list of indices gives a tuple of those.
 */
export function grad<F extends Fn<number>, const W extends WrtOf<Parameters<F>> | undefined = undefined>(
  f: F,
  wrt?: W,
): (...args: Parameters<F>) => GradResult<Parameters<F>, W> {
  void f; void wrt;
  return notTransformed("grad");
}

/**
 * Like `grad`, also returning the value: `valueAndGrad(f)(...args)` is `{ value, grad }`, `value`
 * typed as `f`'s result (a branded number stays branded).
 */
export function valueAndGrad<F extends Fn<number>, const W extends WrtOf<Parameters<F>> | undefined = undefined>(
  f: F,
  wrt?: W,
): (...args: Parameters<F>) => { value: ReturnType<F>; grad: GradResult<Parameters<F>, W> } {
  void f; void wrt;
  return notTransformed("valueAndGrad");
}

/**
 * Vector-Jacobian product of a function with any output: `vjp(f)(...args)` is `{ value, pullback }`,
 * and `pullback(dy)` maps a cotangent shaped like the output to gradients shaped as `grad`'s.
 */
export function vjp<F extends Fn, const W extends WrtOf<Parameters<F>> | undefined = undefined>(
  f: F,
  wrt?: W,
): (...args: Parameters<F>) => { value: ReturnType<F>; pullback: (dy: Grad<ReturnType<F>>) => GradResult<Parameters<F>, W> } {
  void f; void wrt;
  return notTransformed("vjp");
}
