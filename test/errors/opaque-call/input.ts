import { grad } from "backprop-ts";

declare function external(x: number): number;

function f(x: number): number {
  const y = x * x;
  return external(y) + y;
}

export const df = grad(f);
