import { describe, it, expect } from "vitest";
import * as bp from "../../src/runtime/index.js";

// Called through an untyped alias so that, should a transformer plugin process this file, it does
// not recognise (and replace) these calls: we want the untransformed behaviour here.
const untyped = bp as unknown as Record<string, (...args: unknown[]) => unknown>;

describe("not transformed", () => {
  it.each(["grad", "valueAndGrad", "vjp"])("%s(f) throws at once, explaining the fix", (api) => {
    const call = () => untyped[api]!((x: number) => x * x);
    expect(call).toThrow(Error);
    expect(call).toThrow(`${api}(...)`);
    expect(call).toThrow(/transformer did not run/);
  });

  it("names the likely causes and every way to add the transform", () => {
    const msg = (() => {
      try {
        bp.notTransformed("grad");
      } catch (e) {
        return (e as Error).message;
      }
    })()!;
    for (const s of [
      "tspc", "`tsc`", "tsx", "ts-node", "Vitest", "esbuild",
      '"plugins": [{ "transform": "backprop-ts/transformer" }]',
      "backprop-ts/esbuild", "backprop-ts/vite", "backprop()",
    ]) expect(msg).toContain(s);
  });
});

describe("errors raised by generated code", () => {
  it("staleAdjoint names the function, the file, and a clean rebuild", () => {
    expect(() => bp.staleAdjoint("sq", "src/b.ts")).toThrow(/'sq'.*src\/b\.ts.*not rebuilt.*clean build/s);
  });

  it("failedSite throws the build-time message as is", () => {
    const m = "src/a.ts:3:10 - error BP1001: cannot differentiate eval";
    expect(() => bp.failedSite(m)).toThrow(new Error(m));
  });
});
