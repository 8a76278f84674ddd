// Fuzz reproducer: program 7:145 of a draft of the stepping/fieldAccum generator (`--seed 7 --size 18 --loop-depth 3
// --max-trip 6 --max-len 5 --without classes,switch,recursion,rules,arrayRules`), shrunk and rewritten over a number.
// Fails (value-and-grad):
//   valueAndGrad(main).grad [[-2.3296738202705076,-1.6577978273494376,-3.683939750820129,-0.22610629647807423],10.767104139496904]
//   ≠ grad(main) [[-2.3296738202705076,-1.6577978273494376,-3.683939750820129,-0.22610629647807423],10.767104139496903]
// point: [[1.1556753451004624,0.8154371902346611,1.6139298425987363,-1.1768029732629657],-0.7334857722744346]
// OPEN (a design question, your call): the two gradients differ in the last bit. `main$grad` runs the
//   loop's adjoint forwards (its iterations are independent and nothing else needs the forward loop),
//   `main$valueAndGrad` backwards (the forward loop stays for the value, and a costly temporary such
//   as `e = Math.exp(…)` is then saved rather than computed twice: independent-loops.ts, `valueNeeded`),
//   so dc sums the same terms in the opposite order. The fuzzer requires valueAndGrad(f).grad to be
//   identical to grad(f); either that check accepts rounding-level differences, or the two derivatives
//   choose the same direction. Pre-existing (also at eff2c72); the new fieldAccum programs hit it more
//   often. A dead costly temporary (`let v1 = Math.sqrt(1)` unused in the loop) has the same effect.

export function main(xs: number[], c: number): number {
  let v0 = 0;
  for (let k1 = 0; k1 < xs.length; k1++) {
    const e = Math.exp(xs[k1]);
    v0 += c * e;
  }
  return v0;
}
