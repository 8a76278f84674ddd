// f = S / x with S = Σ v_i²:  ∂f/∂x = -S / x²,  ∂f/∂v_i = 2 v_i / x.
export function seedHand(x: number, xs: number[]): [number, number[]] {
  const n = xs.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += xs[i]! * xs[i]!;
  const dxs = new Array<number>(n);
  const c = 2 / x;
  for (let i = 0; i < n; i++) dxs[i] = c * xs[i]!;
  return [-s / (x * x), dxs];
}
