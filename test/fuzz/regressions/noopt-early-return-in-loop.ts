// Fuzz reproducer: `npm run fuzz -- --seed 1 --start 4 --count 1` (program 1:4), shrunk from 65 lines.
// Fails (value):
//   (optimize: false) valueAndGrad(main)([[0.07365893479436636]]).value is NaN, main returns 1
// Bug (fixed in 220d1a4): with optimize: false, a `return` inside a loop saves `result` (still undefined) on the F64 tape 
//   and the adjoint sweep restores it before returning: the value is NaN.
// test/fuzz/fuzz.test.ts checks `main` here against forward mode and finite differences (fuzz/check.ts).

export function main(xs: number[]): number {
  let k0 = 0;
  do {
    k0++;
    return 1;
  } while (k0 < 1);
  return 1;
}
