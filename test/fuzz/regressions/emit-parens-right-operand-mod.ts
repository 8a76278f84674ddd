// Fuzz reproducer: `npm run fuzz -- --seed 1 --start 51 --count 1` (program 1:51), shrunk from 27 lines.
// Fails (wrong-gradient):
//   at [-0.5235092537477612]: grad [0.5], forward mode [0], finite differences [0]
// OPEN BUG: the emitter drops the parentheses of a right operand of the same precedence: the adjoint 
//   `dresult * ((1 % 1) * 1)` is printed `dresult * 1 % 1 * 1` (= (dresult * 1) % 1).
// Move this file to test/fuzz/regressions/ once fixed (fuzz.test.ts then runs it); check with
// `npm run fuzz -- --files test/fuzz/open`.

function h1(z: number): number {
  return ((1 % 1) * 1) * z;
}

export function main(a: number): number {
  a = h1(a) * 0.5;
  return a;
}
