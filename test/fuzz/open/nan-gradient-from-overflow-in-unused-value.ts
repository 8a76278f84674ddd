// Fuzz reproducer: `npm run fuzz -- --seed 2025 --start 1598 --count 1` (program 2025:1598), shrunk from 26 lines.
// Fails (wrong-gradient):
//   at [-1.7542420476675034]: grad ["NaN"], forward mode [0], finite differences [0]
// point: [-1.7542420476675034]
// OPEN (bug or documented limit, your call): b ** 3 applied 8 times overflows to ±Infinity in a value
//   the result does not use (`true ? 1 : b`). The true derivative is 0 and forward mode gives 0, but
//   the adjoint sweep multiplies the zero adjoint by 3·b² = ∞ and returns NaN (0 · ∞, as JAX does).
//   The fuzzer skips points with non-finite intermediates unless --check-nonfinite, so campaigns do not
//   report this: `npm run fuzz -- --files test/fuzz/open --check-nonfinite` shows it (at the point above).

export function main(b: number): number {
  for (let k0 = 0; k0 < 2; k0++) {
    let k1 = 0;
    while (k1 < 4) {
      k1++;
      let v1 = b ** 3;
      b = v1;
    }
  }
  return true ? 1 : b;
}
