import { grad, valueAndGrad } from "backprop-ts";

function label(x: number): string {
  return x > 0 ? "positive" : "negative";
}

export const d1 = grad(label);
export const d2 = valueAndGrad((x: number) => String(x));
