import { grad, valueAndGrad } from "backprop-ts";

function f(x: number, y: number): number {
  return x * y;
}

export const d1 = grad(f, 2);
export const d2 = valueAndGrad(f, [0, 5]);
