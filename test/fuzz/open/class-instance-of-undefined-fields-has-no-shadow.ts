// Fuzz reproducer: `npm run fuzz -- --seed 202 --start 28 --count 1` (program 202:28), shrunk from 48 lines.
// Fails (ieee-throws):
//   valueAndGrad(main)([[]]) threw Cannot read properties of undefined (reading 'u'); main returns
//   NaN
// point: [[]]
// OPEN (transformer/runtime bug, the shadow of a class instance — suspected in src/runtime/shape.ts
//   zeroLike together with 5-differentiate): with xs = [], `new C0(xs[0])` makes an instance whose
//   only field u is undefined. `$bp.zeroLike(p0_c01)` then gives undefined (a non-plain object with
//   no numeric field), and the method's adjoint `C0$m$grad(c1, dm1, dc1)` reads `dself.u`: valueAndGrad
//   throws `Cannot read properties of undefined (reading 'u')` where main returns NaN (in 202:551 main
//   even returns a finite value). README: empty arrays work. With a field initialiser (`c = 1.5`)
//   the shadow exists and nothing throws.
//   Check: `npm run fuzz -- --file test/fuzz/open/class-instance-of-undefined-fields-has-no-shadow.ts`.
//   The fuzz test turns off the generator feature `classNoInit` while this is open.

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
