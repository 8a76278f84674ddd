import { grad } from "backprop-ts";

async function helper(x: number): Promise<number> {
  return x * x;
}

function f(x: number): number {
  void helper(x);
  return x * 2;
}

export const df = grad(f);
