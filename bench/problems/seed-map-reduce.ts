// The seed's second example (SPEC.md) at 1e5 elements: map + reduce with arrow functions.
import { grad } from "backprop-ts";
import { rng, vector } from "../support/data.js";
import type { JaxArray } from "../support/peers.js";
import type { Instance, Problem } from "../support/problem.js";
import { seedHand } from "../hand/seed-map-reduce.js";
import { seedTape } from "../tape/seed-map-reduce.js";

export const seed = (x: number, xs: number[]): number => xs.map((v) => v ** 2).reduce((a, b) => a + b, 0) / x;

export const gradient = grad(seed);

export const problem: Problem = {
  name: "seed-map-reduce",
  sizes: [1e5],
  setup(n): Instance {
    const xs = vector(rng(6), n, 3);
    const args: [number, number[]] = [9, xs];
    const x = args[0];
    return {
      label: `seed map/reduce n=${n.toExponential().replace("e+", "e")}`,
      objective: () => seed(args[0], args[1]),
      generated: gradient ? () => gradient(x, xs) : undefined,
      hand: () => seedHand(x, xs),
      tape: () => seedTape(x, xs),
      tfjs: (tf) => {
        const g = tf.grads((xt, vt) => vt.square().sum().div(xt));
        const ps = [tf.scalar(x), tf.tensor1d(xs)];
        return () => tf.tidy(() => g(ps).map((t) => t.dataSync()));
      },
      jax: ({ numpy: np, jit, grad: jgrad }) => {
        const f64 = (a: ArrayLike<number>) => np.array(Float64Array.from(a), { dtype: np.float64 });
        const g = jit(jgrad((p: { x: JaxArray; xs: JaxArray }) => p.xs.ref.mul(p.xs).sum().div(p.x)));
        const ps = { x: f64([x]).reshape([]), xs: f64(xs) };
        return () => {
          const out = g({ x: ps.x.ref, xs: ps.xs.ref });
          return [out.x.dataSync(), out.xs.dataSync()];
        };
      },
      wrt: args,
    };
  },
};
