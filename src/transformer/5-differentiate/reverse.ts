// Reverse mode over the structured IR: for each function and set of active parameters, one
// generated function `(params..., dResult) => [value, gradient]` holding a forward sweep (the primal
// statements, plus saving what the adjoint sweep reads and a trace of branches and trip counts)
// and an adjoint sweep (the statements in reverse, each restoring the values it overwrote).
//
// Invariant of the adjoint sweep: when it reaches the adjoint of statement s, every local that
// adjoint code reads holds the value it had right after s ran in the forward sweep. Restores keep
// it; which locals need restoring is the to-be-recorded set (`needed`), found by a first dry pass.
//
// Arrays and records (heterogeneous values) have shadows, as in Enzyme: `dxs` mirrors `xs` and is
// built in the forward sweep alongside it. A local that aliases part of another value aliases the
// same part of its shadow (`const row = m[i]` gives `drow = dm[i]`), so adjoints accumulate in
// place, field by field, and a part never touched costs nothing beyond its zero.
//
// This file is the driver: dry runs find the to-be-recorded sets, then the real pass generates
// (generate.ts) and the optimisations run over the result. What one function's differentiation
// knows is in scope.ts; the statement sweeps are sweep.ts and sweep-writes.ts; backprop of
// expressions is backprop.ts; shadows and shapes are shadows.ts.
import type { Expr, Func, FnRef, Loc, OStmt, VType } from "../ir/ir.js";
import { rootOf } from "../ir/ir.js";
import type { Names } from "../ir/names.js";
import { aliasGroups } from "../4-analyse/aliases.js";
import { assignmentsToSave } from "../4-analyse/tbr.js";
import { forEachStmt } from "../4-analyse/statements.js";
import { hoistInvariantRows, type HoistContext } from "./hoist.js";
import { promoteAccumulators } from "./promote-accumulators.js";
import { shareElementReads } from "./share-element-reads.js";
import { readSnapshotsInPlace } from "./snapshots-in-place.js";
import { removeDeadAssignments } from "./dead-code.js";
import { removeDeadTraces, removeUnusedStacks } from "./dead-records.js";
import { foldConstantAdjoints } from "./fold-constant-adjoints.js";
import { shareCommonCalls } from "./common-subexpressions.js";
import { mergeIncrements } from "./merge-increments.js";
import { diag, type Diag } from "../diagnostics.js";
import { argumentWritesReadByAdjoint } from "../4-analyse/argument-writes.js";
import { writeIntoSharedArgument } from "../4-analyse/writes.js";
import { generate } from "./generate.js";
import { ReverseScope } from "./scope.js";
import { structured } from "./shadows.js";
import { collect } from "./sweep.js";

export { shadowParamIndices } from "./generate.js";

export interface ReverseHost {
  /** expression naming the generated derivative of `ref` for the given active arguments */
  /** the generated derivative of `ref` for the given active arguments: how to call it, and which
   *  arguments' shadows it accepts (after the cotangent) to accumulate into in place */
  derivativeOf(ref: FnRef, activeArgs: boolean[], loc: Loc | undefined, receiver?: Expr): { callee: Expr; shadowArgs: number[] };
  error(d: Diag): void;
  runtime(name: string): Expr;
  /** the first parameter the called function writes into (elements, fields, push), itself or
   *  through its callees (`via`: the call in its body that does), if any */
  writtenParam(ref: FnRef): { param: string; via?: string } | undefined;
  /** the lowered body of a called program function, to follow the writes its calls make */
  calleeBody(ref: FnRef): Func | undefined;
}

export interface ReverseOptions {
  /** false: save every overwritten local and use no counter inversion (the plain transform) */
  optimize: boolean;
  /** return a copy of an array/record result taken before the adjoint sweep (which may pop it) */
  snapshotResult?: boolean;
  /** return `[value, gradient]` (valueAndGrad); else the gradient alone, and the value's own code is dead */
  withValue?: boolean;
  /** the result's adjoint is 1 (a grad or valueAndGrad site), not a parameter: no seed, no shadow parameters */
  unitSeed?: boolean;
}

export interface ReverseResult {
  fn: OStmt & { k: "fn" };
  active: Set<string>;
}

export function differentiate(
  fn: Func,
  generatedName: string,
  activeParams: boolean[],
  names: Names,
  host: ReverseHost,
  options: ReverseOptions = { optimize: true },
): ReverseResult {
  const cx = new ReverseScope(fn, activeParams, names, host, options);
  const shared = writeIntoSharedArgument(fn);
  if (shared) host.error(diag.unsupported(shared.loc ?? fn.loc, "a write into an array or record that is also held elsewhere: by an object built with `new`, or as returned by a call (the gradient cannot follow the shared value yet: copy it, e.g. with slice())"));

  /** The to-be-recorded sets from a dry run's adjoint sweep: locals to restore, and arrays/records whose contents to. */
  function neededBy(rev: OStmt[]): { needed: Set<string>; contents: Set<string> } {
    const needed = new Set<string>();
    collect(rev, needed);
    for (const a of cx.adj.values()) needed.delete(a);
    if (!options.optimize) {
      forEachStmt(fn.body, (s) => { if (s.k === "assign") needed.add(s.name); });
      for (const w of cx.written) needed.add(w);
    }
    // the result is returned after the adjoint sweep, which must not restore it; flags only steer the forward sweep
    needed.delete(fn.result);
    for (const flag of fn.flags) needed.delete(flag);
    // a value read through one name may be written through another
    for (const group of groups) if (group.some((x) => needed.has(x))) for (const x of group) needed.add(x);
    // elements and fields are restored through any name (a recomputed `row = m[i]` included)...
    const contents = new Set(needed);
    // ...but recomputed locals themselves never are (remat checked their operands hold still)
    for (const r of cx.remat.keys()) needed.delete(r);
    return { needed, contents };
  }
  // Dry runs find what the adjoint sweep reads. Restoring an overwritten element reads its index too
  // (`t[k % n] = saved.pop()` needs k restored), which a run without those restores cannot see:
  // each run generates the previous one's restores, until nothing new is read.
  const groups = aliasGroups(fn);
  /** arrays and records whose elements or fields the function writes */
  const storeRoots: string[] = [];
  forEachStmt(fn.body, (s) => { const r = s.k === "store" ? rootOf(s.target) : undefined; if (r) storeRoots.push(r); });
  let needed = new Set<string>();
  let contentsNeeded = new Set<string>();
  for (let pass = 0; pass < 4; pass++) {
    cx.adjointReads.clear();
    cx.readsAfter.clear();
    cx.cur = names.clone();
    const found = neededBy(generate(cx, generatedName, needed, contentsNeeded).rev);
    const settled = found.needed.size === needed.size && found.contents.size === contentsNeeded.size;
    needed = found.needed;
    contentsNeeded = found.contents;
    if (settled || !storeRoots.some((r) => contentsNeeded.has(r))) break;
  }
  cx.readCalleeWrites = argumentWritesReadByAdjoint(fn, cx.adjointReads, host.calleeBody);
  if (options.optimize) cx.saveAt = assignmentsToSave(fn.body, cx.adjointReads, cx.readsAfter, cx.independent);
  cx.cur = names;
  cx.dryRun = false;
  const out = generate(cx, generatedName, needed, contentsNeeded);
  if (options.optimize) {
    const hoisting = hoistContext();
    // accumulators first: rows hoisted out of a loop would hide which shadow each access goes through
    const live = removeDeadAssignments(hoistInvariantRows(promoteAccumulators(out.fn.body, hoisting), hoisting));
    // a replay emptied by dead code leaves its trace records dead, and without them the counters they recorded
    const traced = removeDeadTraces(live);
    const body = removeUnusedStacks(traced === live ? live : removeDeadAssignments(traced), Object.values(cx.lastStacks));
    const merged = mergeIncrements(shareCommonCalls(body, (base) => cx.cur.fresh(base)));
    const inPlace = readSnapshotsInPlace(merged, {
      savedStack: cx.lastStacks.saved,
      stacks: hoisting.stacks,
      isTypedArray: (x) => cx.typeOf(x).k === "typed",
      isNumber: (x) => cx.typeOf(x).k === "num",
      sharing: hoisting.sharing,
      fresh: hoisting.fresh,
    });
    const shared = shareElementReads(inPlace, { isShadow: hoisting.isShadow, typeOf: (x) => cx.typeOf(x), fresh: hoisting.fresh });
    // last: the copies it leaves (`const adj1 = ti`) may be of the shared reads
    out.fn.body = options.unitSeed ? foldConstantAdjoints(shared, numericAdjoints()) : shared;
  }
  return { fn: out.fn, active: cx.active };

  /** the result's adjoint (the seed) and every other number's */
  function numericAdjoints(): Set<string> {
    const out = new Set([cx.adjName(fn.result)]);
    for (const [x, a] of cx.adj) if (cx.isNumeric(x)) out.add(a);
    return out;
  }

  function holdsRecords(t: VType): boolean {
    if (t.k === "record" || t.k === "unknown") return true;
    if (t.k === "array") return holdsRecords(t.elem);
    return t.k === "tuple" && t.elems.some(holdsRecords);
  }

  /** What the row hoisting may assume: containers are parameters, their shadows, or set once up front. */
  function hoistContext(): HoistContext {
    const primalOf = new Map([...cx.adj].map(([x, a]) => [a, x]));
    const settled = (x: string) => cx.isParam(x) || cx.definedOnce(x);
    const sharedWith = new Map<string, readonly string[]>();
    // shadows share as their values do, and never with a value
    for (const g of groups) {
      const shadows = g.filter((x) => cx.adj.has(x)).map((x) => cx.adj.get(x)!);
      for (const x of g) sharedWith.set(x, g);
      for (const x of shadows) sharedWith.set(x, shadows);
    }
    return {
      isStructured: (x) => {
        const primal = primalOf.get(x) ?? x;
        return structured(cx.typeOf(primal)) && settled(primal);
      },
      isShadow: (x) => primalOf.has(x),
      // a caller may pass one shadow for two parameters (`g(p, p)`), or a part of one for another
      mayHoldCallerShadow: (x) => {
        const primal = primalOf.get(x);
        return primal !== undefined && holdsRecords(cx.typeOf(primal)) && (sharedWith.get(primal) ?? [primal]).some((y) => cx.isParam(y));
      },
      surelyHasField: (x, field) => {
        const primal = primalOf.get(x);
        const t = primal === undefined ? undefined : cx.typeOf(primal);
        return t?.k === "record" && t.fields.some((f) => f.name === field && !f.optional);
      },
      sharing: (x) => sharedWith.get(x) ?? [x],
      stacks: new Set(Object.values(cx.lastStacks)),
      fresh: (base) => cx.cur.fresh(base),
    };
  }
}
