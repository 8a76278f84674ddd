import { grad } from "backprop-ts";

function f(x: number, y: number): number {
  let a = x - 1;
  a ||= y * 2;
  return a * x;
}

export const df = grad(f);
