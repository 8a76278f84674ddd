// Rosenbrock over a Float64Array: the same scalar loop as rosenbrock.ts, with the input (so the
// gradient) a typed array. At n = 1e5 a zeroed number[] result costs milliseconds to allocate on
// some machines (its pages are fresh from the kernel every call); a Float64Array does not.
import { grad } from "backprop-ts";
import { rng, vector } from "../support/data.js";
import type { JaxArray } from "../support/peers.js";
import type { Instance, Problem } from "../support/problem.js";
import { rosenbrockTypedHand } from "../hand/rosenbrock.js";
import { rosenbrockTape } from "../tape/rosenbrock.js";

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
      tfjs: (tf) => {
        const xt = tf.tensor1d(Float32Array.from(x));
        const g = tf.grad((v) => {
          const head = v.slice(0, n - 1);
          const a = v.slice(1, n - 1).sub(head.square());
          const b = tf.scalar(1).sub(head);
          return a.square().mul(100).add(b.square()).sum();
        });
        return () => tf.tidy(() => g(xt)).dataSync();
      },
      jax: ({ numpy: np, jit, grad: jgrad }) => {
        const xt = np.array(x, { dtype: np.float64 });
        const g = jit(
          jgrad((p: { x: JaxArray }) => {
            const head = p.x.ref.slice([0, -1]);
            const a = p.x.slice([1]).sub(head.ref.mul(head.ref));
            const b = np.subtract(1, head);
            return a.ref.mul(a).mul(100).add(b.ref.mul(b)).sum();
          }),
        );
        return () => g({ x: xt.ref }).x.dataSync();
      },
      wrt: args,
    };
  },
};
