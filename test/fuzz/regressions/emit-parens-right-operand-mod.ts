// Fuzz reproducer: `npm run fuzz -- --seed 1 --start 51 --count 1` (program 1:51), shrunk from 27 lines.
// Fails (wrong-gradient):
//   at [-0.5235092537477612]: grad [0.5], forward mode [0], finite differences [0]
// Bug (fixed in 220d1a4): the emitter drops the parentheses of a right operand of the same precedence: the adjoint 
//   `dresult * ((1 % 1) * 1)` is printed `dresult * 1 % 1 * 1` (= (dresult * 1) % 1).
// test/fuzz/fuzz.test.ts checks `main` here against forward mode and finite differences (fuzz/check.ts).

function h1(z: number): number {
  return ((1 % 1) * 1) * z;
}

export function main(a: number): number {
  a = h1(a) * 0.5;
  return a;
}
