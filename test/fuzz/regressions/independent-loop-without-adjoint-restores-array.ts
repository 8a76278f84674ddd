// Fuzz reproducer: program 1:156 of a draft of the stepping/fieldAccum generator (`--seed 1 --start 156 --count 1`), shrunk from 69 lines.
// Fails (wrt):
//   grad(main, 0) = [15.94139138609171,0] but grad(main)[0] = [12.477371158078313,0] at
//   [[0.521327618509531,0.4303432470187545],1.7320101140066981]
// point: [[0.521327618509531,0.4303432470187545],1.7320101140066981]
// Bug (fixed in fbea67b): an inner loop with independent iterations whose adjoint is empty (t3 is inactive
//   for grad(main, 0)) dropped its save/restore of t2, so each step's adjoint of `v5 += t2[0] * t2[0]` read the
//   final t2 (test/fixtures/independent-loop-restores).
// test/fuzz/fuzz.test.ts runs every file of test/fuzz/regressions through the transformer and checks
// grad/valueAndGrad/vjp of `main` against forward mode and finite differences (fuzz/check.ts).

export function main(xs: number[], c: number): number {
  const t2 = new Float64Array(xs);
  const t3 = new Float64Array(xs.length);
  let v5 = 0;
  for (let k4 = 0; k4 < 2; k4++) {
    for (let k5 = 0; k5 < t3.length; k5++) {
      t3[k5] = c;
    }
    for (let k6 = 0; k6 < t2.length; k6++) {
      t2[k6] += t3[k6];
    }
    v5 += t2[0] * t2[1 - 1];
  }
  let v6 = 0;
  v6 = v5;
  return v6;
}
