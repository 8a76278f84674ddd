import { describe, expect, it } from "vitest";
import { grad, valueAndGrad, vjp, withGradient, stopGradient } from "backprop-ts";
import { expectGradMatchesFD } from "../support/check.js";
import { numericGradient } from "../support/fd.js";

interface Layer { w: number[][]; b: number[] }
interface Params { l1: Layer; l2: Layer }

function dense(layer: Layer, x: number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < layer.w.length; i++) {
    let s = layer.b[i];
    const row = layer.w[i];
    for (let j = 0; j < x.length; j++) s += row[j] * x[j];
    out.push(s);
  }
  return out;
}

function loss(p: Params, batch: { x: number[]; y: number }[]): number {
  let total = 0;
  for (const { x, y } of batch) {
    const h = dense(p.l1, x).map(Math.tanh);
    const [o] = dense(p.l2, h);
    total += (o - y) ** 2;
  }
  return total / batch.length;
}

function typed(w: Float64Array, x: number[]): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += Math.sin(w[i] * x[i % x.length]);
  return s;
}

function mutateLocal(xs: number[], k: number): number {
  const acc = { s: 0, n: 0 };
  const buf = new Array<number>(xs.length).fill(0);
  for (let i = 0; i < xs.length; i++) {
    buf[i] = xs[i] * k;
    buf[i] = buf[i] * buf[i];
    acc.s += buf[i];
    acc.n++;
  }
  return acc.s / acc.n;
}

function arrayOps(xs: number[], y: number): number {
  const pos = xs.filter((v) => v > 0);
  const both = pos.concat([y, y * 2]);
  const tail = both.slice(1);
  const sq = Array.from(tail, (v) => v * v);
  let sum = 0;
  sq.forEach((v, i) => { sum += v * (i + 1); });
  return sum + Math.max(...xs) + [...xs, y].reduce((a, b) => a * 0.5 + b);
}

function destructure({ a, b }: { a: number; b: number[] }, [p, ...rest]: number[]): number {
  const [first, second = 2] = b;
  const { x, ...others } = { x: a * p, y: first, z: second };
  return x * others.y + others.z * rest.length + rest.reduce((s, v) => s + v * v, 0);
}

function closure(xs: number[], x: number): number {
  const k = 2 * x;
  const scale = (v: number) => v * k;
  function twice(v: number) { return scale(scale(v)); }
  return xs.map((v) => twice(v)).reduce((a, b) => a + b, 0);
}

const softplus = withGradient((x: number) => {
  const e = Math.exp(x);
  return [Math.log1p(e), (dy: number) => [(dy * e) / (1 + e)]];
});
const dot = withGradient((a: number[], b: number[]) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return [s, (dy: number) => [b.map((v) => v * dy), a.map((v) => v * dy)]];
});
function useRules(xs: number[], ys: number[]): number {
  let s = 0;
  for (const v of xs) s += softplus(v);
  return s * dot(xs, ys);
}

const square = (v: number) => v * v;
function namedCallback(xs: number[]): number {
  return xs.map(square).reduce((a, b) => a + b, 0);
}

function stop(x: number, y: number): number {
  return x * stopGradient(x * y) + y;
}

function tuple(t: [number, number[]], s: string): number {
  return t[0] * t[1][0] + t[1].length + s.length;
}

function swapAndTwice(v: number[]): number[] {
  const out = v.slice();
  [out[0], out[1]] = [out[1], out[0]];
  return out.map((e) => e * 2);
}

// an optional field accumulated in a loop: absent from the argument, it stays absent from the
// gradient (a gradient field kept in a local for the loop must not be stored back as undefined)
interface MaybeScaled { a?: number; b: number }
function optionalInLoop(m: MaybeScaled, xs: number[]): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (m.a ?? 1) * xs[i] + m.b * xs[i] * xs[i];
  return s;
}

describe("heterogeneous values", () => {
  it("the seed's second example, exactly", () => {
    const g = grad((x: number, xs: number[]) => xs.map((v) => v ** 2).reduce((a, b) => a + b, 0) / x)(9, [1, 6, 2]);
    expect(g).toEqual([-0.5061728395061729, [0.2222222222222222, 1.3333333333333333, 0.4444444444444444]]);
  });

  const params: Params = {
    l1: { w: [[0.1, -0.2], [0.4, 0.3], [-0.5, 0.2]], b: [0.01, -0.02, 0.03] },
    l2: { w: [[0.3, -0.1, 0.2]], b: [0.05] },
  };
  const batch = [{ x: [1, 2], y: 0.5 }, { x: [-1, 0.5], y: -0.2 }];

  it("a two-layer network over a nested record", () => {
    const g = grad(loss, 0)(params, batch);
    const fd = numericGradient((p: Params) => loss(p, batch), [params])[0];
    expect(g.l1.w[2][1]).toBeCloseTo(fd.l1.w[2][1], 6);
    expectGradMatchesFD((p: Params) => loss(p, batch), (p: Params) => grad(loss, 0)(p, batch), [[params]]);
  });
  it("Float64Array weights", () => {
    const g = grad(typed);
    const w = new Float64Array([0.1, 0.2, -0.3]);
    const [gw] = g(w, [1, 2]);
    expect(gw).toBeInstanceOf(Float64Array);
    expectGradMatchesFD(typed, g, [[w, [1, 2]]]);
  });
  it("element and field assignment in loops", () => expectGradMatchesFD(mutateLocal, grad(mutateLocal), [[[1, -2, 3], 0.5]]));
  it("map, filter, reduce, forEach, Array.from, slice, concat, spread, Math.max(...xs)", () =>
    expectGradMatchesFD(arrayOps, grad(arrayOps), [[[0.5, -1.5, 2.5, 1.2], 0.7]]));
  it("destructuring (parameters, arrays, objects, rest, defaults)", () =>
    expectGradMatchesFD(destructure, grad(destructure), [[{ a: 1.5, b: [0.3] }, [2, 3, 4]], [{ a: -1, b: [0.3, 0.9] }, [0.5]]]));
  it("closures capturing input-dependent values, local functions", () =>
    expectGradMatchesFD(closure, grad(closure), [[[1, 2, 3], 0.7]]));
  it("withGradient rules, scalar and array", () => expectGradMatchesFD(useRules, grad(useRules), [[[0.2, -0.4], [1.5, 0.5]]]));
  it("named functions as callbacks", () => expectGradMatchesFD(namedCallback, grad(namedCallback), [[[1, -2, 0.5]]]));
  it("stopGradient", () => {
    const [dx, dy] = grad(stop)(2, 3);
    expect(dx).toBe(6);
    expect(dy).toBe(1);
  });
  it("tuples and strings keep their slots", () => {
    const [dt, ds] = grad(tuple)([2, [3, 4]], "ab");
    expect(dt).toEqual([3, [2, 0]]);
    expect(ds).toBeUndefined();
  });
  it("vjp with an array output", () => {
    const { value, pullback } = vjp(swapAndTwice)([1, 2, 3]);
    expect(value).toEqual([4, 2, 6]);
    expect(pullback([1, 10, 100])).toEqual([20, 2, 200]);
    expect(() => pullback([1, 2] as never)).toThrow(/pullback/);
  });
  it("an optional field absent from the argument is absent from the gradient", () => {
    const g = grad(optionalInLoop, 0);
    expect(Object.keys(g({ b: 0.5 }, [1, -2, 0.4])).sort()).toEqual(["b"]);
    expect(Object.keys(g({ b: 0.5 }, [])).sort()).toEqual(["b"]);
    expect(Object.keys(g({ a: 2, b: 0.5 }, [1, -2, 0.4])).sort()).toEqual(["a", "b"]);
    expectGradMatchesFD(optionalInLoop, grad(optionalInLoop), [[{ b: 0.5 }, [1, -2, 0.4]], [{ a: 2, b: 0.5 }, [1, -2, 0.4]]]);
  });
  it("valueAndGrad on a record model", () => {
    const r = valueAndGrad(loss, 0)(params, batch);
    expect(r.value).toBe(loss(params, batch));
    expect(r.grad.l2.b[0]).toBeCloseTo(numericGradient((p: Params) => loss(p, batch), [params])[0].l2.b[0], 6);
  });
});
