import { describe, it, expect } from "vitest";
import { F64Stack, I32Stack, ObjStack } from "../../src/runtime/index.js";

describe.each([
  ["F64Stack", () => new F64Stack(), (i: number) => i + 0.5],
  ["I32Stack", () => new I32Stack(), (i: number) => i * 3 - 7],
  ["ObjStack", () => new ObjStack<unknown>(), (i: number) => ({ i })],
] as const)("%s", (_name, make, value) => {
  it("pops in LIFO order and grows well beyond 64", () => {
    const s = make() as { push(v: unknown): void; pop(): unknown; length: number };
    const n = 1000;
    for (let i = 0; i < n; i++) s.push(value(i));
    expect(s.length).toBe(n);
    for (let i = n - 1; i >= 0; i--) expect(s.pop()).toEqual(value(i));
    expect(s.length).toBe(0);
  });

  it("interleaves pushes and pops", () => {
    const s = make() as { push(v: unknown): void; pop(): unknown; length: number };
    s.push(value(1));
    s.push(value(2));
    expect(s.pop()).toEqual(value(2));
    s.push(value(3));
    expect(s.pop()).toEqual(value(3));
    expect(s.pop()).toEqual(value(1));
  });

  it("throws on pop from an empty stack, also after clear", () => {
    const s = make() as { push(v: unknown): void; pop(): unknown; clear(): void; length: number };
    expect(() => s.pop()).toThrow(/internal error: pop from an empty/);
    for (let i = 0; i < 100; i++) s.push(value(i));
    s.clear();
    expect(s.length).toBe(0);
    expect(() => s.pop()).toThrow(Error);
    s.push(value(9));
    expect(s.pop()).toEqual(value(9));
  });
});

it("F64Stack keeps full double precision; I32Stack truncates to int32", () => {
  const f = new F64Stack();
  f.push(Math.PI);
  f.push(-0.1);
  expect(f.pop()).toBe(-0.1);
  expect(f.pop()).toBe(Math.PI);
  const i = new I32Stack();
  i.push(-5);
  expect(i.pop()).toBe(-5);
});

it("ObjStack returns the very same objects", () => {
  const s = new ObjStack<number[]>();
  const a = [1];
  s.push(a);
  expect(s.pop()).toBe(a);
});

describe("F64Stack ranges (a loop's stored elements, saved in one copy)", () => {
  it("restores exactly the saved range of a typed array and of a number[], interleaved with pushes", () => {
    const s = new F64Stack(4);
    const t = Float64Array.from([1, 2, 3, 4, 5]);
    const a = [10, 20, 30, 40];
    s.push(7);
    s.pushRange(t, 1, 4);
    s.pushRange(a, 0, 2);
    t.fill(0);
    a.fill(-1);
    s.popRange(a);
    s.popRange(t);
    expect(Array.from(t)).toEqual([0, 2, 3, 4, 0]);
    expect(a).toEqual([10, 20, -1, -1]);
    expect(s.pop()).toBe(7);
    expect(s.length).toBe(0);
  });

  it("clamps to the array and rounds the bounds up; an empty or inverted range saves nothing", () => {
    const s = new F64Stack();
    const t = Float32Array.from([1, 2, 3]);
    s.pushRange(t, -2, 10.5);
    s.pushRange(t, 2.5, 3);
    s.pushRange(t, 3, 1);
    t.fill(9);
    s.popRange(t);
    s.popRange(t);
    expect(Array.from(t)).toEqual([9, 9, 9]);
    s.popRange(t);
    expect(Array.from(t)).toEqual([1, 2, 3]);
    expect(s.length).toBe(0);
    expect(() => s.popRange(t)).toThrow(/F64Stack/);
  });

  it("saves the whole array for NaN bounds (never too little) and for a range past both ends", () => {
    const s = new F64Stack(2);
    const t = Float64Array.from([1, 2, 3]);
    const a = [4, 5];
    s.pushRange(t, NaN, NaN);
    s.pushRange(a, -1, 7);
    t.fill(0);
    a.fill(0);
    s.popRange(a);
    s.popRange(t);
    expect(Array.from(t)).toEqual([1, 2, 3]);
    expect(a).toEqual([4, 5]);
    expect(s.length).toBe(0);
  });
});

describe("F64Stack.popView (the adjoint reads a saved whole array in place)", () => {
  const N = 40; // popView makes views from 32 elements on
  const filled = (v: number) => new Float64Array(N).fill(v);
  const ramp = () => Float64Array.from({ length: N }, (_, i) => i + 1);
  /** one "gradient call": saves t before each of three steps that overwrite it, then pops them all */
  const call = (s: F64Stack, t: Float64Array) => {
    const seen: Float64Array[] = [];
    for (let step = 0; step < 3; step++) {
      s.pushRange(t, 0, t.length);
      t.fill(step + 10);
    }
    let view: Float64Array = t;
    for (let step = 2; step >= 0; step--) {
      view = s.popView(t, view);
      seen.push(view);
    }
    return seen;
  };

  it("returns views holding each saved state, leaves the array alone, and reuses them in the next call", () => {
    const s = new F64Stack(4); // grows during the first call: views made before a grow are not reused
    const t = ramp();
    const first = call(s, t);
    expect(first).toEqual([filled(11), filled(10), ramp()]);
    expect(t).toEqual(filled(12));
    expect(first.every((v) => v !== t)).toBe(true);
    expect(s.length).toBe(0);
    s.clear();
    t.set(ramp());
    const second = call(s, t);
    expect(second).toEqual([filled(11), filled(10), ramp()]);
    expect(second.every((v, i) => v === first[i])).toBe(true); // the same view objects: no allocation
  });

  it("writes a partial range back into the array, after bringing it up to date with the current view", () => {
    const s = new F64Stack();
    const t = ramp();
    s.pushRange(t, 0, 2); // part: [1, 2]
    t.fill(5);
    s.pushRange(t, 0, N); // whole: all 5
    t.fill(0);
    const whole = s.popView(t, t);
    expect(whole).toEqual(filled(5));
    expect(t).toEqual(filled(0));
    const part = s.popView(t, whole);
    expect(part).toBe(t);
    expect(Array.from(t)).toEqual([1, 2, ...Array(N - 2).fill(5)]); // the rest from the view, as popRange copies would have left it
  });

  it("copies a short array back instead of keeping a view for it", () => {
    const s = new F64Stack();
    const t = Float64Array.from([1, 2, 3]);
    s.pushRange(t, 0, 3);
    t.fill(0);
    expect(s.popView(t, t)).toBe(t);
    expect(Array.from(t)).toEqual([1, 2, 3]);
  });

  it("reads a Float32Array's saved values as the same numbers", () => {
    const s = new F64Stack();
    const t = Float32Array.from({ length: N }, (_, i) => 0.1 * i - 1.3);
    const before = Array.from(t);
    s.pushRange(t, 0, N);
    t.fill(7);
    const view = s.popView(t, t);
    expect(view).not.toBe(t);
    expect(Array.from(view)).toEqual(before);
    expect(Array.from(t)).toEqual(Array(N).fill(7));
  });

  it("throws on an empty stack", () => {
    const t = new Float64Array(2);
    expect(() => new F64Stack().popView(t, t)).toThrow(/F64Stack/);
  });
});
