import { describe, it, expect } from "vitest";
import { zeroLike, zeroNumbers, addGrad, addInto } from "../../src/runtime/index.js";
import { Matrix, MonicPoly, Poly, Vec2 } from "./fixtures.js";

describe("zeroNumbers (generated code, for values typed number[])", () => {
  it("a fresh array of zeros of the same length, and zeroLike's answer for anything else", () => {
    const xs = [1.5, -2, 3];
    const z = zeroNumbers(xs);
    expect(z).toEqual([0, 0, 0]);
    expect(z).not.toBe(xs);
    expect(zeroNumbers([])).toEqual([]);
    expect(zeroNumbers(undefined as unknown as number[])).toBeUndefined();
    z[1] += 0.25;
    expect(z).toEqual([0, 0.25, 0]);
  });
});

describe("zeroLike", () => {
  it("numbers and values without numbers", () => {
    expect(zeroLike(3.5)).toBe(0);
    for (const x of ["s", true, undefined, null, () => 1, Symbol("s"), 1n, new Int32Array(2), new Map()]) {
      expect(zeroLike(x)).toBeUndefined();
    }
  });

  it("typed arrays: same kind and length, fresh", () => {
    const a = new Float64Array([1, 2, 3]);
    const z = zeroLike(a);
    expect(z).toBeInstanceOf(Float64Array);
    expect(z).not.toBe(a);
    expect(Array.from(z)).toEqual([0, 0, 0]);
    const b = zeroLike(new Float32Array(2));
    expect(b).toBeInstanceOf(Float32Array);
    expect(b.length).toBe(2);
  });

  it("arrays keep their length, nested likewise; inert slots stay undefined", () => {
    expect(zeroLike([1, 2, 3])).toEqual([0, 0, 0]);
    expect(zeroLike([[1], [2, 3]])).toEqual([[0], [0, 0]]);
    expect(zeroLike([1, "a", [2]])).toEqual([0, undefined, [0]]);
    expect(zeroLike([])).toEqual([]);
  });

  it("records: fields carrying numbers, recursively", () => {
    const p = { w: [1, 2], b: 3, name: "layer", inner: { v: new Float64Array(2), tag: "t" }, meta: { id: "x" } };
    const z = zeroLike(p);
    expect(z).toEqual({ w: [0, 0], b: 0, inner: { v: new Float64Array(2) } });
    expect(Object.keys(z)).toEqual(["w", "b", "inner"]);
    expect(zeroLike({ name: "x" })).toBeUndefined();
    expect(zeroLike({})).toEqual({});
  });

  it("a field holding undefined is a number not there (`{ s: ws[0] }` with ws = []): its zero is 0", () => {
    expect(zeroLike({ s: undefined, name: "x" })).toEqual({ s: 0 });
    expect(zeroLike({ inner: { s: undefined } })).toEqual({ inner: { s: 0 } });
    const z = zeroLike(new Vec2(undefined as unknown as number, 2));
    expect(z).toEqual({ x: 0, y: 0 });
  });

  it("class instances: structurally without a Backprop, a plain object", () => {
    const z = zeroLike(new Vec2(1, 2));
    expect(z).toEqual({ x: 0, y: 0 });
    expect(Object.getPrototypeOf(z)).toBe(Object.prototype);
  });

  it("class instances with a Backprop (static member, registry, subclass) use its zero", () => {
    const m = zeroLike(new Matrix(1, 2, new Float64Array([5, 6])));
    expect(m).toBeInstanceOf(Matrix);
    expect(Array.from((m as unknown as Matrix).data)).toEqual([0, 0]);
    expect(zeroLike(new Poly([1, 2]))).toEqual(new Poly([0, 0]));
    expect(zeroLike(new MonicPoly([1, 2, 3]))).toBeInstanceOf(Poly);
  });
});

describe("addGrad", () => {
  it("numbers, and undefined as the free zero", () => {
    expect(addGrad(1, 2)).toBe(3);
    const b = [1, 2];
    expect(addGrad(undefined, b)).toBe(b);
    expect(addGrad(b, undefined)).toBe(b);
    expect(addGrad(undefined, undefined)).toBeUndefined();
  });

  it("typed arrays: a new array of the same kind", () => {
    const a = new Float32Array([1, 2]);
    const s = addGrad(a, new Float32Array([3, 4]));
    expect(s).toBeInstanceOf(Float32Array);
    expect(Array.from(s)).toEqual([4, 6]);
    expect(Array.from(a)).toEqual([1, 2]);
  });

  it("arrays and nested records, without mutating the inputs", () => {
    const a = { w: [1, 2], b: 1, layer: { v: new Float64Array([1]) } };
    const b = { w: [10, 20], b: 2, layer: { v: new Float64Array([5]) } };
    expect(addGrad(a, b)).toEqual({ w: [11, 22], b: 3, layer: { v: new Float64Array([6]) } });
    expect(a.w).toEqual([1, 2]);
    expect(addGrad([[1], [2, undefined]], [[1], [undefined, 3]])).toEqual([[2], [2, 3]]);
  });

  it("records missing a field treat it as zero", () => {
    expect(addGrad<{ x?: number; y?: number }>({ x: 1 }, { y: 2 })).toEqual({ x: 1, y: 2 });
  });

  it("class instances: structurally, or through their Backprop", () => {
    expect(addGrad<object>(new Vec2(1, 2), { x: 3, y: 4 })).toEqual({ x: 4, y: 6 });
    const m = addGrad(new Matrix(1, 2, new Float64Array([1, 2])), new Matrix(1, 2, new Float64Array([3, 4])));
    expect(m).toBeInstanceOf(Matrix);
    expect(Array.from(m.data)).toEqual([4, 6]);
    expect(addGrad(new MonicPoly([1]), new MonicPoly([2]))).toEqual(new Poly([3]));
  });

  it("shape mismatches name both shapes and where", () => {
    expect(() => addGrad<unknown>(1, [1, 2])).toThrow(
      "backprop-ts: cannot add gradients of different shapes: number and number[2]",
    );
    expect(() => addGrad([1, 2, 3], [1, 2])).toThrow("number[3] and number[2]");
    expect(() => addGrad<unknown>(new Float64Array(2), new Float32Array(2))).toThrow("Float64Array[2] and Float32Array[2]");
    expect(() => addGrad<unknown>(new Float64Array(2), [0, 0])).toThrow("Float64Array[2] and number[2]");
    expect(() => addGrad<unknown>({ w: [[1, 2]] }, { w: [[1]] })).toThrow(
      "cannot add gradients of different shapes: number[2] and number[1] (at .w[0])",
    );
  });
});

describe("addInto", () => {
  it("numbers return the sum", () => {
    expect(addInto(1, 2)).toBe(3);
    expect(addInto(undefined, 2)).toBe(2);
    expect(addInto(2, undefined)).toBe(2);
  });

  it("typed arrays and arrays accumulate in place", () => {
    const acc = new Float64Array([1, 2]);
    expect(addInto(acc, new Float64Array([3, 4]))).toBe(acc);
    expect(Array.from(acc)).toEqual([4, 6]);
    const xs = [[1, 2], [3]];
    expect(addInto(xs, [[1, 1], [1]])).toBe(xs);
    expect(xs).toEqual([[2, 3], [4]]);
  });

  it("records accumulate field by field, copying new parts instead of aliasing them", () => {
    const acc: { w?: number[]; b?: number; inner?: { v: Float64Array } } = { b: 1 };
    const g = { w: [1, 2], b: 2, inner: { v: new Float64Array([1]) } };
    expect(addInto(acc, g)).toBe(acc);
    expect(acc).toEqual({ w: [1, 2], b: 3, inner: { v: new Float64Array([1]) } });
    expect(acc.w).not.toBe(g.w);
    addInto(acc, g);
    expect(acc).toEqual({ w: [2, 4], b: 5, inner: { v: new Float64Array([2]) } });
    expect(g).toEqual({ w: [1, 2], b: 2, inner: { v: new Float64Array([1]) } });
  });

  it("an undefined accumulator becomes a copy of g", () => {
    const g = { w: [1] };
    const acc = addInto<typeof g | undefined>(undefined, g)!;
    expect(acc).toEqual(g);
    expect(acc).not.toBe(g);
    addInto(acc, g);
    expect(g.w).toEqual([1]);
  });

  it("Backprop values are replaced through add, not mutated", () => {
    const a = new Matrix(1, 1, new Float64Array([1]));
    const s = addInto(a, new Matrix(1, 1, new Float64Array([2])));
    expect(Array.from(s.data)).toEqual([3]);
    expect(Array.from(a.data)).toEqual([1]);
    expect(addInto({ m: a }, { m: a }).m.data[0]).toBe(2);
  });

  it("shape mismatches throw naming both shapes", () => {
    expect(() => addInto([1, 2], [1, 2, 3])).toThrow("number[2] and number[3]");
    expect(() => addInto<unknown>({ a: 1 }, { a: [1] })).toThrow("number and number[1] (at .a)");
    expect(() => addInto<unknown>([1], { a: 1 })).toThrow("number[1] and { a: number }");
  });
});
