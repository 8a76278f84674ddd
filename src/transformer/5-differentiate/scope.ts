// What differentiating one function knows: which locals are active, their adjoint names and types,
// facts about their assignments (defined once, counters, declarations), the loops whose adjoint runs
// forwards, the locals recomputed instead of restored, and the state of the current pass (a dry run
// or the real one). One instance per derivative, shared by the sweeps, the expression adjoints and
// the driver in reverse.ts, as 3-lower shares a FunctionScope.
import type { Expr, Func, Stmt, VType } from "../ir/ir.js";
import { carriesNumbers, writtenRoot } from "../ir/ir.js";
import type { Names } from "../ir/names.js";
import { analyseActivity } from "../4-analyse/activity.js";
import { exclusiveDeclarations } from "../4-analyse/exclusive-declarations.js";
import { independentLoops, type IndependentLoop } from "../4-analyse/independent-loops.js";
import { rematerializable } from "../4-analyse/remat.js";
import { forEachStmt } from "../4-analyse/statements.js";
import { storesInRange } from "../4-analyse/stores-in-range.js";
import type { Diag } from "../diagnostics.js";
import type { ArgumentWrite } from "../4-analyse/argument-writes.js";
import type { ReverseHost, ReverseOptions } from "./reverse.js";
import { adjointPath, structured } from "./shadows.js";

export interface Stacks { saved?: string; objs?: string; trace?: string }

/** `x = x + c` / `x = x - c` with an integer literal c: undone exactly by the inverse step. */
export function counterStep(s: Stmt & { k: "assign" }): Expr | undefined {
  const e = s.e;
  if (e.k !== "bin" || (e.op !== "+" && e.op !== "-")) return undefined;
  const [x, c] = e.a.k === "var" && e.a.name === s.name ? [e.a, e.b] : e.op === "+" && e.b.k === "var" && e.b.name === s.name ? [e.b, e.a] : [];
  if (!x || !c || c.k !== "num" || !Number.isInteger(c.v)) return undefined;
  return { k: "bin", op: e.op === "+" ? "-" : "+", a: x, b: c };
}

export class ReverseScope {
  readonly active: Set<string>;
  /** locals that vary with the active inputs, whether or not they reach the result */
  readonly varied: Set<string>;
  // Facts about every local's assignments, for saving and restoring.
  readonly defs = new Map<string, number>();
  /** declarations per name: an inlined function's parameter is declared again at every call */
  readonly decls = new Map<string, number>();
  readonly counters = new Set<string>();
  /** arrays and records written into (elements, fields, push) */
  readonly written = new Set<string>();
  private readonly topDefs = new Set<string>();
  /** declared only in exclusive branches outside loops: no old value to save (see exclusive-declarations.ts) */
  readonly declaredOncePerCall: Set<string>;
  /** conditions of the conditional expressions backprop is inside of */
  readonly guards: Expr[] = [];
  /** each active local's adjoint (or shadow) */
  readonly adj = new Map<string, string>();
  readonly inRangeStores: Set<Stmt>;
  /** loops whose adjoint runs forwards (see forwardLoop in sweep.ts) */
  readonly independent: Map<Stmt, IndependentLoop>;
  /** statements of those loops' bodies: their assignments restore nothing */
  readonly unrestored = new Set<Stmt>();
  readonly loopLocals = new Set<string>();
  // locals the adjoint sweep re-reads from their definition instead of restoring them
  readonly remat = new Map<string, Expr>();
  /** the assignment defining each recomputed local (and recomputed shadow) */
  readonly rematDef = new Map<string, Stmt>();

  // ---- the pass under way: pass 1 finds what the adjoint sweep reads; pass 2 generates, saving exactly that ----
  /** the names generated code takes (a clone of `names` in a dry run) */
  cur: Names;
  dryRun = true;
  lastStacks: Stacks = {};
  /** the last record (a branch, a loop, a saved value) numbered for its stack pushes and pops */
  stackSites = 0;
  /** while differentiating an assignment's right side: the Math call whose value the target holds */
  resultOf: { node: Expr; value: Expr } | undefined;
  /** what each statement's adjoint reads (from the dry run), for the per-assignment TBR */
  readonly adjointReads = new Map<Stmt, Set<string>>();
  /** assignments whose adjoint reads the value they assigned, not the one they overwrote */
  readonly readsAfter = new Map<Stmt, Set<string>>();
  saveAt: Set<Stmt> | undefined;
  /** calls writing into a value whose old contents the adjoint sweep reads (argumentWritesReadByAdjoint), found after the dry runs */
  readCalleeWrites = new Map<Stmt, ArgumentWrite>();

  constructor(
    readonly fn: Func,
    readonly activeParams: boolean[],
    readonly names: Names,
    readonly host: ReverseHost,
    readonly options: ReverseOptions,
  ) {
    const activeNames = fn.params.filter((p, i) => activeParams[i] && carriesNumbers(p.type)).map((p) => p.name);
    const { active, varied } = analyseActivity(fn, activeNames);
    this.active = active;
    this.varied = varied;

    const { defs, decls, topDefs, counters, written } = this;
    const notCounters = new Set<string>();
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
    this.declaredOncePerCall = options.optimize ? exclusiveDeclarations(fn.body) : new Set();
    for (const p of fn.params) this.declaredOncePerCall.delete(p.name);

    const inRangeStores = (this.inRangeStores = storesInRange(fn));
    // Loops whose adjoint runs forwards: their body's assignments restore nothing (each iteration
    // replays its temporaries), and a counter stepped only there is restored like any other local.
    this.independent = options.optimize ? independentLoops(fn, (x) => fn.types.get(x), (s) => inRangeStores.has(s), options.withValue !== false) : new Map<Stmt, IndependentLoop>();
    for (const loop of this.independent.keys()) {
      for (const b of (loop as Stmt & { k: "while" }).body) { this.unrestored.add(b); if (b.k === "assign") this.loopLocals.add(b.name); }
    }
    const steppedBackwards = new Set<string>();
    forEachStmt(fn.body, (s) => { if (s.k === "assign" && counterStep(s) && !this.unrestored.has(s)) steppedBackwards.add(s.name); });
    for (const c of [...counters]) if (!steppedBackwards.has(c)) counters.delete(c);

    this.cur = names.clone();
    for (const [x, { e, def }] of options.optimize ? rematerializable(fn) : []) {
      // locals defined once outside loops and branches keep their value through the adjoint sweep
      if (this.definedOnce(x)) continue;
      // a recomputed alias (`row = m[i]`) recomputes its shadow the same way (`drow = dm[i]`)
      if (this.hasShadow(x)) {
        const path = adjointPath(this, e);
        if (!path) continue;
        this.remat.set(this.adjName(x), path);
        this.rematDef.set(this.adjName(x), def);
      }
      this.remat.set(x, e);
      this.rematDef.set(x, def);
    }
  }

  isParam(x: string): boolean {
    return this.fn.params.some((p) => p.name === x);
  }

  definedOnce(name: string): boolean {
    return this.defs.get(name) === 1 && this.topDefs.has(name);
  }

  adjName(x: string): string {
    let a = this.adj.get(x);
    if (!a) { a = this.names.fresh(`d${x[0].toUpperCase() === x[0] ? "_" + x : x}`); this.adj.set(x, a); }
    return a;
  }

  typeOf(x: string): VType {
    return this.fn.types.get(x) ?? { k: "unknown" };
  }

  isNumeric(x: string): boolean {
    return this.typeOf(x).k === "num";
  }

  /** an active local whose value is an array or record, so it has a shadow */
  hasShadow(x: string): boolean {
    return this.active.has(x) && x !== this.fn.result && structured(this.typeOf(x));
  }

  /** diagnostics come from the real pass only */
  report(d: Diag): void {
    if (!this.dryRun) this.host.error(d);
  }
}

