// Fuzz reproducer: program 9:306 of a draft of the stepping/fieldAccum generator (`--seed 9 --start 306 --count 1 --size 22`), shrunk from 41 lines.
// Fails (wrong-gradient):
//   at [{"k":[-0.5156419007107615],"c":-1.0982069103047252}]: grad [{"k":[0],"c":2}], forward mode
//   [{"c":1,"k":[0]}], finite differences [{"c":0.9999999999951343,"k":[0]}]
// point: [{"k":[-0.5156419007107615],"c":-1.0982069103047252}]
// Bug (fixed in fbea67b): `v0++` steps like the loop counter, so the loop counted as independent with two
//   counters and no adjoint; its adjoint was dropped and the adjoint of `v1 = p.c * v0` read the final v0
//   (test/fixtures/independent-loop-restores, counterRead).
// test/fuzz/fuzz.test.ts runs every file of test/fuzz/regressions through the transformer and checks
// grad/valueAndGrad/vjp of `main` against forward mode and finite differences (fuzz/check.ts).

export function main(p: { k: number[]; c: number }): number {
  let v0 = 1;
  let v1 = 0;
  v1 = p.c * v0;
  let k1 = 0;
  while (k1 < 1) {
    k1++;
    v0++;
  }
  return v1;
}
