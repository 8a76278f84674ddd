// Extended Rosenbrock over a plain number[]: scalar code in a loop, the case build-time AD is for.
import { grad } from "backprop-ts";
import { rng, vector } from "../support/data.js";
import type { JaxArray } from "../support/peers.js";
import type { Instance, Problem } from "../support/problem.js";
import { rosenbrockHand } from "../hand/rosenbrock.js";
import { rosenbrockTape } from "../tape/rosenbrock.js";

export function rosenbrock(x: number[]): number {
  let s = 0;
  for (let i = 0; i < x.length - 1; i++) {
    const a = x[i + 1] - x[i] * x[i];
    const b = 1 - x[i];
    s += 100 * a * a + b * b;
  }
  return s;
}

export const gradient = grad(rosenbrock);

export const problem: Problem = {
  name: "rosenbrock",
  sizes: [1e3, 1e5],
  setup(n): Instance {
    const x = vector(rng(1), n, 1.5);
    const args: [number[]] = [x];
    return {
      label: `rosenbrock n=${n.toExponential().replace("e+", "e")}`,
      objective: () => rosenbrock(args[0]),
      generated: gradient ? () => gradient(x) : undefined,
      hand: () => rosenbrockHand(x),
      tape: () => rosenbrockTape(x),
      ...rosenbrockPeers(x),
      wrt: args,
    };
  },
};

/** TensorFlow.js and jax-js runners of the same objective (both rosenbrock problems use them). */
export function rosenbrockPeers(x: ArrayLike<number>): Pick<Instance, "tfjs" | "jax"> {
  const n = x.length;
  return {
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
      const xt = np.array(Float64Array.from(x), { dtype: np.float64 });
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
  };
}
