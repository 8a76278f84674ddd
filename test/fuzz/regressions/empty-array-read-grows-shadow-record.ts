// Fuzz reproducer: `npm run fuzz -- --seed 102 --start 373 --count 1` (program 102:373), shrunk from 43 lines.
// Fails (ieee-throws):
//   valueAndGrad(main)([[]]) threw backprop-ts: cannot add gradients of different shapes: number[1]
//   and []; main returns undefined
// point: [[]]
// Bug (fixed with empty-array-read-grows-shadow.ts): the same, through a helper returning a record:
//   `t: ws[0]` on an empty ws makes the adjoint write dws[0] (growing the shadow to length 1), and
//   adding the rule's [] gradient for ws then throws.

import { withGradient } from "backprop-ts";

const wg0 = withGradient((ws: number[], x: number, y: number) => {
  let s = 0;
  for (const w of ws) s += w;
  return [s, (dy: number) => [ws.map((w) => dy * 1), dy * ws.reduce((acc, w) => acc + 0, 0), dy * ws.reduce((acc, w) => acc + 0, 0)]];
});

function h0(ws: number[], x: number, y: number, z: number): { s: number; t: number } {
  return { s: wg0(ws, 1, 1), t: ws[0] };
}

export function main(xs: number[]): number {
  const r0 = h0(xs, 1, 1, 1);
  let k1 = 0;
  do {
    k1++;
    return r0.t;
  } while (k1 < 1);
  return 1;
}
