import * as T from "./tape.js";

export function logisticTape(w: number[], b: number, X: number[][], y: number[]): [number[], number] {
  T.reset();
  const wv = T.leaves(w);
  const bv = T.leaf(b);
  let loss = T.constant(0);
  for (let i = 0; i < X.length; i++) {
    const row = X[i]!;
    let z = bv;
    for (let j = 0; j < wv.length; j++) z = T.add(z, T.mulc(wv[j]!, row[j]!));
    const p = T.sigmoid(z);
    const yi = y[i]!;
    const ll = T.add(T.mulc(T.log(p), yi), T.mulc(T.log(T.rsubc(1, p)), 1 - yi));
    loss = T.sub(loss, ll);
  }
  const out = T.mulc(loss, 1 / X.length);
  T.backward(out);
  return [T.grads(wv), bv.g];
}
