import { grad } from "backprop-ts";

function f(x: number, scale: any): number {
  return x * scale.k;
}

export const df = grad(f);
