// Fuzz reproducer: `npm run fuzz -- --seed 101 --start 323 --count 1` (program 101:323), shrunk from 47 lines.
// Fails (wrong-gradient):
//   at [-1.7330864975228906,-0.492926181294024]: grad [1,0], forward mode [0,0], finite differences
//   [0,0]
// point: [-1.7330864975228906,-0.492926181294024]
// Bug (fixed in e67dd3d): transformer bug, inlined local functions, suspected in 3-lower's inlining together with
//   5-differentiate: a local function is inlined at each call with its parameter bound to the
//   same variable `u0`; the first call binds it to an active value (`let u0 = v0`), later calls
//   assign a constant (`u0 = 1`). That constant assignment gets no adjoint block (it should reset
//   du0 = 0), so the adjoint of the last call's `return u0` flows on into the first call's binding
//   and on to `a`: grad(main) = [1, 0] although main does not depend on a (forward mode and finite
//   differences: [0, 0]). Same with optimize: false. Seen in 5 of 1000 programs of seed 101.
// test/fuzz/fuzz.test.ts checks `main` here against forward mode and finite differences (fuzz/check.ts).

export function main(a: number, b: number): number {
  let v0 = a;
  function f0(u0: number): number {
    return u0;
  }
  b = f0(v0);
  let v3 = f0(1);
  return f0(1);
}
