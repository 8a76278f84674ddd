// Deterministic inputs for the benchmark problems: every run and every implementation sees the
// same numbers (mulberry32, seeded per problem).

export type Rng = () => number;

/** Uniform in [0, 1). */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n numbers uniform in [-scale, scale). */
export function vector(r: Rng, n: number, scale = 1): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = (2 * r() - 1) * scale;
  return out;
}

/** rows × cols numbers uniform in [-scale, scale), as nested arrays. */
export function matrix(r: Rng, rows: number, cols: number, scale = 1): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < rows; i++) out.push(vector(r, cols, scale));
  return out;
}

/** Row-major copy of a nested matrix (for the tensor libraries). */
export function flatRows(m: number[][]): Float64Array {
  const cols = m.length ? m[0]!.length : 0;
  const out = new Float64Array(m.length * cols);
  m.forEach((row, i) => out.set(row, i * cols));
  return out;
}

/** An all-zero matrix shaped like `m`. */
export function zerosLike2(m: number[][]): number[][] {
  return m.map((row) => new Array<number>(row.length).fill(0));
}
