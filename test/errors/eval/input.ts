import { grad } from "backprop-ts";

function f(x: number): number {
  const y = x * 2;
  return eval("y") * x;
}

export const df = grad(f);
