// Fuzz reproducer: `npm run fuzz -- --seed 202 --start 28 --count 1` (program 202:28), shrunk from 48 lines.
// Fails (ieee-throws):
//   valueAndGrad(main)([[]]) threw Cannot read properties of undefined (reading 'u'); main returns
//   NaN
// point: [[]]
// Bug (fixed 2026-11-25): the shadow of a class instance, src/runtime/values.ts zeroLike together
//   with 5-differentiate: with xs = [], `new C0(xs[0])` makes an instance whose only field u is
//   undefined. `$bp.zeroLike(p0_c01)` gave undefined (no field carrying a number), and the method's
//   adjoint `C0$m$grad(c1, dm1, dc1)` read `dself.u`: valueAndGrad threw `Cannot read properties of
//   undefined (reading 'u')` where main returns NaN (in 202:551 main even returns a finite value).
//   zeroLike now gives a field holding undefined the zero 0 (generated code adds into the fields the
//   static type says are numbers), and the adjoint of a read at a constant index (`xs[1 - 1]`, not
//   only a literal) is guarded by the array's length, so the gradient for xs stays empty.
//   Check: `npm run fuzz -- --file test/fuzz/regressions/class-instance-of-undefined-fields-has-no-shadow.ts`.

class C0 {
  constructor(public u: number) {}
  m(): number {
    return Math.sqrt(Math.hypot(this.u / (2 + Math.sin(this.u)), 1));
  }
}

export function main(xs: number[]): number {
  const c1 = new C0(xs[1 - 1]);
  let v5 = c1.m();
  return v5;
}
