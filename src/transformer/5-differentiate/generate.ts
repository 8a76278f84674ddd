// One pass of generation: sweeps the body, then wraps the two sweeps in the generated function
// `(params..., dResult, shadows...) => [value, gradient]` (a unit-seeded one: `(params...)`, with
// `let dresult = 1`): the prologue (copies of written parameters, zero shadows, the stacks), the
// hoisted lets, the adjoints' lets, and the result.
import type { Expr, Func, OStmt } from "../ir/ir.js";
import { carriesNumbers, v } from "../ir/ir.js";
import { paramsWritten } from "../4-analyse/writes.js";
import { diag } from "../diagnostics.js";
import { call, num, set, UNDEFINED } from "./build.js";
import { Pass } from "./pass.js";
import type { ReverseScope } from "./scope.js";
import { structured, zeroOf } from "./shadows.js";
import { sweep } from "./sweep.js";

/**
 * Array/record parameters whose adjoint the caller may hand in (after the cotangent), so the
 * derivative accumulates into the caller's shadow instead of allocating a zero gradient per call.
 */
export function shadowParamIndices(fn: Func, activeParams: boolean[]): number[] {
  const out: number[] = [];
  fn.params.forEach((p, i) => {
    if (activeParams[i] && carriesNumbers(p.type) && p.type.k !== "num" && p.type.k !== "unknown") out.push(i);
  });
  return out;
}

/** the note above the adjoint sweep's first statement */
export const ADJOINT_SWEEP = "adjoint sweep";

export function generate(cx: ReverseScope, generatedName: string, needed: Set<string>, contentsNeeded: Set<string>): { fn: OStmt & { k: "fn" }; rev: OStmt[] } {
  const pass = new Pass(cx, needed, contentsNeeded);
  const body = sweep(pass, cx.fn.body, false);
  const resultAdj = cx.adjName(cx.fn.result);
  const numericAdjoints = [...cx.active].filter((x) => x !== cx.fn.result && cx.isNumeric(x)).map((x) => cx.adjName(x));
  // array/record parameters' adjoints are parameters too, defaulting to a zero gradient
  // (a site's unit-seeded derivative is called with the function's own arguments only)
  const shadowParams = cx.options.unitSeed ? [] : shadowParamIndices(cx.fn, cx.activeParams).map((i) => cx.fn.params[i].name);
  const grads: Expr[] = cx.fn.params.map((p, i) => {
    if (!cx.activeParams[i] || !carriesNumbers(p.type)) return UNDEFINED;
    if (shadowParams.includes(p.name)) return v(cx.adjName(p.name));
    if (cx.active.has(p.name)) return v(cx.adjName(p.name));
    return cx.isNumeric(p.name) ? num(0) : zeroOf(cx, v(p.name), cx.typeOf(p.name));
  });
  const prologue: OStmt[] = [];
  // a gradient call never mutates its inputs: a parameter the function (or a function it calls) writes into is copied first
  for (const p of paramsWritten(cx.fn, cx.host.calleeBody)) prologue.push(set(v(p), "=", call(cx.host.runtime("cloneValue"), v(p))));
  for (const p of cx.fn.params) {
    if (!cx.active.has(p.name)) continue;
    const tp = cx.typeOf(p.name);
    if (tp.k === "unknown") cx.report(diag.unknownType(p.loc ?? cx.fn.loc, p.name, tp.why ?? ""));
    else if (!cx.isNumeric(p.name) && !shadowParams.includes(p.name)) prologue.push({ k: "let", name: cx.adjName(p.name), init: zeroOf(cx, v(p.name), cx.typeOf(p.name)) });
  }
  // stacks come from the runtime's pools (grown buffers are reused across calls) and go back at the end
  const take = (fnName: string): Expr => call(cx.host.runtime(fnName));
  if (pass.stacks.saved) prologue.push({ k: "let", name: pass.stacks.saved, init: take("takeF64Stack"), konst: true });
  if (pass.stacks.objs) prologue.push({ k: "let", name: pass.stacks.objs, init: take("takeObjStack"), konst: true });
  if (pass.stacks.trace) prologue.push({ k: "let", name: pass.stacks.trace, init: take("takeI32Stack"), konst: true });
  const used = [pass.stacks.saved, pass.stacks.objs, pass.stacks.trace].filter((x): x is string => x !== undefined);
  // a parameter's shadow is declared by the signature or the prologue (a reassigned parameter, e.g.
  // by its default, hoisted its shadow too: `let dp` next to parameter `dp` did not parse)
  const declared = new Set([...shadowParams.map((p) => cx.adjName(p)), ...prologue.flatMap((s) => (s.k === "let" ? [s.name] : []))]);
  const lets = [...pass.hoisted].filter((n) => !pass.inlineConst.has(n) && !cx.isParam(n) && !declared.has(n));
  // numbers start as 0, not undefined, so every local stays a double for V8
  const fwd: OStmt[] = [...prologue, ...lets.map((name): OStmt => ({ k: "let", name, init: cx.isNumeric(name) ? num(0) : undefined })), ...body.fwd];
  const lines = cx.fn.lines[0] === cx.fn.lines[1] ? `${cx.fn.lines[0]}` : `${cx.fn.lines[0]}-${cx.fn.lines[1]}`;
  if (fwd.length > 0) fwd[0] = { ...fwd[0], note: `forward sweep — ${cx.fn.loc.file}:${lines}` };
  const seed: OStmt[] = cx.options.unitSeed ? [{ k: "let", name: resultAdj, init: num(1) }] : [];
  const revPart: OStmt[] = [...seed, ...numericAdjoints.map((name): OStmt => ({ k: "let", name, init: num(0) })), ...body.rev];
  if (revPart.length > 0) revPart[0] = { ...revPart[0], note: ADJOINT_SWEEP };
  const gradient: Expr = cx.fn.params.length === 1 ? grads[0] : { k: "array", elems: grads };
  let value: Expr = v(cx.fn.result);
  if (cx.options.snapshotResult && structured(cx.fn.resultType)) {
    const snapshot = pass.local.fresh("value");
    fwd.push({ k: "let", name: snapshot, init: call(cx.host.runtime("cloneValue"), v(cx.fn.result)), konst: true });
    value = v(snapshot);
  }
  const release: OStmt[] = used.length > 0 ? [{ k: "do", e: call(cx.host.runtime("releaseStacks"), ...used.map(v)) }] : [];
  const returned: Expr = cx.options.withValue === false ? gradient : { k: "array", elems: [value, gradient] };
  const all: OStmt[] = [...fwd, ...revPart, ...release, { k: "return", e: returned }];
  return {
    fn: {
      k: "fn", name: generatedName, body: all,
      params: cx.options.unitSeed ? cx.fn.params.map((p) => p.name)
        : [...cx.fn.params.map((p) => p.name), resultAdj, ...shadowParams.map((p) => ({ name: cx.adjName(p), init: zeroOf(cx, v(p), cx.typeOf(p)) }))],
    },
    rev: body.rev,
  };

}
