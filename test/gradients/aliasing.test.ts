// Writes through aliases, reassigned arrays and rows: the cases where saving too little would
// silently give a wrong gradient.
import { describe, expect, it } from "vitest";
import { grad, valueAndGrad, vjp } from "backprop-ts";
import { expectGradMatchesFD } from "../support/check.js";

function writeThroughAlias(m: number[][], x: number): number {
  const c = m.map((r) => r.slice());
  let s = 0;
  for (let i = 0; i < c.length; i++) {
    const row = c[i];
    for (let j = 0; j < row.length; j++) {
      row[j] = row[j] * x + Math.sin(row[j]);
      s += c[i][j] * row[j];
    }
  }
  return s + c[0][0];
}

function rnnLike(xs: number[], w: number): number {
  let cur = xs;
  for (let t = 0; t < 3; t++) {
    const next: number[] = [];
    for (let k = 0; k < cur.length; k++) next.push(Math.tanh(cur[k] * w + (k > 0 ? cur[k - 1] : 0)));
    cur = next;
  }
  return cur.reduce((a, b) => a + b * b, 0);
}

function overwriteSlot(x: number): number {
  const a = [x, 2 * x];
  a[0] = a[0] * a[1];
  const y = a[0] * a[0];
  a[0] = y;
  a[1] = a[0] + a[1];
  return a[0] * x + a[1];
}

function typedLocal(w: Float64Array, x: number[]): number {
  const h = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) h[i] = Math.tanh(w[i] * x[i]);
  for (let i = 1; i < h.length; i++) h[i] += h[i - 1] * w[0];
  let s = 0;
  for (const v of h) s += v;
  return s;
}

function recordAccumulator(xs: number[]): number {
  const st = { sum: 0, sq: 0, n: 0 };
  for (const v of xs) { st.sum += v; st.sq += v * v; st.n++; }
  const mean = st.sum / st.n;
  return st.sq / st.n - mean * mean;
}

function pushRowsThenMutate(xs: number[]): number {
  const rows: number[][] = [];
  for (let i = 0; i < 3; i++) {
    const r = [xs[i], xs[i] * xs[i]];
    rows.push(r);
    r[1] = r[1] + 1;
  }
  let s = 0;
  for (const r of rows) s += r[0] * r[1];
  return s;
}

function swapLoop(xs: number[]): number {
  const a = xs.slice();
  for (let i = 0; i + 1 < a.length; i += 2) {
    const t = a[i];
    a[i] = a[i + 1] * 2;
    a[i + 1] = t * a[i];
  }
  return a.reduce((p, q) => p * 0.9 + q, 0);
}

function earlyExitWithArrays(xs: number[], limit: number): number {
  const acc: number[] = [];
  for (const v of xs) {
    if (acc.length >= limit) break;
    if (v < 0) continue;
    acc.push(v * v);
  }
  return acc.length === 0 ? 0 : Math.max(...acc) + acc[0];
}

function normalize(v: number[]): number[] {
  const n = Math.sqrt(v.reduce((a, b) => a + b * b, 0));
  return v.map((e) => e / n);
}

describe("aliasing and overwriting", () => {
  it("writes through a row alias", () => expectGradMatchesFD(writeThroughAlias, grad(writeThroughAlias), [[[[0.5, -1], [2, 0.3]], 0.7]]));
  it("an array variable reassigned each step", () => expectGradMatchesFD(rnnLike, grad(rnnLike), [[[0.3, -0.2, 0.5], 0.8]]));
  it("overwriting the same slot", () => expectGradMatchesFD(overwriteSlot, grad(overwriteSlot), [[0.7], [-1.3]]));
  it("a local Float64Array", () => expectGradMatchesFD(typedLocal, grad(typedLocal), [[new Float64Array([0.2, -0.5, 0.9]), [1, 2, 3]]]));
  it("a record accumulator", () => expectGradMatchesFD(recordAccumulator, grad(recordAccumulator), [[[1, 2, 4, -1]]]));
  it("rows pushed and then changed", () => expectGradMatchesFD(pushRowsThenMutate, grad(pushRowsThenMutate), [[[0.5, 1.5, -2]]]));
  it("swaps in a loop", () => expectGradMatchesFD(swapLoop, grad(swapLoop), [[[1, 2, 3, 4, 5]]]));
  it("break/continue with a growing array", () => {
    const g = grad(earlyExitWithArrays, 0);
    expectGradMatchesFD((xs: number[]) => earlyExitWithArrays(xs, 2), (xs: number[]) => g(xs, 2), [[[1.5, -1, 2.5, 3]], [[-1, -2]]]);
  });
  it("t[0] += f(x) reads t[0] before f runs, even when f writes t[0]", () => {
    const compound = (xs: number[], x: number): number => {
      const t = xs.slice();
      function f(u: number): number {
        t[0] += u * u;
        return u * t[1];
      }
      t[0] += f(x);
      return t[0] * x;
    };
    expect(valueAndGrad(compound)([0.5, -1.5], 0.7).value).toBe(compound([0.5, -1.5], 0.7));
    expectGradMatchesFD(compound, grad(compound), [[[0.5, -1.5], 0.7]]);
  });
  it("a parameter written through another name is copied first (the input stays as it was)", () => {
    const negateFirst = (xs: number[], k: number): number => {
      const q = xs;
      q[0] *= -k;
      return xs[0] * xs[1] + k;
    };
    expectGradMatchesFD(negateFirst, grad(negateFirst), [[[0.5, -1.5], 0.7]]);
  });
  it("vjp of a function that writes into its parameter leaves the input alone", () => {
    const bump = (xs: number[], k: number): number => {
      const first = xs[0];
      xs[0] += 1;
      return xs[0] * k + first * first;
    };
    const xs = [0.3, -1.2];
    const { value, pullback } = vjp(bump)(xs, 0.7);
    expect(xs).toEqual([0.3, -1.2]);
    expect(value).toBeCloseTo(1.3 * 0.7 + 0.09, 12);
    const [dxs, dk] = pullback(2) as [number[], number];
    const [gxs, gk] = grad(bump)([0.3, -1.2], 0.7) as [number[], number];
    expect(dxs).toEqual(gxs.map((g) => 2 * g));
    expect(dk).toBeCloseTo(2 * gk, 12);
    expect(xs).toEqual([0.3, -1.2]);
  });
  it("vjp of an array-valued function", () => {
    const xs = [3, 4];
    const { value, pullback } = vjp(normalize)(xs);
    const fd = (k: number) => expectGradMatchesFD((v: number[]) => normalize(v)[k], (v: number[]) => vjp(normalize)(v).pullback(k === 0 ? [1, 0] : [0, 1]), [[xs]]);
    fd(0); fd(1);
    void value; void pullback;
  });
});
