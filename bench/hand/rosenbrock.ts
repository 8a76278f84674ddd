// ∂/∂x of Σ_{i<n-1} 100 a_i² + b_i², a_i = x_{i+1} - x_i², b_i = 1 - x_i:
//   ∂/∂x_i     += 100·2a_i·(-2x_i) + 2b_i·(-1) = -400 x_i a_i - 2 b_i
//   ∂/∂x_{i+1} += 200 a_i
export function rosenbrockHand(x: number[]): number[] {
  const n = x.length;
  const g = new Array<number>(n).fill(0);
  for (let i = 0; i < n - 1; i++) {
    const xi = x[i]!;
    const a = x[i + 1]! - xi * xi;
    const b = 1 - xi;
    g[i] += -400 * xi * a - 2 * b;
    g[i + 1] += 200 * a;
  }
  return g;
}

/** The same over a Float64Array, returning one. */
export function rosenbrockTypedHand(x: Float64Array): Float64Array {
  const n = x.length;
  const g = new Float64Array(n);
  for (let i = 0; i < n - 1; i++) {
    const xi = x[i]!;
    const a = x[i + 1]! - xi * xi;
    const b = 1 - xi;
    g[i] += -400 * xi * a - 2 * b;
    g[i + 1] += 200 * a;
  }
  return g;
}
