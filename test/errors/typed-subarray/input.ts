import { grad } from "backprop-ts";

// a view shares the array's elements: a write through it is refused, not silently missed
export function viaView(x0: number[]): number {
  const x = new Float64Array(x0);
  const y = x.subarray(1, 3);
  y[0] = y[0] * 2;
  return x[1] * x[2];
}

export const df = grad(viaView);
