// Written by hand (not found by a campaign: the generator's helpers write into main's parameter,
// which BP1018 rejects), while fixing callee-write-without-gradient-mutates-input.ts.
// Fails (wrong-gradient):
//   at [[1.7254816517233849,0.38816702272742987],0.5440538078546524]: grad [[0,0],3.2643228471279144],
//   forward mode [[0,0],2.1762152314186096], finite differences [[0,0],2.176215231519673]
// point: [[1.7254816517233849,0.38816702272742987],0.5440538078546524]
// OPEN (bug): h0 writes into t, a local array no gradient flows through, so the call is not BP1018
//   and runs as written in the forward sweep. The adjoint of `y = t[0] * b * b` reads t[0], which
//   h0 has changed to 3 by then: the statements' own writes are restored (4-analyse/tbr.ts and
//   cx.written), a callee's are not seen. Pre-existing (also at d7374f3). The written-parameter
//   analysis in 4-analyse/writes.ts now knows which arguments a call writes into; the fix would save
//   such an argument's contents before the call (or reject the call, as BP1018 does for varied ones).

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
