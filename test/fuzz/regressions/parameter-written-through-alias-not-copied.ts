// Fuzz reproducer: `npm run fuzz -- --seed 901 --start 1111 --count 1` (program 901:1111), shrunk from 66 lines.
// Fails (mutation):
//   valueAndGrad(main) mutated its arguments
// point: [[1.381151265464723]]
// Bug (fixed in 3babd28): which parameters a function writes (4-analyse's aliasing):
//   main writes into its parameter through an alias (`const q0 = xs; q0[0] *= -1`). The generated
//   main$grad does not copy xs first (a write through `xs[0]` itself is seen and copied), so grad and
//   valueAndGrad mutate the caller's array, which README's guarantees rule out.
//   Check: `npm run fuzz -- --file test/fuzz/regressions/parameter-written-through-alias-not-copied.ts`.

export function main(xs: number[]): number {
  const q0 = xs;
  q0[0] *= -1;
  return 2.5;
}
