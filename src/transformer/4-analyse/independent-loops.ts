// Loops whose iterations' adjoints are independent of each other, so the adjoint sweep may run
// them in the original order, recomputing each iteration's temporaries, instead of replaying the
// iterations backwards from saved values (the "parallel loop" of Tapenade and Enzyme). What that
// buys: no trip count, no saved temporaries, and a forward loop that only fed the value or the
// count is dead code — `for (i…) s += f(x[i], x[i+1])` differentiates like a hand-written gradient.
//
// An iteration may only: define temporaries (assigned once, read only after that in the same
// iteration, never outside the loop), accumulate into a local (`s += e`, s read nowhere else in
// the loop, so its adjoint is the same in every iteration), store into element `c` of an array of
// numbers (`f[i] = …`, the array read only at `[i]`, and only after the store, which may read its
// own old element when it is an increment `x[i] += e`), and step counters by one at the end of the
// body (`i++`), which with loop-invariant locals are all the condition reads. The stored elements
// are then a range known before the loop starts: saved in one copy, restored after the adjoint.
// Anything else — pushes, branches, inner loops, calls — keeps the backwards replay.
import type { Expr, Func, Stmt, VType } from "../ir/ir.js";
import { callsNothing, forEachChild } from "../ir/ir.js";
import { allReads } from "./reads.js";
import { aliasGroups } from "./aliases.js";

export interface IndependentLoop {
  /** each counter and the constant it starts from (`undefined`: read at loop entry, top level only) */
  counters: { name: string; entry: Expr | undefined }[];
  /** the counter steps that end the body (`i = i + 1`) */
  steps: (Stmt & { k: "assign" })[];
  /** definitions of the iteration's temporaries, in order: the adjoint sweep replays them */
  temporaries: (Stmt & { k: "assign" })[];
  /** accumulated locals and their one increment */
  accumulators: Map<string, Stmt & { k: "assign" }>;
  /** arrays stored into at a counter, and the bound of that counter in the loop condition */
  stores: { root: string; counter: string; bound: Expr; direction: 1 | -1 }[];
}

type Body = Stmt & ({ k: "assign" } | { k: "store" });

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

const hasCall = (e: Expr) => !callsNothing(e);

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

/** `r[c]` and `r.length` reads of `r` only (no other index, no other use), in `e`. */
function onlyAt(e: Expr, r: string, c: string | undefined): boolean {
  if (e.k === "index" && e.obj.k === "var" && e.obj.name === r) return c !== undefined && e.index.k === "var" && e.index.name === c;
  if (e.k === "prop" && e.obj.k === "var" && e.obj.name === r) return e.name === "length";
  if (e.k === "var") return e.name !== r;
  let ok = true;
  forEachChild(e, (x) => { if (ok && !onlyAt(x, r, c)) ok = false; });
  return ok;
}

/** `c < B` / `c <= B` (or mirrored): the bound B and the direction the counter must move to stay in. */
function boundOf(cond: Expr, c: string): { bound: Expr; direction: 1 | -1 } | undefined {
  if (cond.k !== "bin" || !["<", "<=", ">", ">="].includes(cond.op)) return undefined;
  const isC = (x: Expr) => x.k === "var" && x.name === c;
  const below = cond.op === "<" || cond.op === "<=";
  if (isC(cond.a) && !allReads(cond.b).has(c)) return { bound: cond.b, direction: below ? 1 : -1 };
  if (isC(cond.b) && !allReads(cond.a).has(c)) return { bound: cond.a, direction: below ? -1 : 1 };
  return undefined;
}

/** Every loop of `fn` whose adjoint may run forwards, with what that needs. */
/** A Math call worth more than saving its value (`exp`, `tanh`, `log`…; not `abs`, `min`, `floor`). */
function costly(e: Expr): boolean {
  if (e.k === "math" && !["abs", "sign", "min", "max", "floor", "ceil", "round", "trunc"].includes(e.fn)) return true;
  let found = false;
  forEachChild(e, (c) => { if (!found && costly(c)) found = true; });
  return found;
}

/** `e` is a sum of terms each linear in `x` or free of it: its adjoint never reads x. */
function linearIn(e: Expr, x: string): boolean {
  const free = (a: Expr) => !allReads(a).has(x);
  if (free(e) || (e.k === "var" && e.name === x)) return true;
  if (e.k === "un" && e.op === "-") return linearIn(e.a, x);
  if (e.k === "bin" && (e.op === "+" || e.op === "-")) return linearIn(e.a, x) && linearIn(e.b, x);
  if (e.k === "bin" && e.op === "*") return (free(e.a) && linearIn(e.b, x)) || (free(e.b) && linearIn(e.a, x));
  if (e.k === "bin" && e.op === "/") return free(e.b) && linearIn(e.a, x);
  return false;
}

/**
 * `valueNeeded`: the derivative returns the value too, so the forward loop stays. Then, or when
 * the loop's results are needed by other adjoints (it stores, or an accumulator is used
 * nonlinearly), replaying a temporary such as `e = Math.exp(z)` would compute it twice: such a
 * loop keeps the backwards replay, which saves it instead.
 */
export function independentLoops(fn: Func, typeOf: (x: string) => VType | undefined, inRange: (s: Stmt) => boolean, valueNeeded = true): Map<Stmt, IndependentLoop> {
  const found = new Map<Stmt, IndependentLoop>();
  const params = new Set(fn.params.map((p) => p.name));
  const numeric = (x: string) => typeOf(x)?.k === "num";
  // a typed array never grows; a number[] must be known not to (a store past the end saves its length)
  const numbers = (x: string, s: Stmt) => { const t = typeOf(x); return t?.k === "typed" || (t?.k === "array" && t.elem.k === "num" && inRange(s)); };
  const groups = aliasGroups(fn);
  /** every local the loop's condition and body mention */
  const usedIn = (loop: Stmt & { k: "while" }) => {
    const used = allReads(loop.c);
    readsIn(loop.body, loop, used);
    for (const b of loop.body) if (b.k === "store" && b.target.k === "index" && b.target.obj.k === "var") used.add(b.target.obj.name);
    return used;
  };
  /** no other name for the array `x` is among `used` (`const f = obj` elsewhere is fine) */
  const alone = (x: string, used: Set<string>) => !groups.some((g) => g.includes(x) && g.some((y) => y !== x && used.has(y)));
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
    if (!body.every((b): b is Body => (b.k === "assign" || (b.k === "store" && !hasCall(b.target))) && !hasCall(b.e))) return undefined;
    let n = body.length;
    while (n > 0 && isStep(body[n - 1])) n--;
    const steps = body.slice(n) as (Stmt & { k: "assign" })[];
    const assigned = body.filter((b): b is Stmt & { k: "assign" } => b.k === "assign");
    const names = assigned.map((b) => b.name);
    const counterNames = steps.map((b) => b.name);
    if (steps.length === 0 || new Set(names).size !== names.length) return undefined;
    const cond = allReads(s.c);
    const outside = new Set<string>();
    readsIn(fn.body, s, outside);
    const readsOf = (b: Body) => { const r = allReads(b.e); if (b.k === "store") allReads(b.target, r); return r; };
    const temporaries: (Stmt & { k: "assign" })[] = [];
    const accumulators = new Map<string, Stmt & { k: "assign" }>();
    const stores: IndependentLoop["stores"] = [];
    const used = usedIn(s);
    for (let j = 0; j < n; j++) {
      const b = body[j];
      if (b.k === "store") {
        const stored = storeAt(b, j);
        if (!stored) return undefined;
        stores.push(stored);
        continue;
      }
      const x = b.name;
      if (cond.has(x) || params.has(x) || !numeric(x) || x === fn.result || fn.flags.includes(x)) return undefined;
      const readElsewhere = body.some((o, k) => k !== j && readsOf(o).has(x));
      if (isIncrement(b) && !readElsewhere) { accumulators.set(x, b); continue; }
      // a temporary: read only by the statements after its definition, and never outside the loop
      const readBefore = body.slice(0, j + 1).some((o) => readsOf(o).has(x));
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
    if (temporaries.some((t) => costly(t.e)) && (valueNeeded || stores.length > 0 || [...accumulators.keys()].some(usedNonlinearly))) return undefined;
    return { counters, steps, temporaries, accumulators, stores };

    /** read after the loop where its adjoint would need its value */
    function usedNonlinearly(a: string): boolean {
      let nonlinear = false;
      const check = (list: Stmt[]) => {
        for (const o of list) {
          if (o === s) continue;
          if (o.k === "assign") { if (!linearIn(o.e, a)) nonlinear = true; }
          else if (o.k === "if") { if (allReads(o.c).has(a)) nonlinear = true; check(o.then); check(o.else); }
          else if (o.k === "while") { if (allReads(o.c).has(a)) nonlinear = true; check(o.body); }
          else { const r = new Set<string>(); readsIn([o], s, r); if (r.has(a)) nonlinear = true; }
        }
      };
      check(fn.body);
      return nonlinear;
    }

    /** `r[c] = e`: one store per array, at a counter stepping by one towards its bound. */
    function storeAt(b: Stmt & { k: "store" }, j: number): IndependentLoop["stores"][number] | undefined {
      const t = b.target;
      if (t.k !== "index" || t.obj.k !== "var" || t.index.k !== "var") return undefined;
      const r = t.obj.name, c = t.index.name;
      const step = steps.find((x) => x.name === c);
      const range = boundOf(s.c, c);
      // the condition may read the length (`i < f.length`): storing inside it never changes it
      if (!step || !range || !numbers(r, b) || !alone(r, used) || !onlyAt(s.c, r, undefined) || names.includes(r)) return undefined;
      const by = step.e.k === "bin" && step.e.b.k === "num" ? (step.e.op === "+" ? step.e.b.v : -step.e.b.v) : step.e.k === "bin" && step.e.a.k === "num" ? step.e.a.v : 0;
      if (by !== range.direction) return undefined;
      if (body.some((o, k) => k !== j && o.k === "store" && o.target.k === "index" && o.target.obj.k === "var" && o.target.obj.name === r)) return undefined;
      // read only as r[c], and not before the store: the adjoint sees the stored value, not the old one
      const own = incrementPart(b, r, c);
      for (let k = 0; k < body.length; k++) {
        const o = body[k] as Body;
        const e = k === j ? own : o.e;
        if (e === undefined || (k !== j && o.k === "store" && !onlyAt(o.target, r, c)) || !onlyAt(e, r, c)) return undefined;
        if (k <= j && !onlyAt(e, r, undefined)) return undefined;
      }
      return { root: r, counter: c, ...range };
    }
  }

  /** What `r[c] = r[c] + e` adds (e), or the whole value when it is not such an increment. */
  function incrementPart(b: Stmt & { k: "store" }, r: string, c: string): Expr {
    const e = b.e;
    const same = (x: Expr) => x.k === "index" && x.obj.k === "var" && x.obj.name === r && x.index.k === "var" && x.index.name === c;
    if (e.k === "bin" && (e.op === "+" || e.op === "-") && same(e.a)) return e.b;
    if (e.k === "bin" && e.op === "+" && same(e.b)) return e.a;
    return e;
  }

  visit(fn.body, false);
  return found;
}
