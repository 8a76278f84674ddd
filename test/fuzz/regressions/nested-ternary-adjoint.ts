// Fuzz reproducer: `npm run fuzz -- --seed 100 --start 2948 --count 1` (program 100:2948), shrunk from 27 lines.
// Fails (wrong-gradient):
//   at [-0.5306653724983335,[0.4143945137038827,-1.5307362712919712],-0.02729398850351572]: grad
//   [1,[-1,0],0], forward mode [1,[0,0],0], finite differences [1.0000000000065512,[0,0],0]
// Bug (fixed in 220d1a4): the adjoint of `c1 ? a : (c2 ? b : x)` tests only the inner condition: `if (!false) dxs[0] += 
//   db` runs although c1 chose `a`.
// test/fuzz/fuzz.test.ts checks `main` here against forward mode and finite differences (fuzz/check.ts).

export function main(a: number, xs: number[], b: number): number {
  b = true ? 1 : (false ? 1 : xs[0]);
  return a - b;
}
