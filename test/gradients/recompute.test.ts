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
describe("remat", () => {
  it("scalar read after loop", () => expectGradMatchesFD(lastRow, grad(lastRow), [[[[1, 2], [3, 4], [5, 6]], 0.7]]));
  it("alias read after loop", () => expectGradMatchesFD(lastRowAlias, grad(lastRowAlias), [[[[1, 2], [3, 4], [5, 6]], 0.7]]));
});
