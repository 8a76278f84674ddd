import { it, expect } from "vitest";
import { backpropKey, backpropOf, registerBackprop, type Backprop } from "../../src/runtime/index.js";
import { Matrix, MonicPoly, Poly, Vec2, polyBackprop } from "./fixtures.js";

it("finds a static [backpropKey] member", () => {
  expect(backpropOf(new Matrix(1, 1, new Float64Array(1)))).toBe(Matrix[backpropKey]);
});

it("finds a registered Backprop, also for subclasses", () => {
  expect(backpropOf(new Poly([1]))).toBe(polyBackprop);
  expect(backpropOf(new MonicPoly([1]))).toBe(polyBackprop);
});

it("the most derived class wins; plain objects, arrays and plain classes have none", () => {
  class Special extends Poly {}
  const own: Backprop<Special> = { zero: (p) => p, add: (a) => a };
  registerBackprop(Special, own);
  expect(backpropOf(new Special([1]))).toBe(own);
  expect(backpropOf({})).toBeUndefined();
  expect(backpropOf([])).toBeUndefined();
  expect(backpropOf(new Vec2(1, 2))).toBeUndefined();
});

it("the key is shared through Symbol.for, so duplicate runtime copies agree", () => {
  expect(backpropKey).toBe(Symbol.for("backprop-ts.backprop"));
});

it("rejects an incomplete Backprop", () => {
  class C {}
  expect(() => registerBackprop(C, { zero: (x: C) => x } as unknown as Backprop<C>)).toThrow(/zero\(x\) and add\(a, b\)/);
});
