// Fuzz reproducer: `npm run fuzz -- --seed 20240611 --start 29 --count 1` (program 20240611:29), shrunk from 41 lines.
// Fails (ieee-throws):
//   valueAndGrad(main)([[]]) threw backprop-ts: cannot add gradients of different shapes: [] and
//   number[1]; main returns NaN
// point: [[]]
// Bug (fixed 2026-11-25): shadows of arrays, 5-differentiate's store: with xs = [], `t0[0] += 1`
//   stores past the end of t0, which grows t0 to one element (NaN) as JavaScript does, but t0's
//   gradient array stayed empty; the rule's gradient for t0 (one element, checked against t0) then
//   could not be added into it. A store that may write past the end (its index not kept below the
//   length by a loop's or an if's test) now saves the array's length, grows the shadow with zeros,
//   and its adjoint shrinks both back, so a parameter's gradient keeps its length too.
//   Found with the arrayRules feature on (the fix of empty-array-read-grows-shadow.ts exposed it).
//   Check: `npm run fuzz -- --file test/fuzz/regressions/store-past-end-grows-value-not-gradient.ts`.

import { withGradient } from "backprop-ts";

const wg0 = withGradient((ws: number[], x: number) => {
  let s = 0;
  for (const w of ws) s += Math.sqrt(1 + ((w / (1 + ((-1) * (-1)))) * (w / (1 + ((-1) * (-1))))));
  return [s, (dy: number) => [ws.map((w) => dy * (((((1 + ((-1) * (-1))) / ((1 + ((-1) * (-1))) * (1 + ((-1) * (-1))))) * (w / (1 + ((-1) * (-1))))) + ((w / (1 + ((-1) * (-1)))) * ((1 + ((-1) * (-1))) / ((1 + ((-1) * (-1))) * (1 + ((-1) * (-1))))))) / (2 * Math.sqrt(1 + ((w / (1 + ((-1) * (-1)))) * (w / (1 + ((-1) * (-1))))))))), dy * ws.reduce((acc, w) => acc + 0, 0)]];
});

export function main(xs: number[]): number {
  const t0 = xs.map((e0) => xs[0]);
  t0[0] += 1;
  return wg0(t0, 1);
}
