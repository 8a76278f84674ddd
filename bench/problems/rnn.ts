// Elman RNN unrolled over 100 steps: h_t = tanh(Wx x_t + Wh h_{t-1} + b), a linear read-out v·h_t
// regressed onto y_t; the state is a fresh Float64Array per step.
import { grad } from "backprop-ts";
import { flatRows, matrix, rng, vector } from "../support/data.js";
import type { JaxArray } from "../support/peers.js";
import type { Instance, Problem } from "../support/problem.js";
import { rnnHand } from "../hand/rnn.js";
import { rnnTape } from "../tape/rnn.js";

export function rnnLoss(Wx: number[][], Wh: number[][], b: number[], v: number[], xs: number[][], ys: number[]): number {
  const H = b.length;
  let h = new Float64Array(H);
  let loss = 0;
  for (let t = 0; t < xs.length; t++) {
    const x = xs[t];
    const next = new Float64Array(H);
    for (let j = 0; j < H; j++) {
      let s = b[j];
      for (let i = 0; i < x.length; i++) s += Wx[j][i] * x[i];
      for (let k = 0; k < H; k++) s += Wh[j][k] * h[k];
      next[j] = Math.tanh(s);
    }
    h = next;
    let out = 0;
    for (let j = 0; j < H; j++) out += v[j] * h[j];
    const e = out - ys[t];
    loss += e * e;
  }
  return loss / xs.length;
}

/** gradient with respect to the weights; the sequence is constant */
export const gradient = grad(rnnLoss, [0, 1, 2, 3]);

export const problem: Problem = {
  name: "rnn",
  sizes: [100],
  setup(T): Instance {
    const D = 8, H = 32;
    const r = rng(4);
    const xs = matrix(r, T, D);
    const ys = vector(r, T);
    const args: [number[][], number[][], number[], number[]] = [
      matrix(r, H, D, 1 / Math.sqrt(D)),
      matrix(r, H, H, 0.9 / Math.sqrt(H)),
      vector(r, H, 0.1),
      vector(r, H, 1 / Math.sqrt(H)),
    ];
    const [Wx, Wh, b, v] = args;
    return {
      label: `rnn H=${H} D=${D} T=${T}`,
      objective: () => rnnLoss(args[0], args[1], args[2], args[3], xs, ys),
      generated: gradient ? () => gradient(Wx, Wh, b, v, xs, ys) : undefined,
      hand: () => rnnHand(Wx, Wh, b, v, xs, ys),
      tape: () => rnnTape(Wx, Wh, b, v, xs, ys),
      tfjs: (tf) => {
        const xt = xs.map((x) => tf.tensor2d([x], [1, D]));
        const g = tf.grads((wx, wh, c, vv) => {
          let h = tf.zeros([1, H]);
          let loss = tf.scalar(0);
          for (let t = 0; t < T; t++) {
            h = tf.tanh(xt[t]!.matMul(wx, false, true).add(h.matMul(wh, false, true)).add(c));
            loss = loss.add(h.mul(vv).sum().sub(ys[t]!).square());
          }
          return loss.div(T);
        });
        const f32 = (m: number[][]) => Float32Array.from(flatRows(m));
        const ps = [tf.tensor2d(f32(Wx), [H, D]), tf.tensor2d(f32(Wh), [H, H]), tf.tensor1d(b), tf.tensor1d(v)];
        return () => tf.tidy(() => g(ps).map((t) => t.dataSync()));
      },
      jax: ({ numpy: np, jit, grad: jgrad }) => {
        const f64 = (a: ArrayLike<number>, shape: number[]) => np.array(Float64Array.from(a), { dtype: np.float64 }).reshape(shape);
        const X = f64(flatRows(xs), [T, D]);
        const Y = f64(ys, [T]);
        const g = jit(
          jgrad((p: { Wx: JaxArray; Wh: JaxArray; b: JaxArray; v: JaxArray }, Xa: JaxArray, Ya: JaxArray) => {
            // the input projections of all steps at once, then the recurrence step by step
            const U = np.matmul(Xa, p.Wx.transpose()).add(p.b);
            const WhT = p.Wh.transpose();
            let h = np.zeros([H], { dtype: np.float64 });
            let loss = np.zeros([], { dtype: np.float64 });
            for (let t = 0; t < T; t++) {
              h = np.tanh(U.ref.slice(t).add(np.matmul(h, WhT.ref)));
              const e = h.ref.mul(p.v.ref).sum().sub(Ya.ref.slice(t));
              loss = loss.add(e.ref.mul(e));
            }
            U.dispose(); WhT.dispose(); p.v.dispose(); Ya.dispose(); h.dispose();
            return loss.div(T);
          }),
        );
        const ps = { Wx: f64(flatRows(Wx), [H, D]), Wh: f64(flatRows(Wh), [H, H]), b: f64(b, [H]), v: f64(v, [H]) };
        return () => {
          const out = g({ Wx: ps.Wx.ref, Wh: ps.Wh.ref, b: ps.b.ref, v: ps.v.ref }, X.ref, Y.ref);
          return [out.Wx.dataSync(), out.Wh.dataSync(), out.b.dataSync(), out.v.dataSync()];
        };
      },
      wrt: args,
    };
  },
};
