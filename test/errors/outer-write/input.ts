import { grad } from "backprop-ts";

let calls = 0;
let last = 0;

function f(x: number): number {
  calls++;
  last = x * x;
  return last * x;
}

export const df = grad(f);
