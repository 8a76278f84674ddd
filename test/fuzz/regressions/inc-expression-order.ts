// Fuzz reproducer: `npm run fuzz -- --seed 11 --start 108 --count 1` (program 11:108), shrunk from 50 lines.
// Fails (wrong-gradient):
//   at [-0.8134545013308525]: grad [0], forward mode [-1], finite differences [-0.9999999999954489]
// Bug (fixed in 220d1a4): `++v`/`v++` inside an expression is hoisted before the whole expression, so operands to its left 
//   (here the `v` of `v -= …`) read the incremented value: the forward sweep computes 0, main 
//   computes -1.
// test/fuzz/fuzz.test.ts checks `main` here against forward mode and finite differences (fuzz/check.ts).

export function main(b: number): number {
  let v0 = 1;
  v0 -= ++v0;
  return v0 * b;
}
