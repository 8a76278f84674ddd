// Unit tests of the training helpers (src/runtime/train): seeded random numbers, initialisers,
// tree functions and optimizers on every kind of value a parameter tree may hold.
import { describe, expect, it } from "vitest";
import {
  Random, mulberry32, tensor, zeros, uniform, normal, fans, glorotUniform, heUniform, glorotNormal, heNormal,
  mapTree, zipTree, addTree, subTree, scaleTree, zerosLike, cloneTree, countNumbers, dotTree, normTree,
  clipByNorm, maxAbsTree, sgd, momentum, adam, grad, type Grad,
} from "backprop-ts";

class Affine {
  constructor(public scale: number, public shift: Float64Array, public label = "affine") {}
  apply(x: number): number {
    return this.scale * x + this.shift[0]!;
  }
}

/** A tree with every value kind: number, number[], number[][], typed arrays, tuple, record, class instance, inert fields. */
function zoo() {
  return {
    a: 1.5,
    v: [1, 2, 3],
    m: [[1, 2], [3, 4]],
    f64: new Float64Array([1, -1]),
    f32: new Float32Array([0.5, 0.25]),
    pair: [2, [3, 4]] as [number, number[]],
    rec: { w: 2, name: "inner" },
    cls: new Affine(3, new Float64Array([1])),
    flag: true,
    ids: new Int32Array([7, 8]),
  };
}

describe("Random / mulberry32", () => {
  it("is the reference mulberry32 and reproducible", () => {
    const r = mulberry32(42);
    expect([r(), r(), r()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
    const a = new Random(7), b = new Random(7);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(new Random(8).next()).not.toBe(xs[0]);
  });

  it("uniform, int, normal have the right ranges and moments", () => {
    const r = new Random(1);
    const n = 20000;
    let sum = 0, sq = 0, lo = Infinity, hi = -Infinity;
    const ints = new Set<number>();
    for (let i = 0; i < n; i++) {
      const u = r.uniform(-2, 3);
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
      ints.add(r.int(5));
      const z = r.normal(1, 2);
      sum += z;
      sq += (z - 1) ** 2;
    }
    expect(lo).toBeGreaterThanOrEqual(-2);
    expect(hi).toBeLessThan(3);
    expect([...ints].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(Math.abs(sum / n - 1)).toBeLessThan(0.05);
    expect(Math.abs(Math.sqrt(sq / n) - 2)).toBeLessThan(0.05);
  });

  it("shuffle and permutation are permutations", () => {
    const r = new Random(3);
    const p = r.permutation(50);
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(p).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    const xs = ["a", "b", "c", "d"];
    expect(r.shuffle(xs)).toBe(xs);
    expect([...xs].sort()).toEqual(["a", "b", "c", "d"]);
    expect(r.fork().next()).not.toBe(r.next());
  });
});

describe("initialisers", () => {
  it("shapes and storage", () => {
    const m = zeros([2, 3]);
    expect(m).toEqual([[0, 0, 0], [0, 0, 0]]);
    const t64 = zeros([2, 3], "float64");
    expect(t64).toHaveLength(2);
    expect(t64[1]).toBeInstanceOf(Float64Array);
    expect(t64[1]!.length).toBe(3);
    expect(zeros([4], "float32")).toBeInstanceOf(Float32Array);
    const c = tensor([2, 2, 2], () => 1);
    expect(c).toEqual([[[1, 1], [1, 1]], [[1, 1], [1, 1]]]);
    expect(() => zeros([] as number[])).toThrow(/at least one dimension/);
    expect(() => zeros([2.5])).toThrow(/bad dimension/);
  });

  it("fans follow the [out, in] convention", () => {
    expect(fans([10, 784])).toEqual({ fanIn: 784, fanOut: 10 });
    expect(fans([5])).toEqual({ fanIn: 5, fanOut: 5 });
    expect(fans([8, 3, 3])).toEqual({ fanIn: 9, fanOut: 8 });
    expect(fans([100], { fanIn: 10, fanOut: 10 })).toEqual({ fanIn: 10, fanOut: 10 });
  });

  it("glorot and he respect their limits and are seeded", () => {
    const w = glorotUniform(new Random(1), [30, 70]);
    const limit = Math.sqrt(6 / 100);
    const flat = w.flat();
    expect(Math.max(...flat.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...flat.map(Math.abs))).toBeGreaterThan(0.9 * limit);
    expect(glorotUniform(new Random(1), [30, 70])).toEqual(w);
    const h = heUniform(mulberry32(2), [20, 50], "float64");
    expect(h[0]).toBeInstanceOf(Float64Array);
    for (const row of h) for (const v of row) expect(Math.abs(v)).toBeLessThanOrEqual(Math.sqrt(6 / 50));
    const g = glorotNormal(new Random(3), [200, 300]).flat();
    const std = Math.sqrt(g.reduce((s, v) => s + v * v, 0) / g.length);
    expect(std).toBeCloseTo(Math.sqrt(2 / 500), 2);
    const he = heNormal(new Random(3), [100, 400], "float32");
    let s2 = 0;
    for (const row of he) for (const v of row) s2 += v * v;
    expect(Math.sqrt(s2 / 40000)).toBeCloseTo(Math.sqrt(2 / 400), 2);
    const u = uniform(new Random(4), [1000], 2, 3);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...u)).toBeLessThan(3);
    const n = normal(new Random(5), [4000], 10, 0.5);
    expect(n.reduce((a, b) => a + b, 0) / n.length).toBeCloseTo(10, 1);
  });
});

describe("tree functions", () => {
  it("mapTree keeps the shape, kinds, prototypes and values without numbers", () => {
    const z = zoo();
    const d = mapTree(z, (v) => v * 2);
    expect(d.a).toBe(3);
    expect(d.v).toEqual([2, 4, 6]);
    expect(d.m).toEqual([[2, 4], [6, 8]]);
    expect(d.f64).toBeInstanceOf(Float64Array);
    expect(Array.from(d.f64)).toEqual([2, -2]);
    expect(d.f32).toBeInstanceOf(Float32Array);
    expect(Array.from(d.f32)).toEqual([1, 0.5]);
    expect(d.pair).toEqual([4, [6, 8]]);
    expect(d.rec).toEqual({ w: 4, name: "inner" });
    expect(d.cls).toBeInstanceOf(Affine);
    expect(d.cls.apply(1)).toBe(6 + 2);
    expect(d.cls.label).toBe("affine");
    expect(d.flag).toBe(true);
    expect(d.ids).toBe(z.ids);
    // inputs untouched
    expect(z.v).toEqual([1, 2, 3]);
    expect(Array.from(z.f64)).toEqual([1, -1]);
  });

  it("zerosLike, cloneTree, countNumbers", () => {
    const z = zoo();
    const zero = zerosLike(z);
    expect(zero.m).toEqual([[0, 0], [0, 0]]);
    expect(zero.f32).toBeInstanceOf(Float32Array);
    expect(zero.cls).toBeInstanceOf(Affine);
    expect(maxAbsTree(zero)).toBe(0);
    const c = cloneTree(z);
    expect(c).toEqual(z);
    expect(c.m[0]).not.toBe(z.m[0]);
    expect(c.f64).not.toBe(z.f64);
    // 1 + 3 + 4 + 2 + 2 + 3 + 1 + 2 (cls: scale + shift)
    expect(countNumbers(z)).toBe(18);
    expect(countNumbers(5)).toBe(1);
    expect(countNumbers("x")).toBe(0);
  });

  it("add, sub, scale, dot, norm; undefined is the free zero", () => {
    const a = { w: [1, 2], b: 3, t: new Float64Array([1, 1]) };
    const b = { w: [10, 20], b: 30, t: new Float64Array([2, 3]) };
    expect(addTree(a, b)).toEqual({ w: [11, 22], b: 33, t: new Float64Array([3, 4]) });
    expect(subTree(b, a)).toEqual({ w: [9, 18], b: 27, t: new Float64Array([1, 2]) });
    expect(scaleTree(a, -1)).toEqual({ w: [-1, -2], b: -3, t: new Float64Array([-1, -1]) });
    expect(addTree(a, undefined)).toEqual(a);
    expect(addTree(undefined as unknown as typeof a, b)).toEqual(b);
    expect(addTree({ w: [1, 2], b: 3 }, { w: undefined, b: 1 } as never)).toEqual({ w: [1, 2], b: 4 });
    expect(dotTree(a, b)).toBe(10 + 40 + 90 + 2 + 3);
    expect(dotTree(a, undefined)).toBe(0);
    expect(normTree({ x: [3], y: new Float32Array([4]) })).toBe(5);
    expect(zipTree([1, 2], [3, 4], Math.max)).toEqual([3, 4]);
  });

  it("clipByNorm scales down only when the norm is too large", () => {
    const g = { x: [3, 4] };
    expect(clipByNorm(g, 10)).toBe(g);
    const c = clipByNorm(g, 1);
    expect(c.x[0]).toBeCloseTo(0.6);
    expect(c.x[1]).toBeCloseTo(0.8);
  });

  it("shape mismatches name the path", () => {
    expect(() => addTree({ layers: [{ w: [1, 2] }] }, { layers: [{ w: [1, 2, 3] }] })).toThrow(/\.layers\[0\]\.w: array\(2\) and array\(3\)/);
    expect(() => addTree({ a: 1 }, { a: [1] } as never)).toThrow(/at \.a: number and array\(1\)/);
  });
});

describe("optimizers", () => {
  it("sgd updates every kind of value in place and returns the same tree", () => {
    const p = zoo();
    const g = mapTree(p, () => 1) as unknown as Grad<typeof p>;
    const before = { v: p.v, m0: p.m[0], f64: p.f64, cls: p.cls };
    const out = sgd({ lr: 0.5 }).step(p, g);
    expect(out).toBe(p);
    expect(p.v).toBe(before.v);
    expect(p.m[0]).toBe(before.m0);
    expect(p.f64).toBe(before.f64);
    expect(p.cls).toBe(before.cls);
    expect(p.a).toBe(1);
    expect(p.v).toEqual([0.5, 1.5, 2.5]);
    expect(p.m).toEqual([[0.5, 1.5], [2.5, 3.5]]);
    expect(Array.from(p.f64)).toEqual([0.5, -1.5]);
    expect(Array.from(p.f32)).toEqual([0, -0.25]);
    expect(p.pair).toEqual([1.5, [2.5, 3.5]]);
    expect(p.rec).toEqual({ w: 1.5, name: "inner" });
    expect(p.cls.scale).toBe(2.5);
    expect(Array.from(p.cls.shift)).toEqual([0.5]);
    expect(p.flag).toBe(true);
    expect(Array.from(p.ids)).toEqual([7, 8]);
  });

  it("a bare number parameter: step returns the new value", () => {
    const opt = sgd({ lr: 0.1 });
    let x = 1;
    x = opt.step(x, 2);
    expect(x).toBeCloseTo(0.8);
  });

  it("undefined gradients count as zero; weight decay", () => {
    const p = { w: [1, 2], b: 3 };
    sgd({ lr: 1 }).step(p, { w: undefined, b: 1 } as unknown as Grad<typeof p>);
    expect(p).toEqual({ w: [1, 2], b: 2 });
    sgd({ lr: 0.5, weightDecay: 0.1 }).step(p, undefined as unknown as Grad<typeof p>);
    expect(p.w[0]).toBeCloseTo(1 - 0.05);
    expect(p.b).toBeCloseTo(2 - 0.1);
  });

  it("momentum keeps a velocity per number (plain and Nesterov)", () => {
    const p = { w: new Float64Array([0]), c: 0 };
    const opt = momentum({ lr: 1, beta: 0.5 });
    opt.step(p, { w: new Float64Array([1]), c: 1 });
    expect(p.w[0]).toBe(-1); // v = 1
    opt.step(p, { w: new Float64Array([1]), c: 1 });
    expect(p.w[0]).toBe(-2.5); // v = 0.5 + 1
    expect(p.c).toBe(-2.5);
    expect(opt.t).toBe(2);
    const q = [0];
    const nes = momentum({ lr: 1, beta: 0.5, nesterov: true });
    nes.step(q, [1]); // v = 1; p -= 1 + 0.5
    expect(q[0]).toBe(-1.5);
    nes.reset();
    expect(nes.t).toBe(0);
  });

  it("adam: the first step moves every number by lr against the gradient's sign", () => {
    const p = { a: [1, 1, 1], t: new Float32Array([1]) };
    adam({ lr: 0.1 }).step(p, { a: [5, -0.001, 0], t: new Float32Array([2]) });
    expect(p.a[0]).toBeCloseTo(0.9, 6);
    expect(p.a[1]).toBeCloseTo(1.1, 4);
    expect(p.a[2]).toBe(1);
    expect(p.t[0]).toBeCloseTo(0.9, 6);
  });

  it("learning-rate schedules get the step number", () => {
    const seen: number[] = [];
    const opt = sgd({ lr: (t) => (seen.push(t), 1 / t) });
    let x = 0;
    for (let i = 0; i < 3; i++) x = opt.step(x, 1);
    expect(seen).toEqual([1, 2, 3]);
    expect(x).toBeCloseTo(-(1 + 1 / 2 + 1 / 3));
  });

  it("a changed shape or a wrong gradient throws with the path", () => {
    const opt = adam();
    const p = { w: [1, 2] };
    opt.step(p, { w: [1, 1] });
    expect(() => opt.step({ w: [1, 2, 3] }, { w: [1, 1, 1] })).toThrow(/\.w changed length from 2 to 3/);
    expect(() => sgd({ lr: 1 }).step({ w: [1, 2] }, { w: [1] })).toThrow(/gradient at \.w should be 2 numbers, got an array of 1/);
    expect(() => sgd({ lr: 1 }).step({ w: { x: 1 } }, { w: 3 } as never)).toThrow(/gradient at \.w should be an object/);
  });

  it("with grad: every optimizer fits a heterogeneous model", () => {
    // y = a · x² + Σ_k v[k] · x^k-ish model over a record holding a number, an array, a typed array and a class instance
    interface Model { a: number; v: number[]; t: Float64Array; cls: Affine }
    const predict = (p: Model, x: number) => p.a * x * x + p.v[0]! * x + p.v[1]! + p.t[0]! * Math.sin(x) + p.cls.apply(x);
    const target = (x: number) => 0.5 * x * x - x + 2 + 0.3 * Math.sin(x);
    const xs = Array.from({ length: 21 }, (_, i) => -2 + i / 5);
    const ys = xs.map(target);
    function loss(p: Model, xs: number[], ys: number[]): number {
      let s = 0;
      for (let i = 0; i < xs.length; i++) s += (predict(p, xs[i]!) - ys[i]!) ** 2;
      return s / xs.length;
    }
    const dloss = grad(loss, 0);
    const make = (): Model => ({ a: 0, v: [0, 0], t: new Float64Array([0]), cls: new Affine(0, new Float64Array([0])) });
    for (const [name, opt, steps] of [
      ["sgd", sgd({ lr: 0.05 }), 3000],
      ["momentum", momentum({ lr: 0.02, beta: 0.9 }), 1000],
      ["adam", adam({ lr: 0.05 }), 1500],
    ] as const) {
      let p = make();
      const start = loss(p, xs, ys);
      for (let i = 0; i < steps; i++) p = opt.step(p, dloss(p, xs, ys));
      expect(loss(p, xs, ys), name).toBeLessThan(1e-4 * start);
      expect(p.cls).toBeInstanceOf(Affine);
    }
  });
});
