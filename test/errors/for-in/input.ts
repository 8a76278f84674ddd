import { grad } from "backprop-ts";

function f(x: number, r: { a: number; b: number }): number {
  let s = 0;
  for (const k in r) s += x * k.length;
  return s;
}

export const df = grad(f);
