// `scaled` does not write into its argument itself, but `double` (which it calls) does: the call of
// `scaled` from differentiated code is rejected as a direct write would be. Run as written, the
// forward sweep would double xs[0] and the gradient through the doubled value would be lost
// (d/dxs[0] would be b instead of 2b).
import { grad } from "backprop-ts";

function double(ws: number[]): number {
  ws[0] *= 2;
  return 1;
}

function scaled(ws: number[], x: number): { s: number } {
  double(ws);
  return { s: x };
}

export function f(xs: number[], b: number): number {
  scaled(xs, b);
  return xs[0] * b;
}

export const g = grad(f);
