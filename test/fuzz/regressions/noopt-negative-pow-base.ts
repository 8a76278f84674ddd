// Fuzz reproducer: `npm run fuzz -- --seed 100 --start 117 --count 1` (program 100:117), shrunk from 59 lines.
// Fails (build):
//   esbuild rejected the transformed module (optimize: false): Unexpected "**" at `const v1 = -1 **
//   1;`
// Bug (fixed in 220d1a4): `(-1) ** 1` is emitted as `-1 ** 1`, a syntax error in JavaScript (also 
//   `-x ** 2`).
// test/fuzz/fuzz.test.ts checks `main` here against forward mode and finite differences (fuzz/check.ts).

export function main(c: number): number {
  let v1 = (-1) ** 1;
  return 1;
}
