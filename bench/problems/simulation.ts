// Time stepping: a chain of n unit masses between two walls, joined by springs of stiffness k[i]
// (spring i joins mass i-1 and mass i; the walls are masses -1 and n at rest), damped by `damping`,
// integrated with semi-implicit Euler; the loss is the squared distance of the final positions
// to a target. Gradient with respect to the parameters (a record) and the initial positions.
import { grad } from "backprop-ts";
import { rng, vector } from "../support/data.js";
import type { JaxArray } from "../support/peers.js";
import type { Instance, Problem } from "../support/problem.js";
import { simulateHand } from "../hand/simulation.js";
import { simulateTape } from "../tape/simulation.js";

export interface Chain {
  k: number[];
  damping: number;
}

export function simulate(p: Chain, x0: number[], target: number[], steps: number, dt: number): number {
  const n = x0.length;
  const x = new Float64Array(x0);
  const v = new Float64Array(n);
  const f = new Float64Array(n);
  for (let s = 0; s < steps; s++) {
    for (let i = 0; i < n; i++) {
      const left = i > 0 ? x[i - 1] : 0;
      const right = i < n - 1 ? x[i + 1] : 0;
      f[i] = p.k[i] * (left - x[i]) + p.k[i + 1] * (right - x[i]) - p.damping * v[i];
    }
    for (let i = 0; i < n; i++) {
      v[i] += dt * f[i];
      x[i] += dt * v[i];
    }
  }
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - target[i];
    loss += d * d;
  }
  return loss;
}

/** gradient with respect to the parameters and the initial positions */
export const gradient = grad(simulate, [0, 1]);

export const problem: Problem = {
  name: "simulation",
  sizes: [200],
  setup(steps): Instance {
    const n = 32, dt = 0.01;
    const r = rng(5);
    const p: Chain = { k: vector(r, n + 1, 2).map((v) => 10 + v), damping: 0.3 };
    const x0 = vector(r, n, 0.5);
    const target = vector(r, n, 0.2);
    const args: [Chain, number[]] = [p, x0];
    return {
      label: `simulation n=${n} steps=${steps}`,
      objective: () => simulate(args[0], args[1], target, steps, dt),
      generated: gradient ? () => gradient(p, x0, target, steps, dt) : undefined,
      hand: () => simulateHand(p, x0, target, steps, dt),
      tape: () => simulateTape(p, x0, target, steps, dt),
      tfjs: (tf) => {
        const tt = tf.tensor1d(target);
        const g = tf.grads((c, k, xInit) => {
          const kl = k.slice(0, n), kr = k.slice(1, n);
          const zero = tf.zeros([1]);
          let x = xInit, v = tf.zeros([n]);
          for (let s = 0; s < steps; s++) {
            const left = tf.concat([zero, x.slice(0, n - 1)]);
            const right = tf.concat([x.slice(1, n - 1), zero]);
            const f = kl.mul(left.sub(x)).add(kr.mul(right.sub(x))).sub(c.mul(v));
            v = v.add(f.mul(dt));
            x = x.add(v.mul(dt));
          }
          return x.sub(tt).square().sum();
        });
        const ps = [tf.scalar(p.damping), tf.tensor1d(p.k), tf.tensor1d(x0)];
        return () => tf.tidy(() => g(ps).map((t) => t.dataSync())); // order: damping, k, x0
      },
      jax: ({ numpy: np, jit, grad: jgrad }) => {
        const f64 = (a: ArrayLike<number>) => np.array(Float64Array.from(a), { dtype: np.float64 });
        const tt = f64(target);
        const g = jit(
          jgrad((q: { damping: JaxArray; k: JaxArray; x0: JaxArray }, tgt: JaxArray) => {
            const kl = q.k.ref.slice([0, n]), kr = q.k.slice([1]);
            const zero = np.zeros([1], { dtype: np.float64 });
            let x = q.x0, v = np.zeros([n], { dtype: np.float64 });
            for (let s = 0; s < steps; s++) {
              const left = np.concatenate([zero.ref, x.ref.slice([0, n - 1])]);
              const right = np.concatenate([x.ref.slice([1]), zero.ref]);
              const f = kl.ref.mul(left.sub(x.ref)).add(kr.ref.mul(right.sub(x.ref))).sub(q.damping.ref.mul(v.ref));
              v = v.add(f.mul(dt));
              x = x.add(v.ref.mul(dt));
            }
            kl.dispose(); kr.dispose(); zero.dispose(); q.damping.dispose(); v.dispose();
            const d = x.sub(tgt);
            return d.ref.mul(d).sum();
          }),
        );
        const ps = { damping: f64([p.damping]).reshape([]), k: f64(p.k), x0: f64(x0) };
        return () => {
          const out = g({ damping: ps.damping.ref, k: ps.k.ref, x0: ps.x0.ref }, tt.ref);
          return [out.damping.dataSync(), out.k.dataSync(), out.x0.dataSync()];
        };
      },
      wrt: args,
    };
  },
};
