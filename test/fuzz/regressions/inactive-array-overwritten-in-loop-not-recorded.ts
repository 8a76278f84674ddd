// Fuzz reproducer: from program 401:641 (`npm run fuzz -- --seed 401 --start 641 --count 1 --without
// closureReuse,closureWrites,paramWrites,arrayRules,classNoInit`), shrunk from 53 lines and reduced by
// hand. There it showed as grad(main, [3, 0]) ≠ grad(main): with xs not differentiated, the array
// t0 that xs is added into is inactive; here t0 is inactive in grad(main) already.
// Fails (wrong-gradient): at [0.9485538136214018,-0.49406270310282707]: grad [2,0], forward mode [0,0],
//   finite differences [0,0]
// point: [0.9485538136214018,-0.49406270310282707]
// Bug (fixed in 9efb9e8): transformer bug, to-be-recorded analysis, suspected in 4-analyse: `b = t0[0] * a` needs
//   t0[0] in its adjoint (∂b/∂a = t0[0] = 0). t0 is inactive (it never depends on a or b), and the
//   loop's `t0[k0 % t0.length] += 2` overwrites t0[0] without recording it, so the adjoint sweep
//   reads the final t0[0] = 2: grad = [2, 0]. An inactive statement that overwrites a value an
//   adjoint reads must save it (or the adjoint must be placed before it). Also fails before 30a093d.
// test/fuzz/fuzz.test.ts checks `main` here against forward mode and finite differences (fuzz/check.ts).

export function main(a: number, b: number): number {
  const t0: number[] = new Array<number>(4).fill(0);
  b = t0[0] * a;
  for (let k0 = 0; k0 < 2; k0++) {
    t0[k0 % t0.length] += 2;
  }
  return b;
}
