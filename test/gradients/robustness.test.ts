// Bad input and faults: IEEE arithmetic, exceptions in the middle of a forward sweep, re-entrant use.
import { describe, expect, it } from "vitest";
import { grad, valueAndGrad, withGradient } from "backprop-ts";
import { expectGradMatchesFD } from "../support/check.js";

function sumSq(xs: number[], limit: number): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) {
    if (s > limit) throw new Error("too big");
    s = s + xs[i] * xs[i];
  }
  return s;
}

// a rule whose pullback itself calls a generated gradient
const inner = (v: number) => Math.sin(v) * v;
const wrapped = withGradient((v: number) => [inner(v), (dy: number) => [dy * grad(inner)(v)]]);
function outer(x: number): number {
  let t = 0;
  for (let i = 0; i < 3; i++) t += wrapped(x * i);
  return t;
}

// stores past the end grow the array, and its gradient with it (filling by index, appending
// through a literal index, a parameter grown and a withGradient rule's gradient for the longer array)
function fillByIndex(xs: number[], x: number): number {
  const out: number[] = [];
  for (let i = 0; i < xs.length; i++) out[i] = xs[i] * x;
  let s = 0;
  for (let i = 0; i < out.length; i++) s += out[i] * out[i];
  return s;
}
const sumSqrt = withGradient((ws: number[], k: number) => {
  let s = 0;
  for (const w of ws) s += Math.sqrt(1 + w * w);
  return [s * k, (dy: number) => [ws.map((w) => (dy * k * w) / Math.sqrt(1 + w * w)), dy * s]];
});
function appendPastEnd(xs: number[], x: number): number {
  const t = xs.map((v) => v * x);
  t[xs.length + 1] = x * x;
  t[xs.length] = 1;
  t[0] += x;
  return sumSqrt(t, 2) + t[t.length - 1] * x;
}
function growParam(xs: number[], x: number): number {
  xs[2] = x * x;
  return xs[2] * x + xs[0];
}

// records and class instances whose numbers are undefined reads (`{ s: ws[0] }` with ws = [])
class Cell {
  constructor(public u: number) {}
  m(): number { return Math.sqrt(1 + this.u * this.u); }
}
function wrap(ws: number[]): { s: number } {
  return { s: ws[1 - 1] };
}
function recordOfRead(ws: number[], x: number): number {
  const r = wrap(ws);
  const a = r.s;
  r.s = x * 2;
  return r.s * x + (ws.length > 0 ? a * x : 0);
}
function instanceOfRead(ws: number[], x: number): number {
  const c = new Cell(ws[0]);
  const a = c.m();
  c.u = x;
  return c.m() * x + (ws.length > 0 ? a : 0);
}

describe("bad input and faults", () => {
  it("NaN and Infinity propagate as IEEE arithmetic says; empty arrays work", () => {
    const g = grad(sumSq, 0);
    expect(g([NaN, 1], Infinity)).toEqual([NaN, 2]);
    expect(g([Infinity], Infinity)).toEqual([Infinity]);
    expect(g([], Infinity)).toEqual([]);
  });
  it("reading xs[0] or the last element of an empty array leaves the gradient empty", () => {
    const ends = (xs: number[], k: number) => (xs[0] + xs[xs.length - 1]) * k + k;
    const g = grad(ends);
    expect(g([], 2)).toEqual([[], NaN]);
    expect(g([3], 2)).toEqual([[4], 7]);
    expect(g([3, 5], 2)).toEqual([[2, 2], 9]);
  });
  it("a store past the end grows the gradient with the array, and leaves a parameter's its own length", () => {
    const points = [[[0.5, -1.5, 2], 0.75], [[0.3], -1.2]];
    expectGradMatchesFD(fillByIndex, grad(fillByIndex), points);
    expectGradMatchesFD(appendPastEnd, grad(appendPastEnd), points);
    expectGradMatchesFD(growParam, grad(growParam), points);
    expect(grad(fillByIndex)([], 2)).toEqual([[], 0]);
    expectGradMatchesFD(appendPastEnd, grad(appendPastEnd), [[[], 2]]);
    expect((grad(appendPastEnd)([], 2) as number[][])[0]).toEqual([]);
    expect(grad(growParam)([], 3)).toEqual([[], 27]);
    expect(grad(growParam)([5], 3)).toEqual([[1], 27]);
  });
  it("a record or class instance built from reads past the end has a zero gradient for them", () => {
    const points = [[[0.5, -1.5], 0.75], [[-0.3], 1.2]];
    expectGradMatchesFD(recordOfRead, grad(recordOfRead), points);
    expectGradMatchesFD(instanceOfRead, grad(instanceOfRead), points);
    expect(valueAndGrad(recordOfRead)([], 3)).toEqual({ value: 18, grad: [[], 12] });
    const { value, grad: g } = valueAndGrad(instanceOfRead)([], 3);
    expect(value).toBeCloseTo(3 * Math.sqrt(10), 12);
    expect(g[0]).toEqual([]);
    expect(g[1]).toBeCloseTo(Math.sqrt(10) + 9 / Math.sqrt(10), 12);
  });
  it("an exception in the forward sweep reaches the caller and the next call is right", () => {
    const g = grad(sumSq, 0);
    expect(() => g([10, 10, 10], 50)).toThrow("too big");
    expect(g([1, 2, 3], 1e9)).toEqual([2, 4, 6]);
    expect(valueAndGrad(sumSq, 0)([1, 2], 1e9)).toEqual({ value: 5, grad: [2, 4] });
  });
  it("re-entrant: a gradient called inside a withGradient pullback", () => {
    const h = 1e-6;
    const fd = (outer(0.7 + h) - outer(0.7 - h)) / (2 * h);
    expect(grad(outer)(0.7)).toBeCloseTo(fd, 6);
  });
  it("two calls with the same input give the same gradient", () => {
    const g = grad(sumSq, 0);
    const xs = [0.1, -0.2, 0.3];
    expect(g(xs, 1e9)).toEqual(g(xs, 1e9));
    expect(xs).toEqual([0.1, -0.2, 0.3]);
  });
});
