// Fuzz reproducer: `npm run fuzz -- --seed 101 --start 36 --count 1` (program 101:36), shrunk from 62 lines.
// Fails (vjp):
//   vjp(main).pullback(2.5) = [[-0.8604568103328347,0],{"s":{"k":3.023800647351891,"z":0},"b":0}],
//   2.5 × grad = [[-0.3441827241331339,0],{"s":{"k":0.20952025894075632,"z":0},"b":0}] × 2.5 at
//   [[0.20952025894075632,-0.9912657048553228],{"s":{"k":-0.3441827241331339,"z":1.9414212377741933},"b":-0.8522447319701314}]
// point: [[0.20952025894075632,-0.9912657048553228],{"s":{"k":-0.3441827241331339,"z":1.9414212377741933},"b":-0.8522447319701314}]
// Bug (fixed in bb63fae): site wrapper for vjp (site rewriting / 6-emit): the vjp
//   site becomes `(xs, p) => { const value = main(xs, p); return { value, pullback: (dy) =>
//   main$grad(xs, p, dy)[1] } }`. main writes into its parameter (`xs[0] += 1`), which the plain
//   call `main(xs, p)` does to the caller's array: vjp(main) mutates its input (grad and valueAndGrad
//   copy it first), and the pullback then differentiates at the mutated xs, so its gradient is
//   not 2.5 × grad(main) (here d/dp.s.k uses xs[0] + 1 instead of xs[0]).
// test/fuzz/fuzz.test.ts checks `main` here against forward mode and finite differences (fuzz/check.ts).

export function main(xs: number[], p: { s: { k: number; z: number }; b: number }): number {
  let v0 = xs[0];
  xs[0] += 1;
  return xs.reduce((acc3, e3) => p.s.k, 1) * v0;
}
