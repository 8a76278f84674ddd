// A method of a built-in value that we cannot see into, on a value that carries the derivative:
// BP1015 at the call (the gradient through it was silently zero before)
import { grad } from "backprop-ts";

export const last = grad((xs: number[]) => xs.at(-1)! * 2);
export const tail = grad((a: Float64Array) => a.subarray(1).reduce((s, v) => s + v * v, 0));
export const same = grad((x: number) => x.valueOf() * x);
// index-valued methods have a zero derivative: no error
export const where = grad((xs: number[]) => xs.indexOf(3) * xs[0]);
