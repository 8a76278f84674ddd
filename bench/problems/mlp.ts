// MLP loss: 784 → 128 tanh → 10 softmax cross-entropy over a batch of 32, in plain loops over
// nested number[][] weights and Float64Array scratch buffers.
import { grad } from "backprop-ts";
import { flatRows, matrix, rng, vector } from "../support/data.js";
import type { JaxArray } from "../support/peers.js";
import type { Instance, Problem } from "../support/problem.js";
import { mlpHand } from "../hand/mlp.js";
import { mlpTape } from "../tape/mlp.js";

export function mlpLoss(W1: number[][], b1: number[], W2: number[][], b2: number[], X: number[][], labels: number[]): number {
  const H = b1.length;
  const K = b2.length;
  const h = new Float64Array(H);
  const z = new Float64Array(K);
  let loss = 0;
  for (let n = 0; n < X.length; n++) {
    const x = X[n];
    for (let j = 0; j < H; j++) {
      const w = W1[j];
      let s = b1[j];
      for (let i = 0; i < x.length; i++) s += w[i] * x[i];
      h[j] = Math.tanh(s);
    }
    let m = -Infinity;
    for (let k = 0; k < K; k++) {
      const w = W2[k];
      let s = b2[k];
      for (let j = 0; j < H; j++) s += w[j] * h[j];
      z[k] = s;
      if (s > m) m = s;
    }
    let sum = 0;
    for (let k = 0; k < K; k++) sum += Math.exp(z[k] - m);
    loss += Math.log(sum) + m - z[labels[n]];
  }
  return loss / X.length;
}

/** gradient with respect to the weights and biases; the batch is constant */
export const gradient = grad(mlpLoss, [0, 1, 2, 3]);

export const problem: Problem = {
  name: "mlp",
  sizes: [32],
  setup(B): Instance {
    const D = 784, H = 128, K = 10;
    const r = rng(3);
    const X = matrix(r, B, D, 1);
    const labels = Array.from({ length: B }, () => Math.floor(r() * K));
    const args: [number[][], number[], number[][], number[]] = [
      matrix(r, H, D, 1 / Math.sqrt(D)),
      vector(r, H, 0.1),
      matrix(r, K, H, 1 / Math.sqrt(H)),
      vector(r, K, 0.1),
    ];
    const [W1, b1, W2, b2] = args;
    return {
      label: `mlp 784-128-10 batch ${B}`,
      objective: () => mlpLoss(args[0], args[1], args[2], args[3], X, labels),
      generated: gradient ? () => gradient(W1, b1, W2, b2, X, labels) : undefined,
      hand: () => mlpHand(W1, b1, W2, b2, X, labels),
      tape: () => mlpTape(W1, b1, W2, b2, X, labels),
      tfjs: (tf) => {
        const Xt = tf.tensor2d(Float32Array.from(flatRows(X)), [B, D]);
        const onehot = tf.oneHot(tf.tensor1d(labels, "int32"), K);
        const g = tf.grads((w1, c1, w2, c2) => {
          const h = tf.tanh(Xt.matMul(w1, false, true).add(c1));
          const z = h.matMul(w2, false, true).add(c2);
          return tf.logSumExp(z, 1).sub(z.mul(onehot).sum(1)).mean();
        });
        const f32 = (m: number[][]) => Float32Array.from(flatRows(m));
        const ps = [tf.tensor2d(f32(W1), [H, D]), tf.tensor1d(b1), tf.tensor2d(f32(W2), [K, H]), tf.tensor1d(b2)];
        return () => tf.tidy(() => g(ps).map((t) => t.dataSync()));
      },
      jax: ({ numpy: np, nn, jit, grad: jgrad }) => {
        const f64 = (a: ArrayLike<number>, shape: number[]) => np.array(Float64Array.from(a), { dtype: np.float64 }).reshape(shape);
        const Xt = f64(flatRows(X), [B, D]);
        const onehot = f64(labels.flatMap((l) => Array.from({ length: K }, (_, k) => (k === l ? 1 : 0))), [B, K]);
        const g = jit(
          jgrad((p: { W1: JaxArray; b1: JaxArray; W2: JaxArray; b2: JaxArray }, Xa: JaxArray, Y: JaxArray) => {
            const h = np.tanh(np.matmul(Xa, p.W1.transpose()).add(p.b1));
            const z = np.matmul(h, p.W2.transpose()).add(p.b2);
            return nn.logsumexp(z.ref, -1).sub(z.mul(Y).sum(-1)).mean();
          }),
        );
        const ps = { W1: f64(flatRows(W1), [H, D]), b1: f64(b1, [H]), W2: f64(flatRows(W2), [K, H]), b2: f64(b2, [K]) };
        return () => {
          const out = g({ W1: ps.W1.ref, b1: ps.b1.ref, W2: ps.W2.ref, b2: ps.b2.ref }, Xt.ref, onehot.ref);
          return [out.W1.dataSync(), out.b1.dataSync(), out.W2.dataSync(), out.b2.dataSync()];
        };
      },
      wrt: args,
    };
  },
};
