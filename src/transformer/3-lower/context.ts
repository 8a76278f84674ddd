// What the lowering helpers (arrays, patterns) may ask of the function being lowered: the narrow view
// of scope.ts's FunctionScope, so that they depend on no more of it than this.
import type * as TS from "typescript";
import type { TypeScript } from "../api.js";
import type { Expr, Stmt, VType } from "../ir/ir.js";
import type { diag } from "../diagnostics.js";

export interface LowerContext {
  ts: TypeScript;
  checker: TS.TypeChecker;
  expr(n: TS.Expression, pre: Stmt[]): Expr;
  /** a fresh local of the given shape */
  temp(base: string, type: VType): string;
  declare(id: TS.Identifier, type: VType): string;
  typeAt(n: TS.Node): VType;
  fail(at: TS.Node, code: keyof typeof diag, ...args: string[]): never;
  at<S extends Stmt>(n: TS.Node, s: S): S;
  /** calls `callback` (an arrow, a local or module function) with already-lowered arguments */
  invoke(callback: TS.Expression, args: Expr[], pre: Stmt[], site: TS.Node): Expr;
}

export const v = (name: string): Expr => ({ k: "var", name });
export const num = (x: number): Expr => ({ k: "num", v: x });
export const idx = (obj: Expr, index: Expr): Expr => ({ k: "index", obj, index });
export const len = (obj: Expr): Expr => ({ k: "prop", obj, name: "length" });

/** The value as a local (so it is evaluated once); `site`: where a diagnostic about it points. */
export function asLocal(cx: LowerContext, e: Expr, type: VType, pre: Stmt[], base = "items", site?: TS.Node): Expr {
  if (e.k === "var") return e;
  const t = cx.temp(base, type);
  const assign: Stmt = { k: "assign", name: t, e, decl: true };
  pre.push(site ? cx.at(site, assign) : assign);
  return v(t);
}

/** `for (let i = from; i < to; i++) body(i)` as IR. */
export function countedLoop(cx: LowerContext, from: Expr, to: Expr, body: (i: Expr) => Stmt[], site: TS.Node): Stmt[] {
  const i = cx.temp("i", { k: "num" });
  return [
    { k: "assign", name: i, e: from, decl: true },
    cx.at(site, {
      k: "loop", pre: [], c: { k: "bin", op: "<", a: v(i), b: to }, body: body(v(i)),
      update: [{ k: "assign", name: i, e: { k: "bin", op: "+", a: v(i), b: num(1) } }], testAfter: false,
    }),
  ];
}
