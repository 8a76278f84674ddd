// Written by hand (not found by a campaign: the generator's helpers write into main's parameter,
// which BP1018 rejects), while fixing callee-write-without-gradient-mutates-input.ts.
// Failed (wrong-gradient):
//   at [[1.7254816517233849,0.38816702272742987],0.5440538078546524]: grad [[0,0],3.2643228471279144],
//   forward mode [[0,0],2.1762152314186096], finite differences [[0,0],2.176215231519673]
// point: [[1.7254816517233849,0.38816702272742987],0.5440538078546524]
// Expected: rejected with BP1018 (at `let v = h0(t)`)
// Bug: h0 writes into t, a local array no gradient flows through, so the call was not BP1018 (no
//   differentiated argument) and ran as written in the forward sweep. The adjoint of
//   `y = t[0] * b * b` reads t[0], which h0 had changed to 3 by then: the function's own writes are
//   saved and restored (4-analyse/tbr.ts and cx.written), a callee's were not seen. Now a call that
//   writes into an array or record (4-analyse/writes.ts, argumentWrites) whose contents the adjoint
//   of a statement that may run before it reads (argumentWritesReadByAdjoint, from the dry run's
//   adjointReads) is BP1018 at the call (test/errors/write-into-local-read-by-adjoint); one whose
//   array the adjoint reads only after the call still runs (test/fixtures/callee-writes-local).
//   Check: `npm run fuzz -- --file test/fuzz/regressions/callee-write-into-local-read-by-adjoint.ts`.

function h0(ws: number[]): number {
  ws[0] += 1;
  return 1;
}

export function main(xs: number[], b: number): number {
  const t = new Array<number>(2).fill(0);
  t[0] = 2;
  const y = t[0] * b * b;
  let v = h0(t);
  return y;
}
