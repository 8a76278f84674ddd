// One step: f = K(k) x - c v, v' = v + dt f, x' = x + dt v', with
//   f_i = k_i (L_i - x_i) + k_{i+1} (R_i - x_i) - c v_i,  L_i = x_{i-1} (0 at i = 0), R_i = x_{i+1} (0 at i = n-1).
// The forward pass keeps x and v before every step; the reverse pass, with adjoints X̄ of x' and V̄ of v':
//   V̄ += dt X̄ (through x' = x + dt v');  x̄ = X̄;  v̄ = V̄;  f̄ = dt V̄ (through v' = v + dt f);
//   through f: v̄_i -= c f̄_i,  c̄ -= f̄_i v_i,  k̄_i += f̄_i (L_i - x_i),  k̄_{i+1} += f̄_i (R_i - x_i),
//              x̄_i -= f̄_i (k_i + k_{i+1}),  x̄_{i-1} += f̄_i k_i (i > 0),  x̄_{i+1} += f̄_i k_{i+1} (i < n-1).
// Loss Σ (x_i - target_i)²: X̄ starts at 2 (x_i - target_i), V̄ at 0.
import type { Chain } from "../problems/simulation.js";

export function simulateHand(p: Chain, x0: number[], target: number[], steps: number, dt: number): [Chain, number[]] {
  const n = x0.length, k = p.k, c = p.damping;
  const xs = new Float64Array(steps * n); // x before step s
  const vs = new Float64Array(steps * n); // v before step s
  const x = new Float64Array(x0);
  const v = new Float64Array(n);
  const f = new Float64Array(n);
  for (let s = 0; s < steps; s++) {
    xs.set(x, s * n);
    vs.set(v, s * n);
    for (let i = 0; i < n; i++) {
      const left = i > 0 ? x[i - 1]! : 0;
      const right = i < n - 1 ? x[i + 1]! : 0;
      f[i] = k[i]! * (left - x[i]!) + k[i + 1]! * (right - x[i]!) - c * v[i]!;
    }
    for (let i = 0; i < n; i++) {
      v[i] += dt * f[i]!;
      x[i] += dt * v[i]!;
    }
  }
  const dx = new Float64Array(n);
  const dv = new Float64Array(n);
  const dk = new Array<number>(k.length).fill(0);
  let dc = 0;
  for (let i = 0; i < n; i++) dx[i] = 2 * (x[i]! - target[i]!);
  for (let s = steps - 1; s >= 0; s--) {
    const o = s * n;
    for (let i = 0; i < n; i++) dv[i] += dt * dx[i]!;
    for (let i = 0; i < n; i++) {
      const df = dt * dv[i]!;
      const xi = xs[o + i]!;
      const left = i > 0 ? xs[o + i - 1]! : 0;
      const right = i < n - 1 ? xs[o + i + 1]! : 0;
      dv[i] -= c * df; // safe in place: f_i is the only reader of v_i
      dc -= df * vs[o + i]!;
      dk[i] += df * (left - xi);
      dk[i + 1] += df * (right - xi);
      dx[i] -= df * (k[i]! + k[i + 1]!);
      if (i > 0) dx[i - 1] += df * k[i]!;
      if (i < n - 1) dx[i + 1] += df * k[i + 1]!;
    }
  }
  return [{ k: dk, damping: dc }, Array.from(dx)];
}
