// Fuzz reproducer: from program 301:1180 (`npm run fuzz -- --seed 301 --start 1180 --count 1`), shrunk
// from 25 lines (there main wrote into its parameter xs) and reduced by hand to a local copy.
// Fails (wrong-gradient): e.g. at [[1.4013327043503523,-1.9223437514156103,1.617519848048687,-1.8380858153104782],-1.7259159246459603]:
//   grad [[-0.17341846135581454,0,0,0],0], forward mode and finite differences [[-0.50923410801926…,0,0,0],0]
// point: [[1.4013327043503523,-1.9223437514156103,1.617519848048687,-1.8380858153104782],-1.7259159246459603]
// Bug (fixed in 9efb9e8): transformer regression of 30a093d "Adjoint of t[i] += e adds e's adjoint only", suspected in
//   5-differentiate / 4-analyse's to-be-recorded analysis: `c = 1 / t0[0]` reads t0[0]; the loop
//   then does `t0[k0 % t0.length] += 1`. Since 30a093d the adjoint of that compound write no longer
//   restores the element, so the adjoint of `1 / t0[0]` uses t0[0] + 1: the gradient is
//   -1 / (x + 1)² instead of -1 / x². Clean at 30a093d~1; without the loop (`t0[0] += 1`) it is clean.
// test/fuzz/fuzz.test.ts checks `main` here against forward mode and finite differences (fuzz/check.ts).

export function main(xs: number[], c: number): number {
  const t0 = xs.slice();
  c = 1 / t0[0];
  for (let k0 = 0; k0 < 1; k0++) {
    t0[k0 % t0.length] += 1;
  }
  return c;
}
