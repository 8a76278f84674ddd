import { describe, it, expect } from "vitest";
import { withGradient, ruleOf, hasRule, stopGradient } from "../../src/runtime/index.js";

const softplus = withGradient((x: number) => {
  const e = Math.exp(x);
  return [Math.log1p(e), (dy: number) => [(dy * e) / (1 + e)]];
});

describe("withGradient", () => {
  it("is an ordinary function returning the value", () => {
    expect(softplus(0)).toBeCloseTo(Math.LN2, 15);
    expect(softplus(2)).toBe(Math.log1p(Math.exp(2)));
  });

  it("exposes its rule through ruleOf", () => {
    expect(hasRule(softplus)).toBe(true);
    const [value, pullback] = ruleOf(softplus)(1);
    expect(value).toBe(softplus(1));
    expect(pullback(2)).toEqual([(2 * Math.E) / (1 + Math.E)]);
  });

  it("passes every argument to the rule", () => {
    const mul = withGradient((a: number, b: number[]) => [a * b[0]!, (dy: number) => [dy * b[0]!, [dy * a]]]);
    expect(mul(3, [4])).toBe(12);
    expect(ruleOf(mul)(3, [4])[1](1)).toEqual([4, [3]]);
  });

  it("ruleOf of a plain function throws naming it", () => {
    function square(x: number) {
      return x * x;
    }
    expect(hasRule(square)).toBe(false);
    expect(() => ruleOf(square)).toThrow(/'square' is not a withGradient function/);
  });
});

it("stopGradient returns its argument", () => {
  const xs = [1, 2];
  expect(stopGradient(xs)).toBe(xs);
  expect(stopGradient(3)).toBe(3);
});
