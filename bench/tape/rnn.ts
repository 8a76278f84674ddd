import * as T from "./tape.js";

export function rnnTape(
  Wx: number[][], Wh: number[][], b: number[], v: number[], xs: number[][], ys: number[],
): [number[][], number[][], number[], number[]] {
  T.reset();
  const wx = Wx.map((row) => T.leaves(row));
  const wh = Wh.map((row) => T.leaves(row));
  const c = T.leaves(b);
  const vv = T.leaves(v);
  const H = b.length;
  let h: T.Node[] = Array.from({ length: H }, () => T.constant(0));
  let loss = T.constant(0);
  for (let t = 0; t < xs.length; t++) {
    const x = xs[t]!;
    const next: T.Node[] = [];
    for (let j = 0; j < H; j++) {
      let s = c[j]!;
      for (let i = 0; i < x.length; i++) s = T.add(s, T.mulc(wx[j]![i]!, x[i]!));
      for (let k = 0; k < H; k++) s = T.add(s, T.mul(wh[j]![k]!, h[k]!));
      next.push(T.tanh(s));
    }
    h = next;
    let out = T.constant(0);
    for (let j = 0; j < H; j++) out = T.add(out, T.mul(vv[j]!, h[j]!));
    loss = T.add(loss, T.square(T.addc(out, -ys[t]!)));
  }
  T.backward(T.mulc(loss, 1 / xs.length));
  return [wx.map(T.grads), wh.map(T.grads), T.grads(c), T.grads(vv)];
}
