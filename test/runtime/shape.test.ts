import { describe, it, expect } from "vitest";
import { checkShape, describeShape, describeGradShape } from "../../src/runtime/index.js";
import { Matrix, Vec2 } from "./fixtures.js";

describe("describeShape", () => {
  it("describes every kind", () => {
    expect(describeShape(1)).toBe("number");
    expect(describeShape([1, 2, 3])).toBe("number[3]");
    expect(describeShape([[1, 2, 3], [4, 5, 6]])).toBe("number[2][3]");
    expect(describeShape(new Float64Array(3))).toBe("Float64Array[3]");
    expect(describeShape([new Float32Array(2)])).toBe("Float32Array[1][2]");
    expect(describeShape({ w: [1, 2], b: 3 })).toBe("{ w: number[2], b: number }");
    expect(describeShape([1, [2]])).toBe("[number, number[1]]");
    expect(describeShape([])).toBe("[]");
    expect(describeShape({})).toBe("{}");
    expect(describeShape(undefined)).toBe("undefined");
    expect(describeShape(null)).toBe("null");
    expect(describeShape("s")).toBe("string");
    expect(describeShape(new Vec2(1, 2))).toBe("Vec2 { x: number, y: number, label: string }");
    expect(describeShape(new Matrix(1, 1, new Float64Array(1)))).toBe("Matrix");
    expect(describeShape(Array.from({ length: 20 }, (_, i) => (i % 2 ? 1 : "a")))).toMatch(/… 12 more\]$/);
  });

  it("describeGradShape leaves out what carries no numbers", () => {
    expect(describeGradShape({ w: [1, 2], name: "n" })).toBe("{ w: number[2] }");
    expect(describeGradShape(["a", "b"])).toBe("undefined[2]");
    expect(describeGradShape("s")).toBe("undefined");
    // as zeroLike: a field holding undefined may be a number
    expect(describeGradShape({ s: undefined, name: "n" })).toBe("{ s: number }");
  });
});

describe("checkShape", () => {
  const what = "pullback of 'f': cotangent for argument 1";

  it("accepts matching gradients, the free zero, and anything for inert values", () => {
    expect(() => checkShape([1, 2], [0, 1], what)).not.toThrow();
    expect(() => checkShape({ w: [1], b: 2, s: "x" }, { w: [1] }, what)).not.toThrow();
    expect(() => checkShape(new Float64Array(2), new Float64Array(2), what)).not.toThrow();
    expect(() => checkShape(new Vec2(1, 2), { x: 1 }, what)).not.toThrow();
    expect(() => checkShape(new Matrix(1, 1, new Float64Array(1)), new Matrix(1, 1, new Float64Array(1)), what)).not.toThrow();
    expect(() => checkShape([1, 2], undefined, what)).not.toThrow();
    expect(() => checkShape("label", 0, what)).not.toThrow();
  });

  it("rejects mismatches with a message naming both shapes", () => {
    expect(() => checkShape([1, 2], [1, 2, 3], what)).toThrow(
      "backprop-ts: pullback of 'f': cotangent for argument 1 has shape number[3], expected number[2]",
    );
    expect(() => checkShape(1, [1], what)).toThrow("has shape number[1], expected number");
    expect(() => checkShape(new Float64Array(2), [0, 0], what)).toThrow("has shape number[2], expected Float64Array[2]");
    expect(() => checkShape({ w: [1, 2], name: "n" }, { w: [1] }, what)).toThrow(
      "has shape { w: number[1] }, expected { w: number[2] }",
    );
    expect(() => checkShape({ w: 1 }, { v: 1 }, what)).toThrow("has shape { v: number }, expected { w: number }");
    expect(() => checkShape(new Matrix(1, 1, new Float64Array(1)), 3, what)).toThrow("expected Matrix");
  });
});
