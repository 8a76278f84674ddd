// Per sample n: s = W1 x + b1, h = tanh(s), z = W2 h + b2, loss_n = logsumexp(z) - z[label].
// With p = softmax(z):  ∂loss/∂z_k = (p_k - [k = label]) / B          (the 1/B of the mean)
//   ∂/∂W2[k][j] += dz_k h_j,  ∂/∂b2[k] += dz_k,  dh_j = Σ_k dz_k W2[k][j]
//   ds_j = dh_j (1 - h_j²),   ∂/∂W1[j][i] += ds_j x_i,  ∂/∂b1[j] += ds_j
export function mlpHand(
  W1: number[][], b1: number[], W2: number[][], b2: number[], X: number[][], labels: number[],
): [number[][], number[], number[][], number[]] {
  const B = X.length, H = b1.length, K = b2.length;
  const dW1 = W1.map((row) => new Array<number>(row.length).fill(0));
  const db1 = new Array<number>(H).fill(0);
  const dW2 = W2.map((row) => new Array<number>(row.length).fill(0));
  const db2 = new Array<number>(K).fill(0);
  const h = new Float64Array(H);
  const z = new Float64Array(K);
  const dh = new Float64Array(H);
  for (let n = 0; n < B; n++) {
    const x = X[n]!;
    const D = x.length;
    for (let j = 0; j < H; j++) {
      const w = W1[j]!;
      let s = b1[j]!;
      for (let i = 0; i < D; i++) s += w[i]! * x[i]!;
      h[j] = Math.tanh(s);
    }
    let m = -Infinity;
    for (let k = 0; k < K; k++) {
      const w = W2[k]!;
      let s = b2[k]!;
      for (let j = 0; j < H; j++) s += w[j]! * h[j]!;
      z[k] = s;
      if (s > m) m = s;
    }
    let sum = 0;
    for (let k = 0; k < K; k++) sum += (z[k] = Math.exp(z[k]! - m));
    dh.fill(0);
    for (let k = 0; k < K; k++) {
      const dz = (z[k]! / sum - (k === labels[n] ? 1 : 0)) / B;
      db2[k] += dz;
      const w = W2[k]!, dw = dW2[k]!;
      for (let j = 0; j < H; j++) {
        dw[j] += dz * h[j]!;
        dh[j] += dz * w[j]!;
      }
    }
    for (let j = 0; j < H; j++) {
      const ds = dh[j]! * (1 - h[j]! * h[j]!);
      db1[j] += ds;
      const dw = dW1[j]!;
      for (let i = 0; i < D; i++) dw[i] += ds * x[i]!;
    }
  }
  return [dW1, db1, dW2, db2];
}
