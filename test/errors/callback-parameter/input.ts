import { grad } from "backprop-ts";

function apply(x: number, g: (v: number) => number): number {
  return g(x) * x;
}

export const df = grad(apply, 0);
