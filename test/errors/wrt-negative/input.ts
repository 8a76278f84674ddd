import { grad } from "backprop-ts";

function f(x: number, y: number): number {
  return x * y;
}

export const d3 = grad(f, -1);
