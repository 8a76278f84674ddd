// Logistic regression: mean cross-entropy of a linear model over a dataset (nested number[][] rows).
import { grad } from "backprop-ts";
import { flatRows, matrix, rng, vector } from "../support/data.js";
import type { JaxArray } from "../support/peers.js";
import type { Instance, Problem } from "../support/problem.js";
import { logisticHand } from "../hand/logistic.js";
import { logisticTape } from "../tape/logistic.js";

export function logistic(w: number[], b: number, X: number[][], y: number[]): number {
  let loss = 0;
  for (let i = 0; i < X.length; i++) {
    let z = b;
    for (let j = 0; j < w.length; j++) z += w[j] * X[i][j];
    const p = 1 / (1 + Math.exp(-z));
    loss -= y[i] * Math.log(p) + (1 - y[i]) * Math.log(1 - p);
  }
  return loss / X.length;
}

/** gradient with respect to the model (w, b), the data are constants */
export const gradient = grad(logistic, [0, 1]);

export const problem: Problem = {
  name: "logistic",
  sizes: [1000],
  setup(N): Instance {
    const D = 100;
    const r = rng(2);
    const X = matrix(r, N, D);
    const wTrue = vector(r, D, 0.3);
    const y = X.map((row) => (row.reduce((s, v, j) => s + v * wTrue[j]!, 0) + 0.5 * (2 * r() - 1) > 0 ? 1 : 0));
    const args: [number[], number] = [vector(r, D, 0.1), 0.05];
    const [w, b] = args;
    return {
      label: `logistic ${N}×${D}`,
      objective: () => logistic(args[0], args[1], X, y),
      generated: gradient ? () => gradient(w, b, X, y) : undefined,
      hand: () => logisticHand(w, b, X, y),
      tape: () => logisticTape(w, b, X, y),
      tfjs: (tf) => {
        const Xt = tf.tensor2d(Float32Array.from(flatRows(X)), [N, D]);
        const yt = tf.tensor1d(y);
        const g = tf.grads((wt, bt) => {
          const z = Xt.matMul(wt.reshape([D, 1])).reshape([N]).add(bt);
          const p = tf.sigmoid(z);
          const ll = yt.mul(tf.log(p)).add(tf.scalar(1).sub(yt).mul(tf.log(tf.scalar(1).sub(p))));
          return ll.sum().neg().div(N);
        });
        const wt = tf.tensor1d(w);
        const bt = tf.scalar(b);
        return () => tf.tidy(() => g([wt, bt]).map((t) => t.dataSync()));
      },
      jax: ({ numpy: np, jit, grad: jgrad }) => {
        const Xt = np.array(flatRows(X), { dtype: np.float64 }).reshape([N, D]);
        const yt = np.array(Float64Array.from(y), { dtype: np.float64 });
        const g = jit(
          jgrad((p: { w: JaxArray; b: JaxArray }, Xa: JaxArray, ya: JaxArray) => {
            const z = np.matmul(Xa, p.w).add(p.b);
            const q = np.divide(1, np.exp(z.mul(-1)).add(1));
            const ll = ya.ref.mul(np.log(q.ref)).add(np.subtract(1, ya).mul(np.log(np.subtract(1, q))));
            return ll.sum().mul(-1 / N);
          }),
        );
        const params = { w: np.array(Float64Array.from(w), { dtype: np.float64 }), b: np.array(new Float64Array([b]), { dtype: np.float64 }).reshape([]) };
        return () => {
          const out = g({ w: params.w.ref, b: params.b.ref }, Xt.ref, yt.ref);
          return [out.w.dataSync(), out.b.dataSync()];
        };
      },
      wrt: args,
    };
  },
};
