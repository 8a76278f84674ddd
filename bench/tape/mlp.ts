import * as T from "./tape.js";

export function mlpTape(
  W1: number[][], b1: number[], W2: number[][], b2: number[], X: number[][], labels: number[],
): [number[][], number[], number[][], number[]] {
  T.reset();
  const w1 = W1.map((row) => T.leaves(row));
  const c1 = T.leaves(b1);
  const w2 = W2.map((row) => T.leaves(row));
  const c2 = T.leaves(b2);
  const H = b1.length, K = b2.length;
  let loss = T.constant(0);
  for (let n = 0; n < X.length; n++) {
    const x = X[n]!;
    const h: T.Node[] = [];
    for (let j = 0; j < H; j++) {
      const w = w1[j]!;
      let s = c1[j]!;
      for (let i = 0; i < x.length; i++) s = T.add(s, T.mulc(w[i]!, x[i]!));
      h.push(T.tanh(s));
    }
    const z: T.Node[] = [];
    let m = -Infinity;
    for (let k = 0; k < K; k++) {
      const w = w2[k]!;
      let s = c2[k]!;
      for (let j = 0; j < H; j++) s = T.add(s, T.mul(w[j]!, h[j]!));
      z.push(s);
      if (s.v > m) m = s.v; // the shift is a constant: logsumexp does not depend on it
    }
    let sum = T.constant(0);
    for (let k = 0; k < K; k++) sum = T.add(sum, T.exp(T.addc(z[k]!, -m)));
    loss = T.add(loss, T.sub(T.addc(T.log(sum), m), z[labels[n]!]!));
  }
  T.backward(T.mulc(loss, 1 / X.length));
  return [w1.map(T.grads), T.grads(c1), w2.map(T.grads), T.grads(c2)];
}
