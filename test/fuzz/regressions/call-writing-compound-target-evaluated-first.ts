// Fuzz reproducer: from program 201:1093 (`npm run fuzz -- --seed 201 --start 1093 --count 1`), shrunk from 39 lines.
// Fails (value): valueAndGrad(main)(…).value is main's value + 1 (e.g. 1.5475907633081079 where main
//   returns 0.5475907633081079).
// Bug (fixed by reading the target before the right side's hoisted statements, 3-lower): in
//   `t0[0] += f0(b)` JavaScript reads t0[0] first, then calls f0, which itself does `t0[0] += 1`,
//   then stores old + f0(b): f0's increment is lost. The forward sweep inlines f0's body (its
//   `t0[0] = t0[0] + 1`) before the assignment and then does `t0[0] = t0[0] + returned1`, reading
//   t0[0] after the increment, so it keeps the increment:
//   valueAndGrad(main).value is main's value + 1 (the same family as the fixed
//   regressions/inc-expression-order.ts, with a call's side effect instead of `++`). Shrunk from
//   program 201:1093 (where f0 writes into main's parameter) and reduced by hand to a local copy.
//   Check: `npm run fuzz -- --file test/fuzz/regressions/call-writing-compound-target-evaluated-first.ts`.

export function main(b: number, xs: number[]): number {
  const t0 = xs.slice();
  function f0(u0: number): number {
    t0[0] += 1;
    return u0;
  }
  t0[0] += f0(b);
  return t0[0];
}
