import { grad } from "backprop-ts";

function label(x: number): string {
  return `x = ${x * 2}`;
}

export const d1 = grad(label);
