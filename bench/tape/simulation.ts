import type { Chain } from "../problems/simulation.js";
import * as T from "./tape.js";

export function simulateTape(p: Chain, x0: number[], target: number[], steps: number, dt: number): [Chain, number[]] {
  T.reset();
  const k = T.leaves(p.k);
  const c = T.leaf(p.damping);
  const xInit = T.leaves(x0);
  const n = x0.length;
  const zero = T.constant(0);
  let x = xInit.slice();
  let v = Array.from({ length: n }, () => zero);
  for (let s = 0; s < steps; s++) {
    const f: T.Node[] = [];
    for (let i = 0; i < n; i++) {
      const left = i > 0 ? x[i - 1]! : zero;
      const right = i < n - 1 ? x[i + 1]! : zero;
      f.push(T.sub(T.add(T.mul(k[i]!, T.sub(left, x[i]!)), T.mul(k[i + 1]!, T.sub(right, x[i]!))), T.mul(c, v[i]!)));
    }
    v = v.map((vi, i) => T.add(vi, T.mulc(f[i]!, dt)));
    x = x.map((xi, i) => T.add(xi, T.mulc(v[i]!, dt)));
  }
  let loss = T.constant(0);
  for (let i = 0; i < n; i++) loss = T.add(loss, T.square(T.addc(x[i]!, -target[i]!)));
  T.backward(loss);
  return [{ k: T.grads(k), damping: c.g }, T.grads(xInit)];
}
