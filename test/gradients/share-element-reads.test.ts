// The pass that reads a repeated element once (5-differentiate/share-element-reads.ts), on output
// IR: which statements end a shared read. End to end, with finite differences: test/fixtures/element-reads.
import { describe, expect, it } from "vitest";
import { shareElementReads } from "../../src/transformer/5-differentiate/share-element-reads.js";
import type { Expr, OStmt, VType } from "../../src/transformer/ir/ir.js";

const v = (name: string): Expr => ({ k: "var", name });
const at = (arr: string, i: string): Expr => ({ k: "index", obj: v(arr), index: v(i) });
const mul = (a: Expr, b: Expr): Expr => ({ k: "bin", op: "*", a, b });
const square = (e: Expr): OStmt => ({ k: "set", target: v("s"), op: "+=", value: mul(e, e) });
const store = (target: Expr, value: Expr): OStmt => ({ k: "set", target, op: "=", value });
const shadows = new Set(["dx", "dm"]);
// every local is a Float64Array but `list`, a number[] (whose reads V8 keeps cheap: left alone)
const typed: VType = { k: "typed", ctor: "Float64Array" };
const list: VType = { k: "array", elem: { k: "num" } };
const run = (body: OStmt[]) => {
  let n = 0;
  return shareElementReads(body, { isShadow: (x) => shadows.has(x), typeOf: (x) => (x === "list" ? list : typed), fresh: (base) => `${base}_${++n}` });
};
/** the constants the pass declared, in order, as `name = arr[i]` */
const declared = (body: OStmt[]) => body.flatMap((s) => (s.k === "let" && s.konst && s.init?.k === "index" ? [`${s.name} = ${JSON.stringify(s.init)}`] : []));

describe("shareElementReads", () => {
  it("reads x[i] once across statements, and stores into shadows do not end it", () => {
    const out = run([square(at("x", "i")), store(at("dx", "i"), v("a")), square(at("x", "i"))]);
    expect(declared(out)).toHaveLength(1);
    expect(out.filter((s) => s.k === "set" && JSON.stringify(s.value).includes('"xi_1"'))).toHaveLength(2);
  });
  it("a store into a value ends every shared read (it may be another name for the array)", () => {
    const out = run([square(at("x", "i")), store(at("u", "j"), v("a")), square(at("x", "i"))]);
    expect(declared(out)).toHaveLength(2);
  });
  it("a store through a local bound to part of a shadow does not", () => {
    const row: OStmt = { k: "let", name: "dmRow", init: at("dm", "i"), konst: true };
    const out = run([row, square(at("x", "j")), store(at("dmRow", "j"), v("a")), square(at("x", "j"))]);
    expect(declared(out).filter((d) => d.startsWith("xj"))).toHaveLength(1);
  });
  it("assigning or declaring the index, or assigning the array, ends the read", () => {
    expect(declared(run([square(at("x", "k")), { k: "let", name: "k", init: v("j") }, square(at("x", "k"))]))).toHaveLength(2);
    expect(declared(run([square(at("x", "i")), store(v("i"), v("k")), square(at("x", "i"))]))).toHaveLength(2);
    expect(declared(run([square(at("x", "i")), store(v("x"), v("y")), square(at("x", "i"))]))).toHaveLength(2);
  });
  it("a call ends every shared read", () => {
    const call: OStmt = { k: "do", e: { k: "call", callee: { k: "free", path: "bump" }, args: [v("x")] } };
    expect(declared(run([square(at("x", "i")), call, square(at("x", "i"))]))).toHaveLength(2);
  });
  it("never reads first what only a branch of a conditional reads", () => {
    const guarded: Expr = { k: "cond", c: v("c"), a: mul(at("x", "i"), at("x", "i")), b: { k: "num", v: 0 } };
    expect(declared(run([{ k: "set", target: v("s"), op: "+=", value: guarded }]))).toHaveLength(0);
    // once read unconditionally, the branch reuses the constant
    const out = run([square(at("x", "i")), { k: "set", target: v("s"), op: "+=", value: guarded }]);
    expect(declared(out)).toHaveLength(1);
    expect(JSON.stringify(out[2])).toContain('"xi_1"');
  });
  it("reads of number[] elements are left alone", () => {
    expect(declared(run([square(at("list", "i")), square(at("list", "i"))]))).toHaveLength(0);
  });
  it("reads of shadows are left alone", () => {
    expect(declared(run([square(at("dx", "i")), square(at("dx", "i"))]))).toHaveLength(0);
  });
});
