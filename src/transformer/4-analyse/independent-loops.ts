// Loops whose iterations' adjoints are independent of each other, so the adjoint sweep may run
// them in the original order, recomputing each iteration's temporaries, instead of replaying the
// iterations backwards from saved values (the "parallel loop" of Tapenade and Enzyme). What that
// buys: no trip count, no saved temporaries, and a forward loop that only fed the value or the
// count is dead code — `for (i…) s += f(x[i], x[i+1])` differentiates like a hand-written gradient.
//
// An iteration may only: define temporaries (assigned once, read only after that in the same
// iteration, never outside the loop), accumulate into a local (`s += e`, s read nowhere else in
// the loop, so its adjoint is the same in every iteration), and step counters at the end of the
// body (`i++`), which with loop-invariant locals are all the condition reads. Anything else —
// stores, pushes, branches, inner loops, calls — keeps the backwards replay.
import type { Expr, Func, Stmt } from "../ir/ir.js";
import { forEachChild } from "../ir/ir.js";
import { allReads } from "./reads.js";

export interface IndependentLoop {
  /** each counter and the constant it starts from (`undefined`: read at loop entry, top level only) */
  counters: { name: string; entry: Expr | undefined }[];
  /** the counter steps that end the body (`i = i + 1`) */
  steps: Stmt[];
  /** definitions of the iteration's temporaries, in order: the adjoint sweep replays them */
  temporaries: (Stmt & { k: "assign" })[];
  /** accumulated locals and their one increment */
  accumulators: Map<string, Stmt & { k: "assign" }>;
}

/** `x = x ± c` (integer c): a counter step. */
function isStep(s: Stmt): s is Stmt & { k: "assign" } {
  if (s.k !== "assign" || s.e.k !== "bin" || (s.e.op !== "+" && s.e.op !== "-")) return false;
  const { a, b } = s.e;
  const own = (x: Expr) => x.k === "var" && x.name === s.name;
  const int = (x: Expr) => x.k === "num" && Number.isInteger(x.v);
  return (own(a) && int(b)) || (s.e.op === "+" && own(b) && int(a));
}

/** `t = t + e`, `t = e + t`, `t = t - e` with e not reading t. */
function isIncrement(s: Stmt & { k: "assign" }): boolean {
  const e = s.e;
  if (e.k !== "bin" || (e.op !== "+" && e.op !== "-")) return false;
  const own = (x: Expr) => x.k === "var" && x.name === s.name;
  const other = own(e.a) ? e.b : e.op === "+" && own(e.b) ? e.a : undefined;
  return other !== undefined && !allReads(other).has(s.name);
}

function hasCall(e: Expr): boolean {
  if (e.k === "call" || e.k === "new" || e.k === "arrow") return true;
  let found = false;
  forEachChild(e, (c) => { if (!found && hasCall(c)) found = true; });
  return found;
}

/** Locals read anywhere in `stmts` (conditions and nested statements included), `skip` left out. */
function readsIn(stmts: Stmt[], skip: Stmt, out: Set<string>): void {
  for (const s of stmts) {
    if (s === skip) continue;
    switch (s.k) {
      case "assign": case "expr": case "throw": case "push": allReads(s.e, out); break;
      case "store": allReads(s.target, out); allReads(s.e, out); break;
      case "if": allReads(s.c, out); readsIn(s.then, skip, out); readsIn(s.else, skip, out); break;
      case "while": allReads(s.c, out); readsIn(s.body, skip, out); break;
      default: break;
    }
  }
}

function assigns(stmts: Stmt[], name: string): boolean {
  return stmts.some((s) =>
    (s.k === "assign" && s.name === name) ||
    (s.k === "if" && (assigns(s.then, name) || assigns(s.else, name))) ||
    (s.k === "while" && assigns(s.body, name)));
}

/** Every loop of `fn` whose adjoint may run forwards, with what that needs. */
export function independentLoops(fn: Func, numeric: (x: string) => boolean): Map<Stmt, IndependentLoop> {
  const found = new Map<Stmt, IndependentLoop>();
  const params = new Set(fn.params.map((p) => p.name));
  const visit = (list: Stmt[], nested: boolean) => {
    list.forEach((s, at) => {
      if (s.k === "if") { visit(s.then, true); visit(s.else, true); }
      if (s.k !== "while") return;
      visit(s.body, true);
      const loop = analyse(s, list.slice(0, at), nested);
      if (loop) found.set(s, loop);
    });
  };

  function analyse(s: Stmt & { k: "while" }, before: Stmt[], nested: boolean): IndependentLoop | undefined {
    const body = s.body;
    if (!body.every((b): b is Stmt & { k: "assign" } => b.k === "assign" && !hasCall(b.e))) return undefined;
    let n = body.length;
    while (n > 0 && isStep(body[n - 1])) n--;
    const steps = body.slice(n);
    const names = body.map((b) => b.name);
    const counterNames = steps.map((b) => b.name);
    if (steps.length === 0 || new Set(names).size !== names.length) return undefined;
    const cond = allReads(s.c);
    const outside = new Set<string>();
    readsIn(fn.body, s, outside);
    const temporaries: (Stmt & { k: "assign" })[] = [];
    const accumulators = new Map<string, Stmt & { k: "assign" }>();
    for (let j = 0; j < n; j++) {
      const b = body[j];
      const x = b.name;
      if (cond.has(x) || params.has(x) || !numeric(x) || x === fn.result || fn.flags.includes(x)) return undefined;
      const readElsewhere = body.some((o, k) => k !== j && allReads(o.e).has(x));
      if (isIncrement(b) && !readElsewhere) { accumulators.set(x, b); continue; }
      // a temporary: read only by the statements after its definition, and never outside the loop
      const readBefore = body.slice(0, j + 1).some((o) => allReads(o.e).has(x));
      if (readBefore || outside.has(x)) return undefined;
      temporaries.push(b);
    }
    // the condition reads counters and locals the body leaves alone
    for (const r of cond) if (names.includes(r) && !counterNames.includes(r)) return undefined;
    const counters: IndependentLoop["counters"] = [];
    for (const c of counterNames) {
      if (!numeric(c) || params.has(c)) return undefined;
      const init = [...before].reverse().find((b) => assigns([b], c));
      if (init?.k === "assign" && init.e.k === "num") counters.push({ name: c, entry: init.e });
      else if (!nested) counters.push({ name: c, entry: undefined });
      else return undefined;
    }
    return { counters, steps, temporaries, accumulators };
  }

  visit(fn.body, false);
  return found;
}
