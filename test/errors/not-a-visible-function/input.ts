import { grad } from "backprop-ts";

function sq(x: number): number {
  return x * x;
}

const table = { sq };

export function higherOrder(f: (x: number) => number) {
  return grad(f);
}
export const d2 = grad(table.sq);
export const d3 = grad(Math.sin);
