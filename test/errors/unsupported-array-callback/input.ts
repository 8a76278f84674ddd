import { grad } from "backprop-ts";

// an array method with a callback that is not differentiated names the method, not the callback
export function firstPositive(xs: number[]): number {
  const y = xs.findLast((v) => v > 0) ?? 0;
  return y * y;
}

export const df = grad(firstPositive);
