// Fuzz reproducer: `npm run fuzz -- --seed 6 --start 15 --count 1` (program 6:15), shrunk from 72 lines and reduced by hand.
// Failed (mutation): valueAndGrad(main) mutated its arguments
// point: [[0.3,-1.2],0.7]
// Expected: rejected with BP1018 (at `const r = h1(xs, b)`)
// Bug (fixed in ac7b898): which parameters a function writes (4-analyse/writes.ts) did not follow
//   calls. h0 writes into its argument; main calls it through h1, whose result does not reach the
//   gradient. A direct call `h0(xs)` is rejected with BP1018 (xs carries a gradient), but h1 was seen
//   as writing nothing, so main$grad, main$valueAndGrad and vjp ran it as written and wrote
//   xs[0] += 1 into the caller's array. Written parameters now follow calls into program functions,
//   transitively: this call is BP1018 like the direct one (had main read xs after it, the write's
//   part of the gradient would be lost: test/errors/write-through-callee), and a parameter a callee
//   writes into but no gradient flows through (one `wrt` leaves out) is copied first
//   (test/fixtures/callee-writes).
//   Check: `npm run fuzz -- --file test/fuzz/regressions/callee-write-without-gradient-mutates-input.ts`.

function h0(ws: number[]): number {
  ws[0] += 1;
  return 1;
}

function h1(ws: number[], x: number): { s: number } {
  let v0 = h0(ws);
  return { s: x };
}

export function main(xs: number[], b: number): number {
  const r = h1(xs, b);
  return b * b;
}
