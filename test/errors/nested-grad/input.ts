import { grad } from "backprop-ts";

function sq(x: number): number {
  return x * x;
}

function f(x: number): number {
  return grad(sq)(x) * x;
}

export const df = grad(f);
