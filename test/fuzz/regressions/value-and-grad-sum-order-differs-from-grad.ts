// Fuzz reproducer: program 7:145 of a draft of the stepping/fieldAccum generator (`--seed 7 --size 18 --loop-depth 3
// --max-trip 6 --max-len 5 --without classes,switch,recursion,rules,arrayRules`), shrunk and rewritten over a number.
// Fails (value-and-grad):
//   valueAndGrad(main).grad [[-2.3296738202705076,-1.6577978273494376,-3.683939750820129,-0.22610629647807423],10.767104139496904]
//   ≠ grad(main) [[-2.3296738202705076,-1.6577978273494376,-3.683939750820129,-0.22610629647807423],10.767104139496903]
// point: [[1.1556753451004624,0.8154371902346611,1.6139298425987363,-1.1768029732629657],-0.7334857722744346]
// Decided (accepted, not a bug): the two gradients differ in the last bit. `main$grad` runs the
//   loop's adjoint forwards (its iterations are independent and nothing else needs the forward loop,
//   so there is none), `main$valueAndGrad` backwards (the forward loop stays for the value, and a
//   costly temporary such as `e = Math.exp(…)` is saved rather than computed twice:
//   independent-loops.ts, `valueNeeded`), so dc sums the same terms in the opposite order. Making
//   them bitwise equal would cost one of the two its speed; valueAndGrad is what training loops call.
//   The fuzzer now compares valueAndGrad(f).grad with grad(f) to rounding (check.ts), as README says.
//   Check: `npm run fuzz -- --file test/fuzz/regressions/value-and-grad-sum-order-differs-from-grad.ts`.

export function main(xs: number[], c: number): number {
  let v0 = 0;
  for (let k1 = 0; k1 < xs.length; k1++) {
    const e = Math.exp(xs[k1]);
    v0 += c * e;
  }
  return v0;
}
