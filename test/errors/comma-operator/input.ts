import { grad } from "backprop-ts";

function f(x: number): number {
  let a = 0;
  for (let i = 0, j = 3; i < j; i++, j--) a = a * x + j;
  return a;
}

export const df = grad(f);
