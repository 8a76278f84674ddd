// Fuzz reproducer: program 8:136 of a draft of the stepping/fieldAccum generator (`--seed 8 --start 136 --count 1 --size 18 --loop-depth 3 --max-trip 6 --max-len 5 --without classes,switch,recursion,rules,arrayRules`), shrunk from 58 lines.
// Fails (value):
//   valueAndGrad(main)([[-1.7972467802464962,-1.4649148872122169,-0.6447648778557777,-1.020442707464099]]).value
//   is 2, main returns 1
// point: [[-1.7972467802464962,-1.4649148872122169,-0.6447648778557777,-1.020442707464099]]
// Bug (fixed in c19ce02): `{ u: v0, v: v0++ }` hoisted the update before the literal, so u read the new v0:
//   valueAndGrad's value differed from main's (test/fixtures/evaluation-order).
// test/fuzz/fuzz.test.ts runs every file of test/fuzz/regressions through the transformer and checks
// grad/valueAndGrad/vjp of `main` against forward mode and finite differences (fuzz/check.ts).

export function main(xs: number[]): number {
  let v0 = 1;
  const o0 = { u: v0, v: v0++ };
  const t3 = new Float64Array(xs.length);
  const t4 = new Float64Array(xs.length);
  for (let k3 = 0; k3 < 1; k3++) {
    t4[k3] = o0.u;
  }
  for (let k4 = 0; k4 < 1; k4++) {
    t3[k4] = t4[k4];
  }
  let v7 = 0;
  for (let k5 = 0; k5 < 1; k5++) {
    v7 = t3[k5];
  }
  return v7;
}
