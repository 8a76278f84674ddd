// Fuzz reproducer: `npm run fuzz -- --seed 101 --start 292 --count 1` (program 101:292), shrunk from 40 lines.
// Fails (ieee-throws):
//   valueAndGrad(main)([[]]) threw backprop-ts: cannot add gradients of different shapes: number[1]
//   and []; main returns 0
// point: [[]]
// Bug (fixed: a literal or end index's adjoint is guarded by the array's length, 5-differentiate): with xs = [],
//   `ws[0]` reads undefined (main returns 0, the rule sums over no elements); the adjoint sweep then
//   does `dws[0] += grad2[2]`, which grows the shadow dws from [] to a one-element array, and the
//   next `dws = $bp.addInto(dws, grad1[0])` throws `cannot add gradients of different shapes:
//   number[1] and []`. README promises that empty arrays work (valueAndGrad must give main's value
//   without throwing). An out-of-range read's adjoint should not write into the shadow.
//   Check: `npm run fuzz -- --file test/fuzz/regressions/empty-array-read-grows-shadow.ts`.

import { withGradient } from "backprop-ts";

const wg0 = withGradient((ws: number[], x: number, y: number) => {
  let s = 0;
  for (const w of ws) s += Math.exp(Math.sin(Math.tanh(y)));
  return [s, (dy: number) => [ws.map((w) => dy * 0), dy * ws.reduce((acc, w) => acc + 0, 0), dy * ws.reduce((acc, w) => acc + (Math.exp(Math.sin(Math.tanh(y))) * (Math.cos(Math.tanh(y)) * (1 - (Math.tanh(y) ** 2)))), 0)]];
});

function h0(ws: number[]): number {
  return wg0(ws, wg0(ws, 1, 1), ws[0]);
}

export function main(xs: number[]): number {
  return h0(xs);
}
