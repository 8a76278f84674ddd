// Fuzz reproducer: `npm run fuzz -- --seed 901 --start 966 --count 1` (program 901:966), shrunk from 60 lines.
// Fails (ieee-throws):
//   valueAndGrad(main)([[]]) threw Cannot read properties of undefined (reading 's'); main returns
//   undefined
// point: [[]]
// Bug (fixed 2026-11-25): the shadow of a record whose numbers are all undefined, the same family
//   as class-instance-of-undefined-fields-has-no-shadow.ts (src/runtime/values.ts zeroLike): with
//   xs = [], h1 returns `{ s: undefined }`, whose zeroLike was undefined, and valueAndGrad threw
//   `Cannot read properties of undefined (reading 's')` where main returns undefined. 7 of 2000
//   programs of seed 901 (all features on). Fixed as that one: the zero of an undefined field is 0,
//   and `dws[1 - 1] += …` is guarded by dws's length.
//   Check: `npm run fuzz -- --file test/fuzz/regressions/record-of-undefined-fields-has-no-shadow.ts`.

function h1(x: number, y: number, z: number, ws: number[]): { s: number } {
  return { s: ws[1 - 1] };
}

export function main(xs: number[]): number {
  const r0 = h1(1, 1, 1, xs);
  return r0.s;
}
