// A small seeded generator so that training runs (initial weights, shuffles, minibatches, noise)
// are reproducible: the same seed gives the same numbers on every machine and every run.

/**
 * mulberry32: a 32-bit generator by Tommy Ettinger; fast, passes PractRand to 2^32 outputs, plenty
 * for initialising weights and shuffling data (not for cryptography). Returns a function giving
 * numbers uniform in [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Seeded random numbers for training code: uniform, normal, integers, shuffles. */
export class Random {
  private readonly next01: () => number;
  private spare: number | undefined;

  constructor(readonly seed: number) {
    this.next01 = mulberry32(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.next01();
  }

  /** Uniform in [lo, hi). */
  uniform(lo = 0, hi = 1): number {
    return lo + (hi - lo) * this.next01();
  }

  /** Normal with the given mean and standard deviation (Box–Muller; the second value is kept for the next call). */
  normal(mean = 0, std = 1): number {
    let z: number;
    if (this.spare !== undefined) {
      z = this.spare;
      this.spare = undefined;
    } else {
      let u = 0;
      while (u === 0) u = this.next01(); // log(0) is -Infinity
      const v = this.next01();
      const r = Math.sqrt(-2 * Math.log(u));
      z = r * Math.cos(2 * Math.PI * v);
      this.spare = r * Math.sin(2 * Math.PI * v);
    }
    return mean + std * z;
  }

  /** An integer uniform in [0, n). */
  int(n: number): number {
    return Math.floor(this.next01() * n);
  }

  /** Shuffles `xs` in place (Fisher–Yates) and returns it. */
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = xs[i]!;
      xs[i] = xs[j]!;
      xs[j] = t;
    }
    return xs;
  }

  /** 0, 1, …, n-1 in random order. */
  permutation(n: number): number[] {
    const xs: number[] = [];
    for (let i = 0; i < n; i++) xs.push(i);
    return this.shuffle(xs);
  }

  /** A new generator whose stream depends on this one's (for independent sub-streams). */
  fork(): Random {
    return new Random((this.next01() * 4294967296) >>> 0);
  }
}
