import { grad } from "backprop-ts";

async function f(x: number): Promise<number> {
  return x * x;
}

export const df = grad(f);
