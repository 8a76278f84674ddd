import { grad } from "backprop-ts";

function sq(x: number): number {
  return x * x;
}

let reassigned = sq;

export const d1 = grad(reassigned);
