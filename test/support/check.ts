import { expect } from "vitest";
import { gradientError, numericGradient } from "./fd.js";

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Asserts that `g` (a generated grad(f)) matches central differences of `f` at each point.
 * `g` returns the bare gradient for one-parameter functions, an array otherwise (SPEC).
 */
export function expectGradMatchesFD(f: (...a: Any[]) => number, g: (...a: Any[]) => Any, points: Any[][], tol = 1e-6): void {
  for (const args of points) {
    const before = JSON.stringify(args);
    const got = g(...args);
    expect(JSON.stringify(args), "inputs must not be mutated").toBe(before);
    const fd = numericGradient(f, args);
    const expected = f.length === 1 ? fd[0] : fd;
    const { error, path } = gradientError(got, expected);
    expect(error, `gradient at ${JSON.stringify(args)} differs at ${path}: got ${JSON.stringify(got)}, finite differences ${JSON.stringify(expected)}`).toBeLessThan(tol);
  }
}
