// Locals declared only in exclusive branches outside loops save no old value (4-analyse/
// exclusive-declarations.ts). These are the cases where a name is declared more than once on one
// path, or in a loop, so the old value must still be saved; and the nested, picked-again ones.
import { grad } from "backprop-ts";
import { describe, expect, it } from "vitest";
import { exclusiveDeclarations } from "../../src/transformer/4-analyse/exclusive-declarations.js";
import type { Stmt } from "../../src/transformer/ir/ir.js";
import { expectGradMatchesFD } from "../support/check.js";

interface P { a: number; b: number }

/** nested object-valued conditionals: the inner temp is declared in one branch of the outer */
function nestedPicks(x: number, y: number): number {
  const p: P = { a: x, b: y };
  const q: P = { a: y * y, b: x };
  const r = x > 0 ? (y > 0 ? p : q) : { a: x * y, b: 1 };
  return r.a * r.b + r.a;
}

/** a local function with an object conditional, inlined twice on one path: its temps are declared twice */
function inlinedTwice(x: number, y: number): number {
  function pick(c: boolean, u: P, w: P): P {
    return c ? u : w;
  }
  const p: P = { a: x, b: y };
  const q: P = { a: y, b: x * x };
  const s = pick(x > y, p, q);
  const t = pick(x < y, { a: s.a * 2, b: s.b }, s);
  return s.a * t.b + t.a * s.b;
}

/** the same conditional inside a loop: every iteration declares the temp again */
function inLoop(xs: number[], c: number): number {
  let e = 0;
  const lo: P = { a: c, b: 1 };
  for (let i = 0; i < xs.length; i++) {
    const hi: P = { a: xs[i], b: c };
    const r = xs[i] > 0 ? hi : lo;
    e += r.a * r.b;
  }
  return e;
}

/** block-scoped constants of one name in sequence, and in the two branches of an if */
function sequentialBlocks(x: number, y: number): number {
  let e = 0;
  {
    const t: P = { a: x * y, b: x };
    e += t.a * t.b;
  }
  {
    const t: P = { a: y, b: x + y };
    e += t.a / (1 + t.b * t.b);
  }
  if (x > y) {
    const u: P = { a: x, b: 2 };
    e += u.a * u.b;
  } else {
    const u: P = { a: y * y, b: 3 };
    e += u.a * u.b;
  }
  return e;
}

/** a temp picked in a branch that returns early */
function earlyReturn(x: number, y: number): number {
  const p: P = { a: x, b: y };
  if (x > 1) {
    const r = y > 0 ? p : { a: y, b: x };
    return r.a * r.b;
  }
  const s = y > 0 ? { a: x * y, b: 1 } : p;
  return s.a + s.b * x;
}

const points2: [number, number][] = [[1.5, 0.7], [1.5, -0.7], [-0.8, 0.6], [0.4, -1.3], [2.1, 2.4], [0.3, 0.9]];

describe("locals declared in exclusive branches", () => {
  it("nested object conditionals", () => {
    expectGradMatchesFD(nestedPicks, grad(nestedPicks), points2);
  });
  it("a local function's conditional inlined twice", () => {
    expectGradMatchesFD(inlinedTwice, grad(inlinedTwice), points2);
  });
  it("the conditional inside a loop", () => {
    expectGradMatchesFD(inLoop, grad(inLoop), [[[0.5, -1.2, 2], 0.7], [[-0.5, 1.1], -1.3], [[], 0.4]]);
  });
  it("block-scoped constants of one name", () => {
    expectGradMatchesFD(sequentialBlocks, grad(sequentialBlocks), points2);
  });
  it("an early return after a picked temp", () => {
    expectGradMatchesFD(earlyReturn, grad(earlyReturn), points2);
  });
});

// The analysis itself, on IR a source file would reach only through renamings it does not control.
describe("exclusiveDeclarations", () => {
  const decl = (name: string): Stmt => ({ k: "assign", name, e: { k: "num", v: 1 }, decl: true });
  const when = (then: Stmt[], otherwise: Stmt[]): Stmt => ({ k: "if", c: { k: "var", name: "c" }, then, else: otherwise });
  it("takes a name declared once per branch of one if, at any depth", () => {
    expect(exclusiveDeclarations([when([decl("t")], [when([decl("t")], [decl("t")])])])).toEqual(new Set(["t"]));
  });
  it("refuses a name declared twice on one path, in two ifs in sequence, in a loop, or also assigned", () => {
    expect(exclusiveDeclarations([decl("t"), decl("t")]).has("t")).toBe(false);
    expect(exclusiveDeclarations([when([decl("t")], []), when([], [decl("t")])]).has("t")).toBe(false);
    expect(exclusiveDeclarations([when([decl("t"), when([decl("t")], [])], [])]).has("t")).toBe(false);
    expect(exclusiveDeclarations([{ k: "while", c: { k: "var", name: "c" }, body: [when([decl("t")], [decl("t")])] }]).has("t")).toBe(false);
    expect(exclusiveDeclarations([when([decl("t")], [{ k: "assign", name: "t", e: { k: "num", v: 2 } }])]).has("t")).toBe(false);
  });
});
