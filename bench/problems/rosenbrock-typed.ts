// Rosenbrock over a Float64Array: the same scalar loop as rosenbrock.ts, with the input (so the
// gradient) a typed array. At n = 1e5 a zeroed number[] result costs milliseconds to allocate on
// some machines (its pages are fresh from the kernel every call); a Float64Array does not.
import { grad } from "backprop-ts";
import { rng, vector } from "../support/data.js";
import type { Instance, Problem } from "../support/problem.js";
import { rosenbrockTypedHand } from "../hand/rosenbrock.js";
import { rosenbrockTape } from "../tape/rosenbrock.js";
import { rosenbrockPeers } from "./rosenbrock.js";

export function rosenbrockTyped(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length - 1; i++) {
    const a = x[i + 1] - x[i] * x[i];
    const b = 1 - x[i];
    s += 100 * a * a + b * b;
  }
  return s;
}

export const gradient = grad(rosenbrockTyped);

export const problem: Problem = {
  name: "rosenbrock-typed",
  sizes: [1e5],
  setup(n): Instance {
    const x = Float64Array.from(vector(rng(1), n, 1.5));
    const args: [Float64Array] = [x];
    return {
      label: `rosenbrock Float64Array n=${n.toExponential().replace("e+", "e")}`,
      objective: () => rosenbrockTyped(args[0]),
      generated: gradient ? () => gradient(x) : undefined,
      hand: () => rosenbrockTypedHand(x),
      // the tape records numbers: it reads a copy as number[]
      tape: () => rosenbrockTape(Array.from(x)),
      ...rosenbrockPeers(x),
      wrt: args,
    };
  },
};
