// Recompute instead of store (4-analyse/remat.ts): a local re-read from its definition in the
// adjoint sweep must see the operands as they were at the definition.
import { grad } from "backprop-ts";
import { describe, it } from "vitest";
import { expectGradMatchesFD } from "../support/check.js";

function lastRow(m: number[][], x: number): number {
  let s = 0;
  let r!: number;
  for (let i = 0; i < m.length; i++) { r = m[i][0] * x; s += r * r; }
  return s + r * x;
}

function lastRowAlias(m: number[][], x: number): number {
  let s = 0;
  let row!: number[];
  for (let i = 0; i < m.length; i++) { row = m[i]; s += row[0] * x; }
  return s + row[1] * x * x;
}

/** `left` is recomputed although x is written later in the same loop body (after its last read) */
function stencil(xs: number[], k: number): number {
  const x = new Float64Array(xs);
  let s = 0;
  for (let t = 0; t < 3; t++) {
    for (let i = 0; i < x.length; i++) {
      const left = i > 0 ? x[i - 1] : 0;
      s += left * x[i] * k;
      x[i] = x[i] * k - 0.1 * x[i] * x[i];
    }
  }
  return s;
}

/** the operand changes between the definition and the read: `prev` must be saved, not re-read */
function writtenBetween(xs: number[], k: number): number {
  const x = new Float64Array(xs);
  let s = 0;
  for (let i = 1; i < x.length; i++) {
    const prev = x[i - 1];
    x[i - 1] = prev * k;
    s += prev * x[i - 1];
  }
  return s;
}

/** a row written through itself is still the same row: re-reading `m[i]` is right */
function rowWrittenInPlace(m: number[][], k: number): number {
  const copy = m.map((r) => r.slice());
  let s = 0;
  for (let i = 0; i < copy.length; i++) {
    const row = copy[i];
    row[0] = row[0] * k + row[1];
    s += row[0] * row[1];
  }
  return s;
}

const m = [[1, 2], [3, -4], [0.5, 6]];
describe("recomputed locals", () => {
  it("a scalar read after its loop is saved", () => expectGradMatchesFD(lastRow, grad(lastRow), [[m, 0.7]]));
  it("a row read after its loop is saved", () => expectGradMatchesFD(lastRowAlias, grad(lastRowAlias), [[m, 0.7]]));
  it("a stencil neighbour is re-read from a buffer written later", () => expectGradMatchesFD(stencil, grad(stencil), [[[1, -2, 0.5, 3], 0.6], [[0.3], -1.2]]));
  it("an operand written before the read forces a save", () => expectGradMatchesFD(writtenBetween, grad(writtenBetween), [[[1, -2, 0.5, 3], 0.6]]));
  it("a row written through itself", () => expectGradMatchesFD(rowWrittenInPlace, grad(rowWrittenInPlace), [[m, 0.7]]));
});
