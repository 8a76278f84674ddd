import { grad } from "backprop-ts";

function sum(...xs: number[]): number {
  let s = 0;
  for (const v of xs) s += v * v;
  return s;
}

export const df = grad(sum);
