import { grad } from "backprop-ts";

function f(x: number): number {
  return arguments[0] * x;
}

export const df = grad(f);
