import { grad } from "backprop-ts";

function* powers(x: number) {
  yield x;
  yield x * x;
}

function f(x: number): number {
  let s = 0;
  for (const v of powers(x)) s += v;
  return s;
}

export const df = grad(f);
