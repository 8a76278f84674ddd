// Backpropagation through time. Forward: s_t = Wx x_t + Wh h_{t-1} + b, h_t = tanh(s_t),
// e_t = v·h_t - y_t, loss = Σ e_t² / T (h_{-1} = 0); every h_t is kept (T·H numbers).
// Reverse, t = T-1 … 0, with carry c = ∂loss/∂h_t from later steps (0 at the end):
//   de = 2 e_t / T;  ∂/∂v += de h_t;  dh = c + de v;  ds = dh ⊙ (1 - h_t²)
//   ∂/∂b += ds;  ∂/∂Wx[j][i] += ds_j x_t[i];  ∂/∂Wh[j][k] += ds_j h_{t-1}[k];  c_k = Σ_j ds_j Wh[j][k]
export function rnnHand(
  Wx: number[][], Wh: number[][], b: number[], v: number[], xs: number[][], ys: number[],
): [number[][], number[][], number[], number[]] {
  const T = xs.length, H = b.length;
  const hs = new Float64Array((T + 1) * H); // hs[(t+1)H + j] = h_t[j]; row 0 is h_{-1} = 0
  const es = new Float64Array(T);
  for (let t = 0; t < T; t++) {
    const x = xs[t]!;
    const prev = t * H, cur = (t + 1) * H;
    for (let j = 0; j < H; j++) {
      let s = b[j]!;
      const wx = Wx[j]!, wh = Wh[j]!;
      for (let i = 0; i < x.length; i++) s += wx[i]! * x[i]!;
      for (let k = 0; k < H; k++) s += wh[k]! * hs[prev + k]!;
      hs[cur + j] = Math.tanh(s);
    }
    let out = 0;
    for (let j = 0; j < H; j++) out += v[j]! * hs[cur + j]!;
    es[t] = out - ys[t]!;
  }
  const dWx = Wx.map((row) => new Array<number>(row.length).fill(0));
  const dWh = Wh.map((row) => new Array<number>(row.length).fill(0));
  const db = new Array<number>(H).fill(0);
  const dv = new Array<number>(H).fill(0);
  let carry = new Float64Array(H);
  let nextCarry = new Float64Array(H);
  const ds = new Float64Array(H);
  for (let t = T - 1; t >= 0; t--) {
    const x = xs[t]!;
    const prev = t * H, cur = (t + 1) * H;
    const de = (2 * es[t]!) / T;
    for (let j = 0; j < H; j++) {
      const hj = hs[cur + j]!;
      dv[j] += de * hj;
      ds[j] = (carry[j]! + de * v[j]!) * (1 - hj * hj);
    }
    nextCarry.fill(0);
    for (let j = 0; j < H; j++) {
      const d = ds[j]!;
      db[j] += d;
      const dwx = dWx[j]!, dwh = dWh[j]!, wh = Wh[j]!;
      for (let i = 0; i < x.length; i++) dwx[i] += d * x[i]!;
      for (let k = 0; k < H; k++) {
        dwh[k] += d * hs[prev + k]!;
        nextCarry[k] += d * wh[k]!;
      }
    }
    [carry, nextCarry] = [nextCarry, carry];
  }
  return [dWx, dWh, db, dv];
}
