import { grad } from "backprop-ts";

// a callback over a tuple whose elements differ in kind: the diagnostic points at the call
export function count(p: [number, string]): number {
  return p.filter((v) => v !== "").length * p[0];
}

export const dcount = grad(count);
