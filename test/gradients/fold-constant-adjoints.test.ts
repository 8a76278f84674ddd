// The pass that folds a unit seed into the adjoints (5-differentiate/fold-constant-adjoints.ts), on
// output IR printed as code: what counts as constant, and that every rewrite is exact. End to end,
// with finite differences: every fixture's grad and valueAndGrad cases (test/golden).
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { foldConstantAdjoints } from "../../src/transformer/5-differentiate/fold-constant-adjoints.js";
import { ADJOINT_SWEEP } from "../../src/transformer/5-differentiate/generate.js";
import { Emitter } from "../../src/transformer/6-emit/emit.js";
import type { Expr, OStmt } from "../../src/transformer/ir/ir.js";

const v = (name: string): Expr => ({ k: "var", name });
const n = (x: number): Expr => ({ k: "num", v: x });
const bin = (op: "*" | "+" | "-" | "/", a: Expr, b: Expr): Expr => ({ k: "bin", op, a, b });
const neg = (a: Expr): Expr => ({ k: "un", op: "-", a });
const at = (arr: string, i: Expr): Expr => ({ k: "index", obj: v(arr), index: i });
const let_ = (name: string, init: Expr, konst = false): OStmt => ({ k: "let", name, init, konst });
const set = (name: string | Expr, op: "=" | "+=" | "-=", value: Expr): OStmt => ({ k: "set", target: typeof name === "string" ? v(name) : name, op, value });
const loop = (...body: OStmt[]): OStmt => ({ k: "while", c: bin("-", v("i"), n(1)), body });
/** the seed, then `ds` receiving it, as generate.ts and the sweep of `return s` write them */
const seeded: OStmt[] = [{ ...let_("dresult", n(1)), note: ADJOINT_SWEEP }, let_("ds", n(0)), set("ds", "+=", v("dresult"))];
const candidates = new Set(["dresult", "ds", "da", "dx"]);

function print(body: OStmt[]): string {
  const file = ts.createSourceFile("out.ts", "", ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  const nodes = new Emitter(ts).statements(body);
  return ts.createPrinter().printList(ts.ListFormat.MultiLine, ts.factory.createNodeArray(nodes), file).trim();
}
const fold = (body: OStmt[]) => print(foldConstantAdjoints(body, candidates));

describe("foldConstantAdjoints", () => {
  it("folds the seed through an adjoint that only receives it, and drops the multiplications by 1", () => {
    const out = fold([...seeded, loop(set("da", "+=", bin("*", bin("*", v("ds"), v("a")), n(100))))]);
    expect(out).not.toMatch(/dresult|ds/);
    expect(out).toContain("da += a * 100;");
  });
  it("keeps the adjoint sweep's heading on the first statement left", () => {
    const out = fold([...seeded, let_("da", n(0)), loop(set("da", "+=", v("ds")))]);
    expect(out.split("\n").slice(0, 2)).toEqual(["// adjoint sweep", "let da = 0;"]);
  });
  it("leaves an adjoint written inside a loop or branch alone", () => {
    const inLoop = fold([...seeded, loop(set("da", "+=", bin("*", v("ds"), v("a"))), set("ds", "=", bin("*", v("ds"), n(2))))]);
    expect(inLoop).toContain("da += ds * a;");
    expect(inLoop).toContain("ds++;"); // the seed itself still folds into it
    const inBranch: OStmt = { k: "if", c: v("c"), then: [set("ds", "=", n(0))], else: [] };
    expect(fold([...seeded, inBranch, set("da", "+=", v("ds"))])).toContain("da += ds;");
  });
  it("leaves an adjoint read before its last write alone", () => {
    const out = fold([let_("ds", n(0)), set("da", "+=", v("ds")), set("ds", "+=", n(1)), set("dx", "+=", v("ds"))]);
    expect(out).toContain("dx += ds;");
  });
  it("only folds names it is given (a primal `1 * t` may be a string's conversion)", () => {
    const out = print(foldConstantAdjoints([let_("k", n(1)), set("y", "=", bin("*", v("k"), v("t")))], candidates));
    expect(out).toContain("y = k * t;");
  });
  it("does not fold a value it cannot print back exactly", () => {
    // 0 - 0 is 0, but -0 printed is 0: `ds` = -0 would change 1 / ds
    expect(fold([let_("ds", n(0)), set("ds", "=", n(-0)), set("dx", "+=", bin("/", n(1), v("ds")))])).toContain("dx += 1 / ds;");
  });
  it("turns what a negative seed leaves into subtraction, exactly", () => {
    const out = fold([...seeded, let_("adj1", neg(v("ds")), true), set("dx", "+=", bin("/", bin("*", v("adj1"), v("y")), v("x"))), set("da", "+=", bin("-", v("b"), bin("*", v("adj1"), v("y"))))]);
    expect(out).toContain("dx -= y / x;");
    expect(out).toContain("da += b + y;");
    expect(out).not.toContain("adj1");
  });
  it("replaces a const copy left behind by its source, in the rest of its block only", () => {
    const out = fold([...seeded, loop(let_("ti", at("t", v("i")), true), let_("adj1", bin("*", v("ds"), v("ti")), true), set(at("dt", v("i")), "+=", bin("*", v("adj1"), v("ti"))))]);
    expect(out).toContain("dt[i] += ti * ti;");
    expect(out).not.toContain("adj1");
    // a copy of a `let` (which may change before the copy is read) stays
    const ofLet = fold([...seeded, let_("w", v("q")), let_("adj1", bin("*", v("ds"), v("w")), true), set("w", "=", n(3)), set("dx", "+=", v("adj1"))]);
    expect(ofLet).toContain("const adj1 = w;");
  });
  it("rewrites only the expressions that read the constant", () => {
    // (`1 * i` is the user's: it stays as written)
    const out = fold([...seeded, set("dx", "+=", bin("*", v("ds"), at("x", bin("*", n(1), v("i"))))), set("da", "+=", at("x", bin("*", n(1), v("i"))))]);
    expect(out).toContain("dx += x[1 * i];");
    expect(out).toContain("da += x[1 * i];");
  });
});
