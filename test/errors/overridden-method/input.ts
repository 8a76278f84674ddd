import { grad } from "backprop-ts";

class Spring {
  constructor(public k: number) {}
  energy(x: number): number {
    return 0.5 * this.k * x * x;
  }
}

class StiffSpring extends Spring {
  energy(x: number): number {
    return this.k * x ** 4;
  }
}

// s may be a StiffSpring at run time: its energy() is not the one typed here
function total(s: Spring, x: number): number {
  return s.energy(x) + x;
}

export const dtotal = grad(total);
