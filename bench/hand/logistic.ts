// loss = (1/N) Σ_i -[y_i log p_i + (1-y_i) log(1-p_i)], p_i = σ(z_i), z_i = b + w·X_i.
// ∂loss/∂z_i = (p_i - y_i)/N, so ∂/∂w_j = Σ_i (p_i - y_i) X_ij / N and ∂/∂b = Σ_i (p_i - y_i) / N.
export function logisticHand(w: number[], b: number, X: number[][], y: number[]): [number[], number] {
  const N = X.length;
  const D = w.length;
  const dw = new Array<number>(D).fill(0);
  let db = 0;
  for (let i = 0; i < N; i++) {
    const row = X[i]!;
    let z = b;
    for (let j = 0; j < D; j++) z += w[j]! * row[j]!;
    const dz = (1 / (1 + Math.exp(-z)) - y[i]!) / N;
    for (let j = 0; j < D; j++) dw[j] += dz * row[j]!;
    db += dz;
  }
  return [dw, db];
}
