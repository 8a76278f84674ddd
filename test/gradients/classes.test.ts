import { describe, expect, it } from "vitest";
import { grad, registerBackprop, type Backprop } from "backprop-ts";
import { expectGradMatchesFD } from "../support/check.js";

class Vec2 {
  scale = 1;
  constructor(public x: number, public y: number) {}
  get norm(): number { return Math.hypot(this.x, this.y) * this.scale; }
  dot(o: Vec2): number { return this.x * o.x + this.y * o.y; }
  plus(o: Vec2): Vec2 { return new Vec2(this.x + o.x, this.y + o.y); }
}

function useVec(a: number, b: number): number {
  const v = new Vec2(a, b);
  const w = v.plus(new Vec2(b, 2));
  return v.dot(w) + w.norm;
}

function instanceInput(v: Vec2, k: number): number {
  return v.dot(v) * k + v.norm;
}

class Matrix {
  constructor(public rows: number, public cols: number, public data: Float64Array) {}
  at(i: number, j: number): number { return this.data[i * this.cols + j]; }
}
const matrixBackprop: Backprop<Matrix> = {
  zero: (m) => new Matrix(m.rows, m.cols, new Float64Array(m.data.length)),
  add: (a, b) => new Matrix(a.rows, a.cols, a.data.map((v, i) => v + b.data[i])),
};
registerBackprop(Matrix, matrixBackprop);

function trace(m: Matrix): number {
  let s = 0;
  for (let i = 0; i < m.rows; i++) s += m.at(i, i) ** 2;
  return s;
}

describe("classes", () => {
  it("new, methods, getters, field initialisers, parameter properties", () =>
    expectGradMatchesFD(useVec, grad(useVec), [[0.5, 1.5], [-1, 0.25]]));
  it("class instances as inputs: gradient is structural", () => {
    const g = grad(instanceInput)(new Vec2(1, 2), 3);
    expect(g[0]).toMatchObject({ x: expect.closeTo(6 + 1 / Math.sqrt(5), 12), y: expect.closeTo(12 + 2 / Math.sqrt(5), 12) });
    expectGradMatchesFD((x: number, y: number) => instanceInput(new Vec2(x, y), 3), (x: number, y: number) => { const [gv] = grad(instanceInput)(new Vec2(x, y), 3); return [gv.x, gv.y]; }, [[1, 2]]);
  });
  it("a class with its own Backprop", () => {
    const m = new Matrix(2, 2, new Float64Array([1, 2, 3, 4]));
    const g = grad(trace)(m);
    expect(g).toBeInstanceOf(Matrix);
    expect([...g.data]).toEqual([2, 0, 0, 8]);
  });
});
