// Fuzz reproducer: `npm run fuzz -- --seed 201 --start 872 --count 1` (program 201:872), shrunk from 45 lines.
// Fails (grad-throws):
//   valueAndGrad(main) threw: ReferenceError: Cannot access 'u0' before initialization
// point: [-0.5481051411479712]
// Bug (fixed in e67dd3d): transformer bug, declaration placement of inlined calls, suspected in 3-lower's inlining
//   or 6-emit's placement of declarations: f0 is inlined at three call sites; the sites in the loop
//   test and the loop body assign its parameters `u0 = 1; u1 = 1;` inside the loop, but `let u0`,
//   `let u1` are emitted only after the loop, at the third site (`return f0(1, 1)`), so the forward
//   sweep throws `ReferenceError: Cannot access 'u0' before initialization` (valueAndGrad and grad
//   throw where main returns 1). A single call site in the loop test is fine.
// test/fuzz/fuzz.test.ts checks `main` here against forward mode and finite differences (fuzz/check.ts).

export function main(d: number): number {
  function f0(u0: number, u1: number): number {
    return 1;
  }
  for (let k0 = 0; k0 < Math.min(1, Math.floor(Math.abs(f0(1, 1)))); k0++) {
    d = f0(1, 1);
  }
  return f0(1, 1);
}
