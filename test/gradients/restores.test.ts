// Restoring an overwritten element reads its index: `t[k % n] = saved.pop()` needs k restored too,
// even when nothing else in the adjoint sweep reads k (found by the fuzzer, test/fuzz/).
import { grad } from "backprop-ts";
import { describe, it } from "vitest";
import { expectGradMatchesFD } from "../support/check.js";

/** an element read by an adjoint, then incremented by a constant in a loop */
function readThenIncrement(xs: number[], c: number): number {
  const t = xs.slice();
  c = 1 / t[0];
  for (let k = 0; k < 1; k++) t[k % t.length] += 1;
  return c;
}

/** the same with an inactive array (it never depends on the inputs) */
function inactiveOverwritten(a: number, b: number): number {
  const t: number[] = new Array<number>(4).fill(0);
  b = t[0] * a + a;
  for (let k = 0; k < 2; k++) t[k % t.length] += 2;
  return b;
}

/** the index is an ordinary local, not a counter */
function indexFromValue(xs: number[], c: number): number {
  const t = xs.slice();
  const s = t[1] * c;
  let j = 0;
  for (let k = 0; k < 3; k++) {
    j = (k * 7) % t.length;
    t[j] = t[j] * 2 + 1;
  }
  return s * t[0];
}

/** a local function inlined per call binds its parameter again: a constant binding resets its adjoint */
function constantArgument(a: number, b: number): number {
  const v = a;
  function f(u: number): number {
    return u;
  }
  b = f(v) * b;
  const w = f(1);
  return f(2) * w + b;
}

describe("restores read what they index with", () => {
  it("an element read before an increment in a loop", () => expectGradMatchesFD(readThenIncrement, grad(readThenIncrement), [[[1.4, -1.9, 1.6], -1.7]]));
  it("an inactive array overwritten in a loop", () => expectGradMatchesFD(inactiveOverwritten, grad(inactiveOverwritten), [[0.9, -0.5]]));
  it("a parameter of an inlined function bound to a constant", () => expectGradMatchesFD(constantArgument, grad(constantArgument), [[0.7, -1.2]]));
  it("an index computed in the loop", () => expectGradMatchesFD(indexFromValue, grad(indexFromValue), [[[1.4, -1.9, 1.6], -1.7]]));
});
