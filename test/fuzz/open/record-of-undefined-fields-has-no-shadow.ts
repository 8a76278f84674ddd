// Fuzz reproducer: `npm run fuzz -- --seed 901 --start 966 --count 1` (program 901:966), shrunk from 60 lines.
// Fails (ieee-throws):
//   valueAndGrad(main)([[]]) threw Cannot read properties of undefined (reading 's'); main returns
//   undefined
// point: [[]]
// OPEN (transformer/runtime bug, the shadow of a record whose numbers are all undefined — the same
//   family as class-instance-of-undefined-fields-has-no-shadow.ts; suspected in src/runtime/shape.ts
//   zeroLike together with 5-differentiate): with xs = [], h1 returns `{ s: undefined }` and
//   valueAndGrad throws `Cannot read properties of undefined (reading 's')` where main returns
//   undefined. README: empty arrays work. 7 of 2000 programs of seed 901 (all features on).
//   Check: `npm run fuzz -- --file test/fuzz/open/record-of-undefined-fields-has-no-shadow.ts`.
//   The fuzz test's programs do not hit this, so `records` stays on there.

function h1(x: number, y: number, z: number, ws: number[]): { s: number } {
  return { s: ws[1 - 1] };
}

export function main(xs: number[]): number {
  const r0 = h1(1, 1, 1, xs);
  return r0.s;
}
