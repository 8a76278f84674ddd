// Fuzz reproducer: program 6:382 of a draft of the stepping/fieldAccum generator (`--seed 6 --size 22 --max-len 6`),
// reduced by hand from 86 lines (the generator has changed since: the id no longer gives this program).
// Fails (timeout): no result after 15000 ms (an infinite loop in generated code?)
// Bug (fixed in 3ae05b8): `t0.reduce(…)` became a loop bounded by `t0.length` read on every pass, and the
//   callback pushes into t0 through the local function f0, so the gradient's forward sweep never ended
//   (JavaScript's reduce stops at the length it started with; test/fixtures/callback-grows-array).
// test/fuzz/fuzz.test.ts runs every file of test/fuzz/regressions through the transformer and checks
// grad/valueAndGrad/vjp of `main` against forward mode and finite differences (fuzz/check.ts).

export function main(xs: number[], c: number): number {
  const t0: number[] = [];
  t0.push(c);
  const f0 = (u: number): number => {
    t0.push(u);
    return u * u;
  };
  return t0.reduce((acc, e) => acc + f0(e), 0);
}
