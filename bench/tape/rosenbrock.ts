import * as T from "./tape.js";

export function rosenbrockTape(x: number[]): number[] {
  T.reset();
  const v = T.leaves(x);
  let s = T.constant(0);
  for (let i = 0; i < v.length - 1; i++) {
    const a = T.sub(v[i + 1]!, T.square(v[i]!));
    const b = T.rsubc(1, v[i]!);
    s = T.add(s, T.add(T.mulc(T.square(a), 100), T.square(b)));
  }
  T.backward(s);
  return T.grads(v);
}
