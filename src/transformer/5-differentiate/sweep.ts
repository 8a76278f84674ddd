// The statement sweeps for control flow, and the walk that strings statements together: a block's
// adjoint is its statements' adjoints in reverse order (with recomputed locals placed in it), a
// branch's adjoint takes the branch taken in the forward sweep, a loop's adjoint runs it backwards
// by its trip count, or forwards when its iterations are independent.
import type { Expr, Loc, OStmt, Stmt } from "../ir/ir.js";
import { forEachChild, v } from "../ir/ir.js";
import type { IndependentLoop } from "../4-analyse/independent-loops.js";
import { allReads, diffReads } from "../4-analyse/reads.js";
import { diag } from "../diagnostics.js";
import { add, method, num, set } from "./build.js";
import type { Pass, Swept } from "./pass.js";
import type { Stacks } from "./scope.js";
import { assign, push, store } from "./sweep-writes.js";

const noteOf = (loc: Loc | undefined) => (loc ? `${loc.file}:${loc.line}  ${loc.text}` : undefined);

export function sweep(p: Pass, stmts: Stmt[], nested: boolean): Swept {
  const { cx } = p;
  const fwd: OStmt[] = [];
  const rev: OStmt[] = [];
  const done: Swept[] = [];
  for (const s of stmts) {
    const one = statement(p, s, nested);
    fwd.push(...one.fwd);
    done.push(one);
  }
  if (cx.remat.size > 0) recomputeDefinedHere(p, stmts, done);
  // the adjoints in reverse order (appended from the last, not unshifted: that copied the list each time)
  for (let j = done.length - 1; j >= 0; j--) rev.push(...done[j].rev);
  return { fwd, rev };
}

function statement(p: Pass, s: Stmt, nested: boolean): Swept {
  const { cx } = p;
  // a callee that changes an argument carrying gradient makes the adjoint sweep's recomputation wrong
  if ((s.k === "assign" || s.k === "expr") && (s.e.k === "call" || s.e.k === "new") && s.e.fn && !cx.dryRun) {
    const args = s.e.k === "call" && s.e.receiver ? [s.e.receiver, ...s.e.args] : s.e.args;
    // varied, not only active: the write itself is what would carry the gradient
    const written = args.some((a) => [...diffReads(a)].some((r) => cx.varied.has(r))) ? cx.host.writtenParam(s.e.fn) : undefined;
    if (written) cx.report(diag.mutatingCallee(s.loc ?? cx.fn.loc, s.e.fn.name.replace(/\$/g, "."), written.param, written.via ?? ""));
    else reportReadCalleeWrite(p, s);
  } else if (!cx.dryRun) reportReadCalleeWrite(p, s);
  let one: Swept;
  switch (s.k) {
    case "assign": one = assign(p, s, nested); break;
    case "store": one = store(p, s, nested); break;
    case "push": one = push(p, s); break;
    case "expr": one = { fwd: [{ k: "do", e: s.e }], rev: [] }; break;
    case "throw": one = { fwd: [{ k: "throw", e: s.e }], rev: [] }; break;
    case "if": return branch(p, s, nested);
    case "while": return loop(p, s, nested);
    default: throw new Error(`unstructured statement ${s.k} reached differentiation`);
  }
  if (cx.dryRun) {
    const reads = new Set<string>();
    collect(one.rev, reads);
    if (s.k === "assign" && cx.readsAfter.has(s)) reads.delete(s.name);
    cx.adjointReads.set(s, reads);
  }
  const note = noteOf(s.loc);
  if (one.rev.length > 0 && note) one.rev[0] = { ...one.rev[0], note };
  return one;
}

/** A call in `s` that writes into an array or record whose earlier contents the adjoint sweep reads. */
function reportReadCalleeWrite(p: Pass, s: Stmt): void {
  const w = p.cx.readCalleeWrites.get(s);
  if (w) p.cx.report(diag.calleeWriteReadByAdjoint(s.loc ?? p.cx.fn.loc, w.fn.name.replace(/\$/g, "."), w.root, w.param));
}

/**
 * A local defined in `stmts` that the adjoint reads is recomputed from its definition (valid by
 * the check in remat: nothing it reads changes between the definition and its last read) once,
 * just before the adjoint of the last statement of `stmts` that reads it, so outside any inner
 * loop that reads it. Instead of being saved in the forward sweep.
 */
function recomputeDefinedHere(p: Pass, stmts: Stmt[], done: Swept[]): void {
  const { cx } = p;
  const placed = new Set<string>();
  for (let j = stmts.length - 1; j >= 0; j--) {
    const s = stmts[j], one = done[j];
    if (one.rev.length === 0) continue;
    const reads = new Set<string>();
    collect(one.rev, reads);
    const again: string[] = [];
    const visit = (r: string) => {
      const def = cx.rematDef.get(r);
      if (!def || !stmts.includes(def) || placed.has(r) || again.includes(r) || (s.k === "assign" && s.name === r) || cx.loopLocals.has(r)) return;
      for (const dep of allReads(cx.remat.get(r)!)) visit(dep);
      again.push(r);
    };
    for (const r of reads) visit(r);
    if (again.length === 0) continue;
    for (const r of again) {
      placed.add(r);
      // what the recomputation reads is read by the adjoint right after the definition
      if (cx.dryRun) for (const x of allReads(cx.remat.get(r)!)) cx.adjointReads.get(cx.rematDef.get(r)!)?.add(x);
    }
    const note = one.rev[0].note;
    one.rev = [...again.map((r) => set(v(r), "=", cx.remat.get(r)!)), ...one.rev.map((o, i) => (i === 0 ? { ...o, note: undefined } : o))];
    one.rev[0] = { ...one.rev[0], note };
  }
}

function branch(p: Pass, s: Stmt & { k: "if" }, nested: boolean): Swept {
  const a = sweep(p, s.then, true);
  const b = sweep(p, s.else, true);
  if (a.rev.length === 0 && b.rev.length === 0) return { fwd: [{ k: "if", c: s.c, then: a.fwd, else: b.fwd }], rev: [] };
  if (!nested) {
    const taken = p.local.numbered("branch");
    return {
      fwd: [{ k: "let", name: taken, init: s.c, konst: true }, { k: "if", c: v(taken), then: a.fwd, else: b.fwd }],
      rev: [{ k: "if", c: v(taken), then: a.rev, else: b.rev }],
    };
  }
  const trace = traceOf(p);
  return {
    fwd: [{ k: "if", c: s.c, then: [...a.fwd, { k: "do", e: trace.push(num(1)) }], else: [...b.fwd, { k: "do", e: trace.push(num(0)) }] }],
    rev: [{ k: "if", c: trace.pop, then: a.rev, else: b.rev }],
  };
}

/** A new branch's or loop's records on the trace stack: its pushes and its pop carry one site number. */
function traceOf(p: Pass): { push: (x: Expr) => Expr; pop: Expr } {
  const trace = p.stack("trace");
  const stackSite = ++p.cx.stackSites;
  return { push: (x) => ({ ...method(trace, "push", x), stackSite }) as Expr, pop: { ...method(trace, "pop"), stackSite } as Expr };
}

function loop(p: Pass, s: Stmt & { k: "while" }, nested: boolean): Swept {
  const { cx } = p;
  const info = cx.independent.get(s);
  if (info) return forwardLoop(p, s, info, nested);
  const body = sweep(p, s.body, true);
  if (body.rev.length === 0) return { fwd: [{ k: "while", c: s.c, body: body.fwd }], rev: [] };
  const count = p.local.numbered("loop");
  const note = noteOf(s.loc);
  const fwd: OStmt[] = [
    { k: "let", name: count, init: num(0) },
    { k: "while", c: s.c, body: [...body.fwd, set(v(count), "+=", num(1))], note },
  ];
  if (!nested) return { fwd, rev: [{ k: "countdown", name: count, body: body.rev, note }] };
  const trace = traceOf(p);
  fwd.push({ k: "do", e: trace.push(v(count)) });
  return { fwd, rev: [{ k: "countdown", name: count, from: trace.pop, body: body.rev, note }] };
}

/**
 * A loop with independent iterations: its adjoint runs the iterations in their original order,
 * each first replaying its temporaries, so nothing is saved per iteration and no trip count is
 * kept. Counters start again from their entry value; an accumulator's value from before the
 * loop is kept once, if the adjoint sweep reads it.
 */
function forwardLoop(p: Pass, s: Stmt & { k: "while" }, info: IndependentLoop, nested: boolean): Swept {
  const { cx } = p;
  const body = sweep(p, s.body, true);
  // with no adjoint in the body the loop is not replayed, but what it overwrote is still restored
  // (`v += 1` over the loop, when a call before it is differentiated at the old v)
  const kept = ([a, increment]: [string, Stmt]) => (cx.saveAt ? cx.saveAt.has(increment) : p.needed.has(a));
  const restoresAnything = [...info.accumulators].some(kept) ||
    info.stores.some((st) => p.contentsNeeded.has(st.root)) || info.counters.some((c) => p.needed.has(c.name));
  if (body.rev.length === 0 && !restoresAnything) return { fwd: [{ k: "while", c: s.c, body: body.fwd }], rev: [] };
  if (readsStack(body.rev, p.stacks)) throw new Error("internal: a loop judged independent restores from a stack");
  const note = noteOf(s.loc);
  const fwd: OStmt[] = [];
  const entries = info.counters.map(({ name, entry }): Expr => {
    if (entry) return entry;
    const start = p.local.fresh(`${name}Start`);
    fwd.push({ k: "let", name: start, init: v(name), konst: true });
    return v(start);
  });
  const restores: OStmt[] = [];
  for (const acc of info.accumulators) if (kept(acc)) restores.unshift(set(v(acc[0]), "=", p.keep(v(acc[0]), true, nested, `${acc[0]}_old`, fwd)));
  // the elements the loop overwrites, when the adjoint sweep reads them: [lo, hi) over-approximates
  const snapshots: OStmt[] = [];
  for (const { root, counter, bound, direction } of info.stores) {
    if (!p.contentsNeeded.has(root)) continue;
    const entry = entries[info.counters.findIndex((c) => c.name === counter)];
    const [lo, hi] = direction === 1 ? [entry, add(bound, num(1))] : [bound, add(entry, num(1))];
    fwd.push({ k: "do", e: method(p.stack("saved"), "pushRange", v(root), lo, hi) });
    snapshots.unshift({ k: "do", e: method(p.stack("saved"), "popRange", v(root)) });
  }
  fwd.push({ k: "while", c: s.c, body: body.fwd, note });
  const start = info.counters.map(({ name }, j) => set(v(name), "=", entries[j]));
  const replay = info.temporaries.map((t) => set(v(t.name), "=", t.e));
  const steps = info.steps.map((t) => set(v(t.name), "=", t.e));
  const replayed: OStmt[] = body.rev.length > 0 ? [...start, { k: "while", c: s.c, body: [...replay, ...body.rev, ...steps] }] : [];
  const rev: OStmt[] = [...replayed, ...start, ...snapshots, ...restores];
  rev[0] = { ...rev[0], note };
  return { fwd, rev };
}

/** Adds to `needed` the locals that `stmts` read. */
export function collect(stmts: OStmt[], needed: Set<string>): void {
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

/** Whether `stmts` pop from one of the generated function's stacks (or replay a loop by its count). */
function readsStack(stmts: OStmt[], stacks: Stacks): boolean {
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
