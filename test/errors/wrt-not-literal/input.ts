import { grad } from "backprop-ts";

function f(x: number, y: number): number {
  return x * y;
}

const i = 0;
export const d1 = grad(f, i);
export const d2 = grad(f, [0, i]);
