// Fuzz reproducer: `npm run fuzz -- --seed 2 --start 196 --count 1` (program 2:196), shrunk from 70 lines.
// Fails (value):
//   valueAndGrad(main)([-1.8120940439403057]).value is 1, main returns -1.8120940439403057
// point: [-1.8120940439403057]
// Bug (fixed in fbea67b): a local function's arguments were not lowered left to right:
//   the inner call's inlined body (`a = 1`) was hoisted before the outer call read its first argument a
//   (test/fixtures/evaluation-order, localFunctionArguments).
// test/fuzz/fuzz.test.ts runs every file of test/fuzz/regressions through the transformer and checks
// grad/valueAndGrad/vjp of `main` against forward mode and finite differences (fuzz/check.ts).

export function main(a: number): number {
  function f0(u0: number, u1: number): number {
    a = 1;
    return u0;
  }
  return f0(a, f0(1, 1));
}
