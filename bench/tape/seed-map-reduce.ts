import * as T from "./tape.js";

export function seedTape(x: number, xs: number[]): [number, number[]] {
  T.reset();
  const xv = T.leaf(x);
  const vs = T.leaves(xs);
  const out = T.div(vs.map(T.square).reduce(T.add, T.constant(0)), xv);
  T.backward(out);
  return [xv.g, T.grads(vs)];
}
