import { grad } from "backprop-ts";
import { helper } from "./lib.js";

function f(x: number): number {
  return helper(x) + x;
}

export const df = grad(f);
