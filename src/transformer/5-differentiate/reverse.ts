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
import type { Expr, Func, FnRef, Loc, OStmt, Stmt, VType } from "../ir/ir.js";
import { carriesNumbers, forEachChild, rootOf, v, writtenRoot } from "../ir/ir.js";
import type { Names } from "../ir/names.js";
import { analyseActivity } from "../4-analyse/activity.js";
import { aliasGroups } from "../4-analyse/aliases.js";
import { assignmentsToSave } from "../4-analyse/tbr.js";
import { paramsWritten } from "../4-analyse/writes.js";
import { rematerializable } from "../4-analyse/remat.js";
import { independentLoops, type IndependentLoop } from "../4-analyse/independent-loops.js";
import { diffReads, allReads } from "../4-analyse/reads.js";
import { add, cond, div, mul, neg, num } from "./build.js";
import { mathPartials, powPartials, RESULT_PARTIALS } from "./rules.js";
import { hoistInvariantRows, type HoistContext } from "./hoist.js";
import { removeDeadAssignments } from "./dead-code.js";
import { shareCommonCalls } from "./common-subexpressions.js";
import { mergeIncrements } from "./merge-increments.js";
import { diag, type Diag } from "../diagnostics.js";

export interface ReverseHost {
  /** expression naming the generated derivative of `ref` for the given active arguments */
  /** the generated derivative of `ref` for the given active arguments: how to call it, and which
   *  arguments' shadows it accepts (after the cotangent) to accumulate into in place */
  derivativeOf(ref: FnRef, activeArgs: boolean[], loc: Loc | undefined, receiver?: Expr): { callee: Expr; shadowArgs: number[] };
  error(d: Diag): void;
  runtime(name: string): Expr;
  /** the first parameter the called function writes into (elements, fields, push), if any */
  writtenParam(ref: FnRef): string | undefined;
}

export interface ReverseOptions {
  /** false: save every overwritten local and use no counter inversion (the plain transform) */
  optimize: boolean;
  /** return a copy of an array/record result taken before the adjoint sweep (which may pop it) */
  snapshotResult?: boolean;
  /** return `[value, gradient]` (valueAndGrad); else the gradient alone, and the value's own code is dead */
  withValue?: boolean;
}

export interface ReverseResult {
  fn: OStmt & { k: "fn" };
  active: Set<string>;
}

interface Swept {
  fwd: OStmt[];
  rev: OStmt[];
}

interface Contribution {
  target: Expr;
  value: Expr;
  /** the target holds an array/record adjoint: accumulate element-wise */
  structural: boolean;
}

const isSimple = (e: Expr): boolean => e.k === "var" || e.k === "num" || e.k === "free";
const set = (target: Expr, op: "=" | "+=" | "-=", value: Expr, note?: string): OStmt => ({ k: "set", target, op, value, note });
const call = (callee: Expr, ...args: Expr[]): Expr => ({ k: "call", callee, args });
const method = (obj: string | Expr, name: string, ...args: Expr[]): Expr => call({ k: "prop", obj: typeof obj === "string" ? v(obj) : obj, name }, ...args);
const UNDEFINED: Expr = { k: "lit", text: "undefined" };

/** `t + e`, `e + t` or `t - e` stored into t: the increment (`e`, `-e`); else undefined. */
function incrementOf(target: Expr, e: Expr): Expr | undefined {
  if (e.k !== "bin" || (e.op !== "+" && e.op !== "-")) return undefined;
  const same = (x: Expr) => JSON.stringify(x) === JSON.stringify(target);
  if (same(e.a)) return e.op === "+" ? e.b : { k: "un", op: "-", a: e.b };
  if (e.op === "+" && same(e.b)) return e.a;
  return undefined;
}

/** `x = x + c` / `x = x - c` with an integer literal c: undone exactly by the inverse step. */
function counterStep(s: Stmt & { k: "assign" }): Expr | undefined {
  const e = s.e;
  if (e.k !== "bin" || (e.op !== "+" && e.op !== "-")) return undefined;
  const [x, c] = e.a.k === "var" && e.a.name === s.name ? [e.a, e.b] : e.op === "+" && e.b.k === "var" && e.b.name === s.name ? [e.b, e.a] : [];
  if (!x || !c || c.k !== "num" || !Number.isInteger(c.v)) return undefined;
  return { k: "bin", op: e.op === "+" ? "-" : "+", a: x, b: c };
}

function forEachStmt(body: Stmt[], visit: (s: Stmt, nested: boolean) => void, nested = false): void {
  for (const s of body) {
    visit(s, nested);
    if (s.k === "if") { forEachStmt(s.then, visit, true); forEachStmt(s.else, visit, true); }
    else if (s.k === "while") forEachStmt(s.body, visit, true);
  }
}

const lengthOf = (e: Expr): Expr => ({ k: "prop", obj: e, name: "length" });
const sameExpr = (a: Expr, b: Expr) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Element stores that cannot make their array longer, so neither it nor its shadow changes length:
 * `t[e]` where a loop's or an if's test `e < t.length` holds (nothing since assigned a local that e
 * or t reads; a loop's test holds again every iteration), also as `e < n` when every value t is set
 * to is `new Array(n)` (`.fill(0)`) with n fixed; `t[t.length - 1]` and `t[k % t.length]` (below the
 * length, or not an index at all); `t[c]` below the length of every array literal t is ever set to.
 * Any other store may write past the end, which grows the array in JavaScript, and its shadow must
 * grow and shrink back with it.
 */
function storesInRange(fn: Func): Set<Stmt> {
  const out = new Set<Stmt>();
  /** `index < limit` holds here; `names` are the locals whose assignment ends it */
  interface Bound { index: Expr; limit: Expr; names: Set<string> }
  // locals handed to a call (which might shorten them), what each local is set to (and whether
  // only once, outside loops and branches), arrays written into, `x.length = n`
  const handed = new Map<string, number>();
  const setTo = new Map<string, Expr[]>();
  const setOnTop = new Set<string>();
  const writtenInto = new Set<string>();
  let lengthWritten = false;
  const visitCalls = (e: Expr): void => {
    if (e.k === "call" || e.k === "new") {
      const passed = [...e.args, ...(e.k === "call" && e.receiver ? [e.receiver] : []), ...(e.callee.k === "prop" ? [e.callee.obj] : [])];
      for (const a of passed) {
        const r = a.k === "prop" && a.name === "length" ? undefined : rootOf(a);
        if (r) handed.set(r, (handed.get(r) ?? 0) + 1);
      }
    }
    forEachChild(e, visitCalls);
  };
  forEachStmt(fn.body, (s, nested) => {
    const w = writtenRoot(s);
    if (w) writtenInto.add(w);
    if (s.k === "assign") { setTo.set(s.name, [...(setTo.get(s.name) ?? []), s.e]); if (!nested) setOnTop.add(s.name); visitCalls(s.e); }
    else if (s.k === "store") { lengthWritten ||= s.target.k === "prop" && s.target.name === "length"; visitCalls(s.target); visitCalls(s.e); }
    else if (s.k === "push" || s.k === "expr" || s.k === "throw") visitCalls(s.e);
    else if (s.k === "if" || s.k === "while") visitCalls(s.c);
  });
  /** a local that holds one value throughout (a parameter, or set once up front), whose length no write changes */
  const fixed = (x: string): boolean =>
    !handed.has(x) && !writtenInto.has(x) && (setTo.get(x)?.length ?? 0) === (setOnTop.has(x) ? 1 : 0) && (setOnTop.has(x) || fn.params.some((p) => p.name === x));
  /** n when every value local x is set to is `new Array(n)` or `new Array(n).fill(c)`, n reading only fixed locals */
  const createdWithLength = (x: string, seen = new Set<string>(), fillOnly = false): Expr | undefined => {
    const defs = setTo.get(x);
    // (the receiver of `.fill(0)` is handed to that call only)
    if (!defs || seen.has(x) || (handed.get(x) ?? 0) > (fillOnly ? 1 : 0) || lengthWritten) return undefined;
    seen.add(x);
    const lengths = defs.map((e): Expr | undefined => {
      if (e.k === "new" && e.callee.k === "free" && e.callee.path === "Array" && e.args.length === 1) return e.args[0];
      if (e.k === "call" && e.callee.k === "prop" && e.callee.name === "fill" && e.callee.obj.k === "var") return createdWithLength(e.callee.obj.name, seen, true);
      return e.k === "var" ? createdWithLength(e.name, seen) : undefined;
    });
    const n = lengths[0];
    return n && lengths.every((m) => m && sameExpr(m, n)) && [...allReads(n)].every(fixed) ? n : undefined;
  };
  /** the least length local x can have (0 when unknown): every value it is set to is an array literal */
  const minLength = (x: string, seen = new Set<string>()): number => {
    const defs = setTo.get(x);
    if (!defs || seen.has(x) || handed.has(x) || lengthWritten || fn.params.some((p) => p.name === x)) return 0;
    seen.add(x);
    return Math.min(...defs.map((e) => (e.k === "array" ? e.elems.length : e.k === "var" ? minLength(e.name, seen) : 0)));
  };
  const assigns = (stmts: Stmt[], names: Set<string>): boolean => {
    let hit = false;
    forEachStmt(stmts, (s) => {
      if (s.k === "assign" && names.has(s.name)) hit = true;
      // `t.length = 0`, or a call handed what the bound reads, could shorten the array
      if (s.k === "store" && s.target.k === "prop" && s.target.name === "length") hit = true;
      if ((s.k === "assign" || s.k === "expr") && (s.e.k === "call" || s.e.k === "new") && [...allReads(s.e)].some((r) => names.has(r))) hit = true;
    });
    return hit;
  };
  const boundsOf = (c: Expr): Bound[] => {
    if (c.k === "bin" && c.op === "&&") return [...boundsOf(c.a), ...boundsOf(c.b)];
    if (c.k === "bin" && c.op === "<") return [{ index: c.a, limit: c.b, names: new Set([...allReads(c.a), ...allReads(c.b)]) }];
    return [];
  };
  const inRange = (t: Expr & { k: "index" }, live: Bound[]): boolean => {
    const ix = t.index;
    const n = t.obj.k === "var" ? createdWithLength(t.obj.name) : undefined;
    if (live.some((b) => sameExpr(b.index, ix) && (sameExpr(b.limit, lengthOf(t.obj)) || (n && sameExpr(b.limit, n))))) return true;
    if (ix.k === "num") return Number.isInteger(ix.v) && ix.v >= 0 && t.obj.k === "var" && ix.v < minLength(t.obj.name);
    if (ix.k === "bin" && ix.op === "-" && sameExpr(ix.a, lengthOf(t.obj)) && ix.b.k === "num" && ix.b.v >= 1) return true;
    return ix.k === "bin" && ix.op === "%" && sameExpr(ix.b, lengthOf(t.obj));
  };
  const walk = (stmts: Stmt[], live: Bound[]): void => {
    for (const s of stmts) {
      if (s.k === "store" && s.target.k === "index" && inRange(s.target, live)) out.add(s);
      else if (s.k === "if") { walk(s.then, [...live, ...boundsOf(s.c)]); walk(s.else, live); }
      // a bound from outside holds in the body only if no iteration can end it
      else if (s.k === "while") walk(s.body, [...live.filter((b) => !assigns(s.body, b.names)), ...boundsOf(s.c)]);
      live = live.filter((b) => !assigns([s], b.names));
    }
  };
  walk(fn.body, []);
  return out;
}

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

export function differentiate(
  fn: Func,
  generatedName: string,
  activeParams: boolean[],
  names: Names,
  host: ReverseHost,
  options: ReverseOptions = { optimize: true },
): ReverseResult {
  const activeNames = fn.params.filter((p, i) => activeParams[i] && carriesNumbers(p.type)).map((p) => p.name);
  const { active, varied } = analyseActivity(fn, activeNames);
  const isParam = (x: string) => fn.params.some((p) => p.name === x);

  // Facts about every local's assignments, for saving and restoring.
  const defs = new Map<string, number>();
  /** declarations per name: an inlined function's parameter is declared again at every call */
  const decls = new Map<string, number>();
  const topDefs = new Set<string>();
  const counters = new Set<string>();
  const notCounters = new Set<string>();
  const written = new Set<string>();
  forEachStmt(fn.body, (s, nested) => {
    const r = writtenRoot(s);
    if (r) written.add(r);
    if (s.k !== "assign") return;
    defs.set(s.name, (defs.get(s.name) ?? 0) + 1);
    if (s.decl) decls.set(s.name, (decls.get(s.name) ?? 0) + 1);
    if (!nested) topDefs.add(s.name);
    const isInit = s.e.k === "num" && Number.isInteger(s.e.v);
    if (isInit || counterStep(s)) counters.add(s.name);
    else notCounters.add(s.name);
  });
  for (const n of notCounters) counters.delete(n);
  if (!options.optimize) counters.clear();
  for (const p of fn.params) { counters.delete(p.name); defs.set(p.name, (defs.get(p.name) ?? 0) + 1); }
  const definedOnce = (name: string) => defs.get(name) === 1 && topDefs.has(name);

  /** conditions of the conditional expressions backprop is inside of */
  const guards: Expr[] = [];
  const adj = new Map<string, string>();
  const adjName = (x: string) => {
    let a = adj.get(x);
    if (!a) { a = names.fresh(`d${x[0].toUpperCase() === x[0] ? "_" + x : x}`); adj.set(x, a); }
    return a;
  };
  const typeOf = (x: string): VType => fn.types.get(x) ?? { k: "unknown" };
  const isNumeric = (x: string) => typeOf(x).k === "num";
  const structured = (t: VType | undefined) => t !== undefined && t.k !== "num" && t.k !== "none" && t.k !== "unknown";
  /** an active local whose value is an array or record, so it has a shadow */
  const hasShadow = (x: string) => active.has(x) && x !== fn.result && structured(typeOf(x));

  const inRangeStores = storesInRange(fn);
  // Loops whose adjoint runs forwards: their body's assignments restore nothing (each iteration
  // replays its temporaries), and a counter stepped only there is restored like any other local.
  const independent = options.optimize ? independentLoops(fn, (x) => fn.types.get(x), (s) => inRangeStores.has(s)) : new Map<Stmt, IndependentLoop>();
  const unrestored = new Set<Stmt>();
  const loopLocals = new Set<string>();
  for (const loop of independent.keys()) {
    for (const b of (loop as Stmt & { k: "while" }).body) { unrestored.add(b); if (b.k === "assign") loopLocals.add(b.name); }
  }
  const steppedBackwards = new Set<string>();
  forEachStmt(fn.body, (s) => { if (s.k === "assign" && counterStep(s) && !unrestored.has(s)) steppedBackwards.add(s.name); });
  for (const c of [...counters]) if (!steppedBackwards.has(c)) counters.delete(c);

  // Pass 1 finds what the adjoint sweep reads; pass 2 generates, saving exactly that.
  let cur = names.clone();
  let dryRun = true;
  let lastStacks: { saved?: string; objs?: string; trace?: string } = {};
  /** while differentiating an assignment's right side: the Math call whose value the target holds */
  let resultOf: { node: Expr; value: Expr } | undefined;
  const report = (d: Diag) => { if (!dryRun) host.error(d); };
  // locals the adjoint sweep re-reads from their definition instead of restoring them
  const remat = new Map<string, Expr>();
  /** the assignment defining each recomputed local (and recomputed shadow) */
  const rematDef = new Map<string, Stmt>();
  for (const [x, { e, def }] of options.optimize ? rematerializable(fn) : []) {
    // locals defined once outside loops and branches keep their value through the adjoint sweep
    if (definedOnce(x)) continue;
    // a recomputed alias (`row = m[i]`) recomputes its shadow the same way (`drow = dm[i]`)
    if (hasShadow(x)) {
      const path = adjointPath(e);
      if (!path) continue;
      remat.set(adjName(x), path);
      rematDef.set(adjName(x), def);
    }
    remat.set(x, e);
    rematDef.set(x, def);
  }
  /** what each statement's adjoint reads (from the dry run), for the per-assignment TBR below */
  const adjointReads = new Map<Stmt, Set<string>>();
  /** assignments whose adjoint reads the value they assigned, not the one they overwrote */
  const readsAfter = new Map<Stmt, Set<string>>();
  let saveAt: Set<Stmt> | undefined;
  function collect(stmts: OStmt[], needed: Set<string>): void {
    for (const s of stmts) {
      switch (s.k) {
        case "let": if (s.init) allReads(s.init, needed); break;
        // a local assigned is written, not read (`s = saved.pop()`); an element's path is read
        case "set": if (s.target.k !== "var" || s.op !== "=") allReads(s.target, needed); allReads(s.value, needed); break;
        case "do": allReads(s.e, needed); break;
        case "if": allReads(s.c, needed); collect(s.then, needed); collect(s.else, needed); break;
        case "countdown": collect(s.body, needed); break;
        case "while": allReads(s.c, needed); collect(s.body, needed); break;
        default: break;
      }
    }
  }
  /** The to-be-recorded sets from a dry run's adjoint sweep: locals to restore, and arrays/records whose contents to. */
  function neededBy(rev: OStmt[]): { needed: Set<string>; contents: Set<string> } {
    const needed = new Set<string>();
    collect(rev, needed);
    for (const a of adj.values()) needed.delete(a);
    if (!options.optimize) {
      forEachStmt(fn.body, (s) => { if (s.k === "assign") needed.add(s.name); });
      for (const w of written) needed.add(w);
    }
    // the result is returned after the adjoint sweep, which must not restore it; flags only steer the forward sweep
    needed.delete(fn.result);
    for (const flag of fn.flags) needed.delete(flag);
    // a value read through one name may be written through another
    for (const group of groups) if (group.some((x) => needed.has(x))) for (const x of group) needed.add(x);
    // elements and fields are restored through any name (a recomputed `row = m[i]` included)...
    const contents = new Set(needed);
    // ...but recomputed locals themselves never are (remat checked their operands hold still)
    for (const r of remat.keys()) needed.delete(r);
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
    adjointReads.clear();
    readsAfter.clear();
    cur = names.clone();
    const found = neededBy(generate(needed, contentsNeeded).rev);
    const settled = found.needed.size === needed.size && found.contents.size === contentsNeeded.size;
    needed = found.needed;
    contentsNeeded = found.contents;
    if (settled || !storeRoots.some((r) => contentsNeeded.has(r))) break;
  }
  if (options.optimize) saveAt = assignmentsToSave(fn.body, adjointReads, readsAfter, independent);
  cur = names;
  dryRun = false;
  const out = generate(needed, contentsNeeded);
  if (options.optimize) {
    const body = removeDeadAssignments(hoistInvariantRows(out.fn.body, hoistContext()));
    out.fn.body = mergeIncrements(shareCommonCalls(body, (base) => cur.fresh(base)));
  }
  return { fn: out.fn, active };

  /** What the row hoisting may assume: containers are parameters, their shadows, or set once up front. */
  function hoistContext(): HoistContext {
    const primalOf = new Map([...adj].map(([x, a]) => [a, x]));
    const settled = (x: string) => isParam(x) || definedOnce(x);
    const sharedWith = new Map<string, string[]>();
    // shadows share as their values do, and never with a value
    for (const g of groups) {
      const shadows = g.filter((x) => adj.has(x)).map((x) => adj.get(x)!);
      for (const x of g) sharedWith.set(x, g);
      for (const x of shadows) sharedWith.set(x, shadows);
    }
    return {
      isStructured: (x) => {
        const primal = primalOf.get(x) ?? x;
        return structured(typeOf(primal)) && settled(primal);
      },
      sharing: (x) => sharedWith.get(x) ?? [x],
      stacks: new Set(Object.values(lastStacks)),
      fresh: (base) => cur.fresh(base),
    };
  }

  function generate(needed: Set<string>, contentsNeeded: Set<string>): { fn: OStmt & { k: "fn" }; rev: OStmt[] } {
    const local = cur;
    const stacks: { saved?: string; objs?: string; trace?: string } = {};
    lastStacks = stacks;
    const stack = (kind: "saved" | "objs" | "trace") => (stacks[kind] ??= local.fresh(kind === "saved" ? "saved" : kind === "objs" ? "savedObjs" : "trace"));
    const hoisted = new Set<string>();
    const inlineConst = new Set<string>();
    const noteOf = (loc: Loc | undefined) => (loc ? `${loc.file}:${loc.line}  ${loc.text}` : undefined);

    const sweep = (stmts: Stmt[], nested: boolean): Swept => {
      const fwd: OStmt[] = [];
      const rev: OStmt[] = [];
      const done: Swept[] = [];
      for (const s of stmts) {
        const one = statement(s, nested);
        fwd.push(...one.fwd);
        done.push(one);
      }
      if (remat.size > 0) recomputeDefinedHere(stmts, done);
      for (const one of done) rev.unshift(...one.rev);
      return { fwd, rev };
    };

    /**
     * A local defined in `stmts` that the adjoint reads is recomputed from its definition (valid by
     * the check in remat: nothing it reads changes between the definition and its last read) once,
     * just before the adjoint of the last statement of `stmts` that reads it, so outside any inner
     * loop that reads it. Instead of being saved in the forward sweep.
     */
    function recomputeDefinedHere(stmts: Stmt[], done: Swept[]): void {
      const placed = new Set<string>();
      for (let j = stmts.length - 1; j >= 0; j--) {
        const s = stmts[j], one = done[j];
        if (one.rev.length === 0) continue;
        const reads = new Set<string>();
        collect(one.rev, reads);
        const again: string[] = [];
        const visit = (r: string) => {
          const def = rematDef.get(r);
          if (!def || !stmts.includes(def) || placed.has(r) || again.includes(r) || (s.k === "assign" && s.name === r) || loopLocals.has(r)) return;
          for (const dep of allReads(remat.get(r)!)) visit(dep);
          again.push(r);
        };
        for (const r of reads) visit(r);
        if (again.length === 0) continue;
        for (const r of again) {
          placed.add(r);
          // what the recomputation reads is read by the adjoint right after the definition
          if (dryRun) for (const x of allReads(remat.get(r)!)) adjointReads.get(rematDef.get(r)!)?.add(x);
        }
        const note = one.rev[0].note;
        one.rev = [...again.map((r) => set(v(r), "=", remat.get(r)!)), ...one.rev.map((o, i) => (i === 0 ? { ...o, note: undefined } : o))];
        one.rev[0] = { ...one.rev[0], note };
      }
    }

    const statement = (s: Stmt, nested: boolean): Swept => {
      // a callee that changes an argument carrying gradient makes the adjoint sweep's recomputation wrong
      if ((s.k === "assign" || s.k === "expr") && (s.e.k === "call" || s.e.k === "new") && s.e.fn && !dryRun) {
        const args = s.e.k === "call" && s.e.receiver ? [s.e.receiver, ...s.e.args] : s.e.args;
        // varied, not only active: the write itself is what would carry the gradient
        const written = args.some((a) => [...diffReads(a)].some((r) => varied.has(r))) ? host.writtenParam(s.e.fn) : undefined;
        if (written) report(diag.mutatingCallee(s.loc ?? fn.loc, s.e.fn.name.replace(/\$/g, "."), written));
      }
      let one: Swept;
      switch (s.k) {
        case "assign": one = assign(s, nested); break;
        case "store": one = store(s, nested); break;
        case "push": one = push(s); break;
        case "expr": one = { fwd: [{ k: "do", e: s.e }], rev: [] }; break;
        case "throw": one = { fwd: [{ k: "throw", e: s.e }], rev: [] }; break;
        case "if": return branch(s, nested);
        case "while": return loop(s, nested);
        default: throw new Error(`unstructured statement ${s.k} reached differentiation`);
      }
      if (dryRun) {
        const reads = new Set<string>();
        collect(one.rev, reads);
        if (s.k === "assign" && readsAfter.has(s)) reads.delete(s.name);
        adjointReads.set(s, reads);
      }
      const note = noteOf(s.loc);
      if (one.rev.length > 0 && note) one.rev[0] = { ...one.rev[0], note };
      return one;
    };

    /** Saves `value` (a number, or anything) in the forward sweep; returns how the adjoint sweep gets it back. */
    function keep(value: Expr, numeric: boolean, nested: boolean, base: string, fwd: OStmt[]): Expr {
      if (!nested) {
        const old = local.fresh(base);
        fwd.push({ k: "let", name: old, init: value, konst: true });
        return v(old);
      }
      const st = numeric ? stack("saved") : stack("objs");
      fwd.push({ k: "do", e: method(st, "push", value) });
      return method(st, "pop");
    }

    function assign(s: Stmt & { k: "assign" }, nested: boolean): Swept {
      const x = s.name;
      const fwd: OStmt[] = [];
      const restores: OStmt[] = [];
      // a top-level declaration's old value is the temporal dead zone: nothing reads it
      const fresh = definedOnce(x) || (s.decl === true && !nested && decls.get(x) === 1);
      const shadow = hasShadow(x);
      if (active.has(x) && typeOf(x).k === "unknown") report(diag.unknownType(s.loc ?? fn.loc, x));
      // the old value (and the old shadow), so the adjoint sweep can restore them
      // numbers are saved only where the overwritten value is read (TBR); counters restore by
      // stepping back, which needs every value in the chain; arrays and records are shared by
      // reference, so they are kept whenever any of their values is read
      const tbr = saveAt === undefined || counters.has(x) || !isNumeric(x) || saveAt.has(s);
      if (needed.has(x) && !fresh && tbr && !unrestored.has(s)) {
        const step = counters.has(x) ? counterStep(s) : undefined;
        restores.push(set(v(x), "=", step ?? keep(v(x), isNumeric(x), nested, `${x}_old`, fwd)));
      }
      if (shadow && !fresh && !remat.has(adjName(x))) restores.unshift(set(v(adjName(x)), "=", keep(v(adjName(x)), false, nested, `${adjName(x)}_old`, fwd)));

      const rule = s.e.k === "call" && s.e.rule && active.has(x) ? ruleForward(s.e, x, nested, fwd) : undefined;
      if (!rule) {
        if (definedOnce(x) && !nested) { inlineConst.add(x); fwd.push({ k: "let", name: x, init: s.e, konst: true }); }
        // declared where the user declared it when that is at the top level of the function
        else if (s.decl && !nested && !inlineConst.has(x)) { inlineConst.add(x); fwd.push({ k: "let", name: x, init: s.e }); }
        else { hoisted.add(x); fwd.push(set(v(x), "=", s.e)); }
      }
      if (shadow) { hoisted.add(adjName(x)); fwd.push(set(v(adjName(x)), "=", shadowOf(s.e, v(x), typeOf(x)))); }
      if (!active.has(x)) return { fwd, rev: restores };

      const rev: OStmt[] = [];
      const dx = v(adjName(x));
      if (shadow) {
        // structured: the adjoint of this definition is seeded by its own shadow
        // the restores overwrite the shadow: its value is captured first, if the adjoint reads it
        const cur = fresh ? undefined : local.numbered("dvalue");
        const adjoint = definitionAdjoint(s.e, cur ? v(cur) : dx, rule, s.loc, true);
        if (cur && adjoint.length > 0) rev.push({ k: "let", name: cur, init: dx, konst: true });
        rev.push(...restores, ...adjoint);
        return { fwd, rev };
      }
      // `x = Math.tanh(s)`: the derivative reads x itself, so it goes before x is restored
      // (only for x's one definition: another would have to save x just for this)
      const fromResult = !rule && defs.get(x) === 1 && usesResult(s.e, x);
      if (fromResult && dryRun) readsAfter.set(s, new Set([x]));
      if (!fromResult) rev.push(...restores);
      resultOf = fromResult ? { node: s.e, value: v(x) } : undefined;
      const { contribs, pre } = adjointOf(s.e, dx, rule, s.loc, false);
      resultOf = undefined;
      rev.push(...pre);
      const self: Expr[] = [];
      for (const c of mergeContributions(contribs)) {
        if (c.target.k === "var" && c.target.name === adjName(x) && !c.structural) self.push(c.value);
        else rev.push(emitContribution(c));
      }
      if (fromResult) rev.push(...restores);
      const reread = nested || !fresh;
      const selfSum = self.length > 0 ? self.reduce(add) : undefined;
      if (selfSum) { if (!(selfSum.k === "var" && selfSum.name === adjName(x))) rev.push(set(dx, "=", selfSum)); }
      // a local defined once, outside loops and branches, is never read again by the adjoint sweep
      else if (isNumeric(x) && reread) rev.push(set(dx, "=", num(0)));
      return { fwd, rev };
    }

    /**
     * `Math.tanh(z * w)` (or exp, sqrt) over numeric locals, none of them `target`: its derivative
     * may read the assigned value instead of evaluating the function again (before the value is
     * restored, so nothing it reads may be restored with it).
     */
    function usesResult(e: Expr, target: string): boolean {
      const numeric = (a: Expr): boolean =>
        a.k === "num" || (a.k === "var" && a.name !== target && isNumeric(a.name)) ||
        (a.k === "bin" && ["+", "-", "*", "/"].includes(a.op) && numeric(a.a) && numeric(a.b)) || (a.k === "un" && a.op === "-" && numeric(a.a));
      return options.optimize && e.k === "math" && RESULT_PARTIALS.has(e.fn) && e.args.every(numeric);
    }

    /** Adjoint of a value-producing expression seeded by `g` (for arrays/records: g is its shadow). */
    function definitionAdjoint(e: Expr, g: Expr, rule: Expr | undefined, loc: Loc | undefined, aliased: boolean): OStmt[] {
      const { contribs, pre } = adjointOf(e, g, rule, loc, aliased);
      return [...pre, ...mergeContributions(contribs).map(emitContribution)];
    }

    /** What the adjoint `g` of a value-producing expression adds to the locals it reads. */
    function adjointOf(e: Expr, g: Expr, rule: Expr | undefined, loc: Loc | undefined, aliased: boolean): { contribs: Contribution[]; pre: OStmt[] } {
      const contribs: Contribution[] = [];
      const pre: OStmt[] = [];
      if (rule) ruleAdjoint(e as Expr & { k: "call" }, rule, g, contribs, pre);
      else if ((e.k === "call" || e.k === "new") && e.fn) callAdjoint(e, e.fn, g, contribs, pre, loc);
      else if (e.k === "call" || e.k === "new") opaque(e, loc);
      else backprop(e, g, contribs, pre, aliased);
      return { contribs, pre };
    }

    function opaque(e: Expr, loc: Loc | undefined): void {
      if ([...diffReads(e)].some((r) => active.has(r)))
        report(diag.opaqueCall(loc ?? fn.loc, e.k === "call" ? e.opaqueName ?? calleeText(e.callee) : "new"));
    }

    /** `target = e`, an element or field of a local. */
    function store(s: Stmt & { k: "store" }, nested: boolean): Swept {
      const { fwd, rev } = storeAtIndex(s);
      const t = s.target;
      const arrType = t.k === "index" ? pathType(t.obj) : undefined;
      if (t.k !== "index" || inRangeStores.has(s) || (arrType?.k !== "array" && arrType?.k !== "tuple")) return { fwd, rev };
      if (arrType.k === "tuple" && t.index.k === "num" && t.index.v >= 0 && t.index.v < arrType.elems.length) return { fwd, rev };
      // past the end the store makes the array longer (`t[0] = e` with t = []): its shadow grows
      // with zeros (a structured element's own shadow store already grows it), and undoing the store
      // shrinks both back, so the gradient keeps the array's shape and reads that were past the end
      // (guarded by the shadow's length) stay without an adjoint
      const r = rootOf(t)!;
      const shadow = active.has(r) ? adjointPath(t.obj) : undefined;
      const restoresValue = contentsNeeded.has(r);
      if (!shadow && !restoresValue) return { fwd, rev };
      // the length is saved before, and restored after, what the store itself saves and restores
      const lenName = nested ? local.numbered("oldLength") : local.fresh("oldLength");
      const len = v(lenName);
      const saveLength: OStmt = nested ? { k: "do", e: method(stack("saved"), "push", lengthOf(t.obj)) } : { k: "let", name: lenName, init: lengthOf(t.obj), konst: true };
      const grow: OStmt[] = shadow && !structured(pathType(t))
        ? [{ k: "while", c: { k: "bin", op: "<", a: lengthOf(shadow), b: lengthOf(t.obj) }, body: [{ k: "do", e: method(shadow, "push", num(0)) }] }]
        : [];
      const shrink: OStmt[] = [
        ...(nested ? [{ k: "let", name: lenName, init: method(stack("saved"), "pop"), konst: true } as OStmt] : []),
        { k: "if", c: { k: "bin", op: ">", a: lengthOf(shadow ?? t.obj), b: len }, then: [...(shadow ? [set(lengthOf(shadow), "=", len)] : []), ...(restoresValue ? [set(lengthOf(t.obj), "=", len)] : [])], else: [] },
      ];
      return { fwd: [saveLength, ...fwd, ...grow], rev: [...rev, ...shrink] };
    }

    function storeAtIndex(s: Stmt & { k: "store" }): Swept {
      const r = rootOf(s.target)!;
      const fwd: OStmt[] = [];
      const rev: OStmt[] = [];
      const rActive = active.has(r);
      const elemType = pathType(s.target) ?? exprType(s.e);
      const elemStructured = structured(elemType);
      const shadowTarget = rActive ? adjointPath(s.target) : undefined;
      let restoreValue: OStmt | undefined, restoreShadow: OStmt | undefined;
      // (a loop with independent iterations saves the elements it stores in one range instead)
      if (contentsNeeded.has(r) && !unrestored.has(s)) restoreValue = set(s.target, "=", keep(s.target, !elemStructured, true, "old", fwd));
      if (shadowTarget && elemStructured) restoreShadow = set(shadowTarget, "=", keep(shadowTarget, false, true, "old", fwd));
      fwd.push(set(s.target, "=", s.e));
      if (shadowTarget && elemStructured) fwd.push(set(shadowTarget, "=", shadowOf(s.e, s.target, elemType)));
      if (!shadowTarget) return { fwd, rev: restoreValue ? [restoreValue] : [] };
      // `t = t + e` (`t += e`): the old t's adjoint is the new one, so only e's adjoint is added
      const increment = !elemStructured ? incrementOf(s.target, s.e) : undefined;
      if (increment) {
        const g = local.numbered("dvalue");
        const adjoint = definitionAdjoint(increment, v(g), undefined, s.loc, false);
        if (adjoint.length > 0) rev.push({ k: "let", name: g, init: shadowTarget, konst: true });
        if (restoreValue) rev.push(restoreValue);
        rev.push(...adjoint);
        return { fwd, rev };
      }
      const g = local.numbered("dvalue");
      rev.push({ k: "let", name: g, init: shadowTarget, konst: true });
      if (!elemStructured) rev.push(set(shadowTarget, "=", num(0)));
      if (restoreShadow) rev.push(restoreShadow);
      // `h[j] = Math.tanh(s)`: the derivative reads h[j] itself, so it goes before h[j] is restored
      // (in a loop with independent iterations h[j] keeps the stored value all through its adjoint)
      if ((restoreValue || unrestored.has(s)) && !elemStructured && usesResult(s.e, r)) {
        resultOf = { node: s.e, value: s.target };
        rev.push(...definitionAdjoint(s.e, v(g), undefined, s.loc, true));
        resultOf = undefined;
        if (restoreValue) rev.push(restoreValue);
        return { fwd, rev };
      }
      if (restoreValue) rev.push(restoreValue);
      rev.push(...definitionAdjoint(s.e, v(g), undefined, s.loc, true));
      return { fwd, rev };
    }

    /** `arr.push(e)`: the shadow grows with it (a zero adjoint per element, as Clad does for push_back). */
    function push(s: Stmt & { k: "push" }): Swept {
      const arr = s.arr;
      const fwd: OStmt[] = [{ k: "do", e: method(arr, "push", s.e) }];
      const rev: OStmt[] = [];
      const elemType = pathType({ k: "index", obj: v(arr), index: num(0) }) ?? exprType(s.e);
      const elemStructured = structured(elemType);
      const last: Expr = { k: "index", obj: v(arr), index: { k: "bin", op: "-", a: { k: "prop", obj: v(arr), name: "length" }, b: num(1) } };
      if (hasShadow(arr)) fwd.push({ k: "do", e: method(adjName(arr), "push", elemStructured ? shadowOf(s.e, last, elemType) : num(0)) });
      let g: string | undefined;
      if (hasShadow(arr)) { g = local.numbered("dvalue"); rev.push({ k: "let", name: g, init: method(adjName(arr), "pop"), konst: true }); }
      if (contentsNeeded.has(arr)) rev.push({ k: "do", e: method(arr, "pop") });
      if (g) rev.push(...definitionAdjoint(s.e, v(g), undefined, s.loc, true));
      return { fwd, rev };
    }

    function branch(s: Stmt & { k: "if" }, nested: boolean): Swept {
      const a = sweep(s.then, true);
      const b = sweep(s.else, true);
      if (a.rev.length === 0 && b.rev.length === 0) return { fwd: [{ k: "if", c: s.c, then: a.fwd, else: b.fwd }], rev: [] };
      if (!nested) {
        const taken = local.numbered("branch");
        return {
          fwd: [{ k: "let", name: taken, init: s.c, konst: true }, { k: "if", c: v(taken), then: a.fwd, else: b.fwd }],
          rev: [{ k: "if", c: v(taken), then: a.rev, else: b.rev }],
        };
      }
      const trace = stack("trace");
      return {
        fwd: [{ k: "if", c: s.c, then: [...a.fwd, { k: "do", e: method(trace, "push", num(1)) }], else: [...b.fwd, { k: "do", e: method(trace, "push", num(0)) }] }],
        rev: [{ k: "if", c: method(trace, "pop"), then: a.rev, else: b.rev }],
      };
    }

    function loop(s: Stmt & { k: "while" }, nested: boolean): Swept {
      const info = independent.get(s);
      if (info) return forwardLoop(s, info, nested);
      const body = sweep(s.body, true);
      if (body.rev.length === 0) return { fwd: [{ k: "while", c: s.c, body: body.fwd }], rev: [] };
      const count = local.numbered("loop");
      const note = noteOf(s.loc);
      const fwd: OStmt[] = [
        { k: "let", name: count, init: num(0) },
        { k: "while", c: s.c, body: [...body.fwd, set(v(count), "+=", num(1))], note },
      ];
      if (!nested) return { fwd, rev: [{ k: "countdown", name: count, body: body.rev, note }] };
      const trace = stack("trace");
      fwd.push({ k: "do", e: method(trace, "push", v(count)) });
      return { fwd, rev: [{ k: "countdown", name: count, from: method(trace, "pop"), body: body.rev, note }] };
    }

    /**
     * A loop with independent iterations: its adjoint runs the iterations in their original order,
     * each first replaying its temporaries, so nothing is saved per iteration and no trip count is
     * kept. Counters start again from their entry value; an accumulator's value from before the
     * loop is kept once, if the adjoint sweep reads it.
     */
    function forwardLoop(s: Stmt & { k: "while" }, info: IndependentLoop, nested: boolean): Swept {
      const body = sweep(s.body, true);
      if (body.rev.length === 0) return { fwd: [{ k: "while", c: s.c, body: body.fwd }], rev: [] };
      if (readsStack(body.rev, stacks)) throw new Error("internal: a loop judged independent restores from a stack");
      const note = noteOf(s.loc);
      const fwd: OStmt[] = [];
      const entries = info.counters.map(({ name, entry }): Expr => {
        if (entry) return entry;
        const start = local.fresh(`${name}Start`);
        fwd.push({ k: "let", name: start, init: v(name), konst: true });
        return v(start);
      });
      const restores: OStmt[] = [];
      for (const [a, increment] of info.accumulators) {
        if (saveAt ? saveAt.has(increment) : needed.has(a)) restores.unshift(set(v(a), "=", keep(v(a), true, nested, `${a}_old`, fwd)));
      }
      // the elements the loop overwrites, when the adjoint sweep reads them: [lo, hi) over-approximates
      const snapshots: OStmt[] = [];
      for (const { root, counter, bound, direction } of info.stores) {
        if (!contentsNeeded.has(root)) continue;
        const entry = entries[info.counters.findIndex((c) => c.name === counter)];
        const [lo, hi] = direction === 1 ? [entry, add(bound, num(1))] : [bound, add(entry, num(1))];
        fwd.push({ k: "do", e: method(stack("saved"), "pushRange", v(root), lo, hi) });
        snapshots.unshift({ k: "do", e: method(stack("saved"), "popRange", v(root)) });
      }
      fwd.push({ k: "while", c: s.c, body: body.fwd, note });
      const start = info.counters.map(({ name }, j) => set(v(name), "=", entries[j]));
      const replay = info.temporaries.map((t) => set(v(t.name), "=", t.e));
      const steps = info.steps.map((t) => set(v((t as Stmt & { k: "assign" }).name), "=", (t as Stmt & { k: "assign" }).e));
      const rev: OStmt[] = [...start, { k: "while", c: s.c, body: [...replay, ...body.rev, ...steps] }, ...start, ...snapshots, ...restores];
      rev[0] = { ...rev[0], note };
      return { fwd, rev };
    }

    /** Forward of an active withGradient call: the rule gives the value and the pullback, which is kept. */
    function ruleForward(e: Expr & { k: "call" }, x: string, nested: boolean, fwd: OStmt[]): Expr {
      const out = local.numbered(`${e.rule!.name}Rule`);
      fwd.push({ k: "let", name: out, init: call(call(host.runtime("ruleOf"), e.callee), ...e.args), konst: true });
      hoisted.add(x);
      fwd.push(set(v(x), "=", { k: "index", obj: v(out), index: num(0) }));
      return keep({ k: "index", obj: v(out), index: num(1) }, false, nested, `${e.rule!.name}Pullback`, fwd);
    }

    // ---- the body of the generated function ----
    const body = sweep(fn.body, false);
    const resultAdj = adjName(fn.result);
    const numericAdjoints = [...active].filter((x) => x !== fn.result && isNumeric(x)).map(adjName);
    // array/record parameters' adjoints are parameters too, defaulting to a zero gradient
    const shadowParams = shadowParamIndices(fn, activeParams).map((i) => fn.params[i].name);
    const grads: Expr[] = fn.params.map((p, i) => {
      if (!activeParams[i] || !carriesNumbers(p.type)) return UNDEFINED;
      if (shadowParams.includes(p.name)) return v(adjName(p.name));
      if (active.has(p.name)) return v(adjName(p.name));
      return isNumeric(p.name) ? num(0) : zeroOf(v(p.name), typeOf(p.name));
    });
    const prologue: OStmt[] = [];
    // a gradient call never mutates its inputs: a parameter the function writes into is copied first
    for (const p of paramsWritten(fn)) prologue.push(set(v(p), "=", call(host.runtime("cloneValue"), v(p))));
    for (const p of fn.params) {
      if (!active.has(p.name)) continue;
      if (typeOf(p.name).k === "unknown") report(diag.unknownType(p.loc ?? fn.loc, p.name));
      else if (!isNumeric(p.name) && !shadowParams.includes(p.name)) prologue.push({ k: "let", name: adjName(p.name), init: zeroOf(v(p.name), typeOf(p.name)) });
    }
    // stacks come from the runtime's pools (grown buffers are reused across calls) and go back at the end
    const take = (fnName: string): Expr => call(host.runtime(fnName));
    if (stacks.saved) prologue.push({ k: "let", name: stacks.saved, init: take("takeF64Stack"), konst: true });
    if (stacks.objs) prologue.push({ k: "let", name: stacks.objs, init: take("takeObjStack"), konst: true });
    if (stacks.trace) prologue.push({ k: "let", name: stacks.trace, init: take("takeI32Stack"), konst: true });
    const used = [stacks.saved, stacks.objs, stacks.trace].filter((x): x is string => x !== undefined);
    const lets = [...hoisted].filter((n) => !inlineConst.has(n) && !isParam(n));
    // numbers start as 0, not undefined, so every local stays a double for V8
    const fwd: OStmt[] = [...prologue, ...lets.map((name): OStmt => ({ k: "let", name, init: isNumeric(name) ? num(0) : undefined })), ...body.fwd];
    const lines = fn.lines[0] === fn.lines[1] ? `${fn.lines[0]}` : `${fn.lines[0]}-${fn.lines[1]}`;
    if (fwd.length > 0) fwd[0] = { ...fwd[0], note: `forward sweep — ${fn.loc.file}:${lines}` };
    const revPart: OStmt[] = [...numericAdjoints.map((name): OStmt => ({ k: "let", name, init: num(0) })), ...body.rev];
    if (revPart.length > 0) revPart[0] = { ...revPart[0], note: "adjoint sweep" };
    const gradient: Expr = fn.params.length === 1 ? grads[0] : { k: "array", elems: grads };
    let value: Expr = v(fn.result);
    if (options.snapshotResult && structured(fn.resultType)) {
      const snapshot = local.fresh("value");
      fwd.push({ k: "let", name: snapshot, init: call(host.runtime("cloneValue"), v(fn.result)), konst: true });
      value = v(snapshot);
    }
    const release: OStmt[] = used.length > 0 ? [{ k: "do", e: call(host.runtime("releaseStacks"), ...used.map(v)) }] : [];
    const returned: Expr = options.withValue === false ? gradient : { k: "array", elems: [value, gradient] };
    const all: OStmt[] = [...fwd, ...revPart, ...release, { k: "return", e: returned }];
    return {
      fn: {
        k: "fn", name: generatedName, body: all,
        params: [...fn.params.map((p) => p.name), resultAdj, ...shadowParams.map((p) => ({ name: adjName(p), init: zeroOf(v(p), typeOf(p)) }))],
      },
      rev: body.rev,
    };
  }

  // ---- shadows ----

  /** The type of an expression, as far as its shape goes. */
  function exprType(e: Expr): VType | undefined {
    switch (e.k) {
      case "var": case "index": case "prop": return pathType(e);
      case "array": return { k: "array", elem: e.elems.length > 0 ? exprType(e.elems[0]) ?? { k: "num" } : { k: "num" } };
      case "object": return { k: "record", fields: e.props.map(([name, x]) => ({ name, type: exprType(x) ?? { k: "num" } })) };
      case "lit": return { k: "none" };
      case "call": case "new": return undefined;
      default: return { k: "num" };
    }
  }

  /** A zero gradient shaped like `value`: a `number[]` by its length, anything else by a walk at run time. */
  function zeroOf(value: Expr, type: VType): Expr {
    return call(host.runtime(type.k === "array" && type.elem.k === "num" ? "zeroNumbers" : "zeroLike"), value);
  }

  /** The shadow of a freshly computed value: aliases where the value aliases, zeros elsewhere. */
  function shadowOf(e: Expr, value: Expr, type?: VType): Expr {
    const t = type ?? exprType(e);
    if (!structured(t)) return t?.k === "none" ? UNDEFINED : num(0);
    if (e.k === "var" || e.k === "index" || e.k === "prop") {
      const path = adjointPath(e);
      if (path) return path;
    }
    if (e.k === "array") return { k: "array", elems: e.elems.map((el, i) => shadowOf(el, { k: "index", obj: value, index: num(i) })) };
    if (e.k === "object") return { k: "object", props: e.props.map(([name, x]) => [name, shadowOf(x, { k: "prop", obj: value, name })]) };
    return t ? zeroOf(value, t) : call(host.runtime("zeroLike"), value);
  }

  // ---- expressions: push the adjoint `g` of e down to the locals it reads ----

  function hasActive(e: Expr): boolean {
    for (const r of diffReads(e)) if (active.has(r)) return true;
    return false;
  }

  function adjointPath(e: Expr): Expr | undefined {
    if (e.k === "var") return active.has(e.name) && e.name !== fn.result ? v(adjName(e.name)) : undefined;
    if (e.k === "index") { const o = adjointPath(e.obj); return o && { k: "index", obj: o, index: e.index }; }
    if (e.k === "prop") { const o = adjointPath(e.obj); return o && { k: "prop", obj: o, name: e.name }; }
    return undefined;
  }

  function emitContribution(c: Contribution): OStmt {
    const add = c.structural ? set(c.target, "=", call(host.runtime("addInto"), c.target, c.value))
      : c.value.k === "un" && c.value.op === "-" ? set(c.target, "-=", c.value.a)
      : set(c.target, "+=", c.value);
    // `xs[0]` (or `xs[1 - 1]`) or `xs[xs.length - 1]` of an empty array read undefined: its adjoint
    // must not grow the gradient array (the loops' `xs[i]` are in range by their own tests, and stay
    // unguarded)
    const t = c.target;
    if (t.k === "index" && allReads(t.index).size === 0) return { k: "if", c: { k: "bin", op: "<", a: t.index, b: { k: "prop", obj: t.obj, name: "length" } }, then: [add], else: [] };
    if (t.k === "index" && t.index.k === "bin" && t.index.op === "-" && t.index.a.k === "prop" && t.index.a.name === "length") return { k: "if", c: { k: "bin", op: ">=", a: t.index, b: num(0) }, then: [add], else: [] };
    return add;
  }

  function bind(g: Expr, out: OStmt[]): Expr {
    if (isSimple(g)) return g;
    const name = cur.numbered("adj");
    out.push({ k: "let", name, init: g, konst: true });
    return v(name);
  }

  /**
   * `aliased`: e's arrays and records share their shadows with the value being defined, so their
   * adjoints are already in place; otherwise (a result, a callee's gradient) they are added in.
   */
  function backprop(e: Expr, g: Expr, acc: Contribution[], out: OStmt[], aliased = false): void {
    switch (e.k) {
      case "var": case "index": case "prop": {
        if (e.k === "prop" && e.name === "length") return;
        const target = adjointPath(e);
        if (!target) return;
        const t = pathType(e);
        const isStructured = structured(t);
        if (isStructured && aliased) return;
        acc.push({ target, value: g, structural: isStructured });
        return;
      }
      case "bin": {
        const ha = hasActive(e.a), hb = hasActive(e.b);
        if (!ha && !hb) return;
        if (ha && hb && ["*", "/", "**", "%", "+", "-"].includes(e.op)) g = bind(g, out);
        switch (e.op) {
          case "+": if (ha) backprop(e.a, g, acc, out); if (hb) backprop(e.b, g, acc, out); return;
          case "-": if (ha) backprop(e.a, g, acc, out); if (hb) backprop(e.b, neg(g), acc, out); return;
          case "*": if (ha) backprop(e.a, mul(g, e.b), acc, out); if (hb) backprop(e.b, mul(g, e.a), acc, out); return;
          case "/":
            if (ha) backprop(e.a, div(g, e.b), acc, out);
            if (hb) backprop(e.b, neg(div(mul(g, e.a), mul(e.b, e.b))), acc, out);
            return;
          case "%":
            if (ha) backprop(e.a, g, acc, out);
            if (hb) backprop(e.b, neg(mul(g, { k: "math", fn: "trunc", args: [div(e.a, e.b)] })), acc, out);
            return;
          case "**": {
            const [pa, pb] = powPartials(e.a, e.b);
            if (ha && pa) backprop(e.a, mul(g, pa), acc, out);
            if (hb && pb) backprop(e.b, mul(g, pb), acc, out);
            return;
          }
          default: return; // comparisons, bitwise: no derivative
        }
      }
      case "un":
        if (e.op === "-") backprop(e.a, neg(g), acc, out);
        else if (e.op === "+") backprop(e.a, g, acc, out);
        return;
      case "math": {
        const partials = mathPartials(e.fn, e.args, resultOf?.node === e ? resultOf.value : undefined);
        if (e.args.filter(hasActive).length > 1) g = bind(g, out);
        e.args.forEach((a, i) => {
          const p = partials[i];
          if (p && hasActive(a)) backprop(a, mul(g, p), acc, out);
        });
        return;
      }
      case "cond": {
        if (hasActive(e.a) && hasActive(e.b)) g = bind(g, out);
        // locals get `c ? g : 0`; elements and fields only on their own branch, since the branch
        // not taken may name one that does not exist (`b[1] === undefined ? 2 : b[1]`)
        // (inside nested conditionals, an element is written only when every enclosing one chose it)
        const branches: [Expr, boolean][] = [[e.a, true], [e.b, false]];
        for (const [x, taken] of branches) {
          if (!hasActive(x)) continue;
          const sub: Contribution[] = [];
          guards.push(taken ? e.c : { k: "un", op: "!", a: e.c });
          backprop(x, g, sub, out, aliased);
          const all = guards.reduce((p, q): Expr => ({ k: "bin", op: "&&", a: p, b: q }));
          for (const c of sub) {
            if (c.target.k === "var") acc.push({ ...c, value: taken ? cond(e.c, c.value, num(0)) : cond(e.c, num(0), c.value) });
            else out.push({ k: "if", c: all, then: [emitContribution(c)], else: [] });
          }
          guards.pop();
        }
        return;
      }
      case "array":
        if (e.elems.filter(hasActive).length > 0) g = bind(g, out);
        e.elems.forEach((el, i) => { if (hasActive(el)) backprop(el, { k: "index", obj: g, index: num(i) }, acc, out, aliased); });
        return;
      case "object":
        if (e.props.some(([, x]) => hasActive(x))) g = bind(g, out);
        for (const [name, x] of e.props) if (hasActive(x)) backprop(x, { k: "prop", obj: g, name }, acc, out, aliased);
        return;
      default:
        return;
    }
  }

  function pathType(e: Expr): VType | undefined {
    if (e.k === "var") return typeOf(e.name);
    if (e.k === "index") {
      const t = pathType(e.obj);
      if (!t) return undefined;
      if (t.k === "array") return t.elem;
      if (t.k === "typed") return { k: "num" };
      if (t.k === "tuple") return e.index.k === "num" ? t.elems[e.index.v] : undefined;
      return undefined;
    }
    if (e.k === "prop") {
      const t = pathType(e.obj);
      if (t?.k === "record") return t.fields.find((f) => f.name === e.name)?.type;
      if (e.name === "length") return { k: "num" };
      return undefined;
    }
    return exprType(e);
  }

  function callAdjoint(e: Expr & { k: "call" | "new" }, ref: FnRef, g: Expr, acc: Contribution[], out: OStmt[], loc: Loc | undefined): void {
    // a method's derivative takes the object it was called on as its first argument
    const receiver = e.k === "call" ? e.receiver : undefined;
    const args = receiver ? [receiver, ...e.args] : e.args;
    const mask = args.map(hasActive);
    if (!mask.some(Boolean)) return;
    const { callee: derivative, shadowArgs } = dryRun ? { callee: { k: "free", path: ref.name } as Expr, shadowArgs: [] as number[] } : host.derivativeOf(ref, mask, loc, receiver);
    // the callee accumulates straight into our shadows of the arrays and records it is given
    const shadows = shadowArgs.map((i) => {
      const a = args[i];
      const path = mask[i] && a ? adjointPath(a) : undefined;
      return path && structured(pathType(a)) ? path : undefined;
    });
    while (shadows.length > 0 && shadows[shadows.length - 1] === undefined) shadows.pop();
    const grads = cur.numbered("grad");
    out.push({ k: "let", name: grads, init: call(derivative, ...args, g, ...shadows.map((s) => s ?? UNDEFINED)), konst: true });
    args.forEach((a, i) => {
      if (!mask[i]) return;
      const gi: Expr = ref.arity === 1 ? v(grads) : { k: "index", obj: v(grads), index: num(i) };
      const passed = shadows[shadowArgs.indexOf(i)];
      // handed in: already accumulated (a user type's Backprop may have replaced it: take it back)
      if (passed) out.push(set(passed, "=", gi));
      else backprop(a, gi, acc, out);
    });
  }

  function ruleAdjoint(e: Expr & { k: "call" }, pullback: Expr, g: Expr, acc: Contribution[], out: OStmt[]): void {
    const grads = cur.numbered("grad");
    // the rule's own gradients are checked: a wrong count or shape is an error naming the function
    out.push({ k: "let", name: grads, init: call(host.runtime("ruleGradients"), { k: "lit", text: JSON.stringify(e.rule!.name) }, call(pullback, g), { k: "array", elems: e.args }), konst: true });
    e.args.forEach((a, i) => { if (hasActive(a)) backprop(a, { k: "index", obj: v(grads), index: num(i) }, acc, out); });
  }
}

/** `dx += a; dx += b` → `dx += a + b` (also for the same element written the same way). */
/** Whether `stmts` pop from one of the generated function's stacks (or replay a loop by its count). */
function readsStack(stmts: OStmt[], stacks: { saved?: string; objs?: string; trace?: string }): boolean {
  const names = new Set(Object.values(stacks));
  const inExpr = (e: Expr): boolean => {
    if (e.k === "call" && e.callee.k === "prop" && e.callee.obj.k === "var" && names.has(e.callee.obj.name)) return true;
    let found = false;
    forEachChild(e, (c) => { if (!found && inExpr(c)) found = true; });
    return found;
  };
  return stmts.some((s) => {
    switch (s.k) {
      case "let": return s.init !== undefined && inExpr(s.init);
      case "set": return inExpr(s.target) || inExpr(s.value);
      case "do": case "throw": return inExpr(s.e);
      case "if": return inExpr(s.c) || readsStack(s.then, stacks) || readsStack(s.else, stacks);
      case "while": return inExpr(s.c) || readsStack(s.body, stacks);
      default: return true;
    }
  });
}

function mergeContributions(list: { target: Expr; value: Expr; structural: boolean }[]): typeof list {
  const out: typeof list = [];
  for (const c of list) {
    const key = JSON.stringify(c.target);
    const same = c.structural ? undefined : out.find((o) => !o.structural && JSON.stringify(o.target) === key);
    if (same) same.value = add(same.value, c.value);
    else out.push({ ...c });
  }
  return out;
}

function calleeText(e: Expr): string {
  if (e.k === "free") return e.path;
  if (e.k === "var") return e.name;
  if (e.k === "prop") return `${calleeText(e.obj)}.${e.name}`;
  return "this function";
}
