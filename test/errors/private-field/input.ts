import { grad } from "backprop-ts";

class Scale {
  #k = 2;
  apply(x: number): number {
    return this.#k * x;
  }
}

function f(x: number): number {
  return new Scale().apply(x);
}

export const df = grad(f);
