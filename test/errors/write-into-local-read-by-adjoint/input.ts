// `bump` writes into `t`, a local array no gradient flows through, so the call is not the BP1018 of
// a differentiated argument (write-through-callee). But the adjoint of `y = t[0] * b * b`, which
// runs after the whole forward sweep, reads t[0]: only f's own writes are saved and restored, so it
// would read 3 (as bump left it), not 2, and d/db would be 6b instead of 4b. Rejected at the call.
import { grad } from "backprop-ts";

function bump(ws: number[]): number {
  ws[0] += 1;
  return 1;
}

export function f(b: number): number {
  const t = [0, 0];
  t[0] = 2;
  const y = t[0] * b * b;
  bump(t);
  return y;
}

export const g = grad(f);
