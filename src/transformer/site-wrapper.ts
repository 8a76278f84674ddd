// What a grad/valueAndGrad/vjp call becomes: a small function with the user's parameter names that
// calls the generated derivative and picks the gradients `wrt` asks for.
//   grad(poly)          →  (x, cs) => poly$grad(x, cs)
//   valueAndGrad(poly)  →  (x, cs) => { const out = poly$valueAndGrad(x, cs); return { value: out[0], grad: out[1] }; }
//   vjp(poly)           →  (x, cs) => ({ value: poly(x, cs), pullback: (dy) => poly$pullback(x, cs, dy) })
// (grad's and valueAndGrad's derivatives have the seed 1 built in; a pullback takes it.)
import type { Expr, Func, OStmt } from "./ir/ir.js";
import { RUNTIME_LOCAL } from "./api.js";
import type { SiteApi } from "./1-find-sites/find-sites.js";
import type { Lowered } from "./3-lower/lower.js";
import { paramsWritten, type CalleeBody } from "./4-analyse/writes.js";

export interface WrapperInput {
  api: SiteApi;
  func: Func;
  derivative: Expr;
  /** the primal function, when the site names one (vjp computes its value with it) */
  primal: Expr | undefined;
  wrt: number | number[] | undefined;
  /** derivative to declare inside the replacement (inline arrow at the site) */
  inlineFn: (OStmt & { k: "fn" }) | undefined;
  names: Lowered;
  /** the derivative returns `[value, gradient]`, else the gradient alone */
  withValue: boolean;
  /** the derivative has the seed 1 built in: called with the function's parameters only */
  unitSeed: boolean;
  /** the bodies of the functions `func` calls: their writes into its parameters count as its own */
  calleeBody: CalleeBody;
}

const v = (name: string): Expr => ({ k: "var", name });
const runtime = (name: string): Expr => ({ k: "free", path: `${RUNTIME_LOCAL}.${name}` });
const at = (obj: Expr, i: number): Expr => ({ k: "index", obj, index: { k: "num", v: i } });

export function siteWrapper(input: WrapperInput): Expr {
  const { func, derivative, wrt } = input;
  const names = input.names.names.clone();
  const params = func.params.map((p) => p.name);
  const arity = params.length;
  const callDerivative = (seed: Expr): Expr => ({ k: "call", callee: derivative, args: input.unitSeed ? params.map(v) : [...params.map(v), seed] });
  const gradientOf = (seed: Expr): Expr => (input.withValue ? at(callDerivative(seed), 1) : callDerivative(seed));
  /** the gradient `wrt` asks for, out of the derivative's full gradient */
  const pick = (g: Expr): Expr => {
    if (wrt === undefined) return g;
    const one = (i: number): Expr => (arity === 1 ? g : at(g, i));
    return typeof wrt === "number" ? one(wrt) : { k: "array", elems: wrt.map(one) };
  };
  // picking several entries reads the gradient more than once: bind it
  const needsBinding = Array.isArray(wrt) && wrt.length > 1 && arity > 1;

  let body: OStmt[];
  if (input.api === "grad") {
    if (!needsBinding) body = [{ k: "return", e: pick(gradientOf({ k: "num", v: 1 })) }];
    else {
      const g = names.fresh("gradient");
      body = [{ k: "let", name: g, init: gradientOf({ k: "num", v: 1 }), konst: true }, { k: "return", e: pick(v(g)) }];
    }
  } else if (input.api === "valueAndGrad") {
    const out = names.fresh("out");
    body = [
      { k: "let", name: out, init: callDerivative({ k: "num", v: 1 }), konst: true },
      { k: "return", e: { k: "object", props: [["value", at(v(out), 0)], ["grad", pick(at(v(out), 1))]] } },
    ];
  } else {
    const dy = names.fresh("dy");
    const value = names.fresh("value");
    // the primal gets copies of the parameters it writes into: vjp never mutates its inputs, and
    // the pullback differentiates at the inputs as they were given
    const written = new Set(paramsWritten(func, input.calleeBody));
    const primalValue: Expr = input.primal
      ? { k: "call", callee: input.primal, args: params.map((p) => (written.has(p) ? { k: "call", callee: runtime("cloneValue"), args: [v(p)] } : v(p))) }
      : at(callDerivative({ k: "num", v: 0 }), 0);
    // a cotangent of the wrong shape is an error naming the function; missing parts are zeros
    const check: OStmt = { k: "do", e: { k: "call", callee: runtime("checkShape"), args: [v(value), v(dy), { k: "lit", text: JSON.stringify(`pullback of '${func.name}': the cotangent`) }] } };
    const complete: Expr = { k: "call", callee: runtime("addGrad"), args: [{ k: "call", callee: runtime("zeroLike"), args: [v(value)] }, v(dy)] };
    const seed: Expr = func.resultType.k === "num" ? v(dy) : complete;
    const pullback: Expr = { k: "arrow", params: [dy], body: [check, { k: "return", e: pick(gradientOf(seed)) }] };
    body = [
      { k: "let", name: value, init: primalValue, konst: true },
      { k: "return", e: { k: "object", props: [["value", v(value)], ["pullback", pullback]] } },
    ];
  }
  const wrapper: Expr = { k: "arrow", params, body };
  if (!input.inlineFn) return wrapper;
  // (() => { function f$valueAndGrad(...) {...} return (x) => ({ value: ..., grad: f$valueAndGrad(x)[1] }); })()
  const iife: Expr = { k: "arrow", params: [], body: [input.inlineFn, { k: "return", e: wrapper }] };
  return { k: "call", callee: iife, args: [] };
}
