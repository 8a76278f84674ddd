// Dead primal code out of the generated function. The forward sweep replays the whole primal, but
// a gradient-only derivative (what `grad` and every callee's adjoint call use) never returns the
// value: whatever only fed the value (`s += 100 * a * a + b * b` when the adjoint recomputes a and
// b) is dead, as are values the adjoint re-derives itself. Classic backward liveness over the
// output IR, loops to a fixpoint; only assignments to locals whose value nobody reads are removed,
// and only when they call nothing (a call may have effects, a stack pop must stay paired), and
// loops left doing nothing but that.
import type { Expr, OStmt } from "../ir/ir.js";
import { forEachChild } from "../ir/ir.js";
import { not } from "./build.js";
import { without } from "./dead-records.js";

/** `body` without assignments whose value is never read; unchanged if it holds anything unfamiliar. */
export function removeDeadAssignments(body: OStmt[]): OStmt[] {
  // The fixpoints below sweep each expression a score of times: what it reads and whether it is
  // pure are worked out once, in one walk (expressions are not changed here, only dropped).
  const described = new Map<Expr, Described>();
  const describe = (e: Expr) => {
    let d = described.get(e);
    if (!d) { const names: string[] = []; described.set(e, (d = { names, flags: walk(e, names) })); }
    return d;
  };
  const cx: Facts = {
    deadRecords: new Set(),
    occursOnce: () => false,
    names: (e) => describe(e).names,
    pure: (e) => (describe(e).flags & CALLS) === 0,
    familiar: (e) => (describe(e).flags & UNFAMILIAR) === 0,
  };
  if (!body.every((s) => familiar(cx, s))) return body;
  // removing one assignment can leave another's value unread: again until nothing changes
  for (let size = -1, now = countStmts(body); size !== now; now = countStmts(body)) {
    size = now;
    cx.occursOnce = occursOnceIn(body, cx);
    body = sweep(body, new Set(), true, cx).stmts;
    // the saves whose restores went: their pushes go too, so every other record still pairs
    if (cx.deadRecords.size > 0) body = withoutPushes(body, cx.deadRecords);
  }
  return body;
}

/**
 * Whether a name occurs at most once in `body` (its declaration alone), asked of the few dead
 * `let`s a sweep meets: counting every name of the body up front, each iteration, cost more than
 * the rest of the pass (and made its hottest function for V8 to optimise).
 */
function occursOnceIn(body: OStmt[], cx: Facts): (name: string) => boolean {
  const known = new Map<string, boolean>();
  return (name) => {
    let once = known.get(name);
    if (once === undefined) known.set(name, (once = occurrences(body, name, cx, 0) <= 1));
    return once;
  };
}

/** `n` plus how often `name` occurs in `stmts` (declarations, assignments and reads), counting no further than 2. */
function occurrences(stmts: OStmt[], name: string, cx: Facts, n: number): number {
  for (let i = 0; i < stmts.length && n < 2; i++) {
    const s = stmts[i];
    switch (s.k) {
      case "let": if (s.name === name) n++; if (s.init) n = among(cx.names(s.init), name, n); break;
      case "set": n = among(cx.names(s.value), name, among(cx.names(s.target), name, n)); break;
      case "do": case "throw": n = among(cx.names(s.e), name, n); break;
      case "return": if (s.e) n = among(cx.names(s.e), name, n); break;
      case "if": n = occurrences(s.else, name, cx, occurrences(s.then, name, cx, among(cx.names(s.c), name, n))); break;
      case "while": n = occurrences(s.body, name, cx, among(cx.names(s.c), name, n)); break;
      case "countdown": if (s.name === name) n++; if (s.from) n = among(cx.names(s.from), name, n); n = occurrences(s.body, name, cx, n); break;
      default: break;
    }
  }
  return n;
}

function among(names: readonly string[], name: string, n: number): number {
  for (let i = 0; i < names.length; i++) if (names[i] === name) n++;
  return n;
}

interface Described {
  names: string[];
  flags: number;
}

interface Facts {
  /** stack records (`stackSite`) whose restore was dropped: their push goes as well */
  deadRecords: Set<number>;
  /** whether a name occurs (declared, assigned or read) at most once in the body being swept */
  occursOnce(name: string): boolean;
  /** every name an expression reads, once per occurrence */
  names(e: Expr): readonly string[];
  /** evaluating it changes nothing: no call, no allocation that anyone could see */
  pure(e: Expr): boolean;
  /** made only of expressions this pass knows */
  familiar(e: Expr): boolean;
}

interface Swept {
  /** `stmts` itself when not removing (only the liveness is wanted) */
  stmts: OStmt[];
  /** live before the statements */
  live: Set<string>;
}

function sweep(stmts: OStmt[], liveOut: Set<string>, remove: boolean, cx: Facts): Swept {
  let live = new Set(liveOut);
  // only a removing sweep builds the new list (the loops' fixpoints sweep their bodies many times)
  const out: OStmt[] | undefined = remove ? [] : undefined;
  for (let i = stmts.length - 1; i >= 0; i--) {
    const s = stmts[i];
    switch (s.k) {
      case "let": {
        const dead = !live.has(s.name) && (!s.init || cx.pure(s.init));
        // a declaration others still assign to stays, with a value that reads nothing
        if (dead && remove && cx.occursOnce(s.name)) continue;
        if (dead && remove && s.init && !isTrivial(s.init) && !s.konst) { out!.push({ ...s, init: undefined }); live.delete(s.name); continue; }
        live.delete(s.name);
        if (s.init && !dead) reads(cx, s.init, live);
        out?.push(s);
        break;
      }
      case "set": {
        if (s.target.k === "var") {
          const x = s.target.name;
          if (!live.has(x) && cx.pure(s.value)) {
            if (remove) continue;
            break;
          }
          // a restore nobody reads (`found = savedObjs.pop()`): dropped with its save (withoutPushes)
          const record = s.op === "=" && s.value.k === "call" ? s.value.stackSite : undefined;
          if (!live.has(x) && record !== undefined) {
            if (remove) { cx.deadRecords.add(record); continue; }
            break;
          }
          if (s.op === "=") live.delete(x);
          else live.add(x);
          reads(cx, s.value, live);
        } else {
          reads(cx, s.target, live);
          reads(cx, s.value, live);
        }
        out?.push(s);
        break;
      }
      case "do": case "throw": reads(cx, s.e, live); out?.push(s); break;
      case "return": live = new Set(); if (s.e) reads(cx, s.e, live); out?.push(s); break;
      case "if": {
        const a = sweep(s.then, live, remove, cx), b = sweep(s.else, live, remove, cx);
        live = a.live;
        b.live.forEach((x) => live.add(x));
        reads(cx, s.c, live);
        if (!out) break;
        // a branch emptied by the removals goes: `if (c) {} else {B}` is `if (!c) {B}`
        if (a.stmts.length > 0) out.push({ ...s, then: a.stmts, else: b.stmts });
        else if (b.stmts.length > 0) out.push({ ...s, c: not(s.c), then: b.stmts, else: [] });
        else if (!cx.pure(s.c)) out.push({ ...s, then: [], else: [] });
        break;
      }
      case "while": {
        // a loop that only steps locals nobody reads afterwards (a forward loop that just counted)
        if (remove && cx.pure(s.c) && s.body.every((b) => b.k === "set" && b.target.k === "var" && !live.has(b.target.name) && cx.pure(b.value))) continue;
        // live at the loop head: what follows it, its condition, and what its body needs, to a fixpoint
        reads(cx, s.c, live);
        toLoopHead(s.body, live, cx);
        out?.push({ ...s, body: sweep(s.body, live, remove, cx).stmts });
        break;
      }
      case "countdown": {
        const after = new Set(live);
        live.add(s.name);
        toLoopHead(s.body, live, cx);
        const body = sweep(s.body, live, remove, cx).stmts;
        // a replay loop left with nothing to do, whose counter nobody reads afterwards
        if (remove && body.length === 0 && !after.has(s.name) && (!s.from || cx.pure(s.from))) { live = after; continue; }
        out?.push({ ...s, body });
        if (s.from) { live.delete(s.name); reads(cx, s.from, live); }
        break;
      }
      default: out?.push(s); break;
    }
  }
  return { stmts: out ? out.reverse() : stmts, live };
}

/** Grows `live` (what follows a loop) in place to what is live at the loop's head. */
function toLoopHead(body: OStmt[], live: Set<string>, cx: Facts): void {
  for (let size = -1; size !== live.size; ) {
    size = live.size;
    sweep(body, live, false, cx).live.forEach((x) => live.add(x));
  }
}

const EXPR_KINDS = new Set(["num", "lit", "var", "free", "bin", "un", "math", "cond", "index", "prop", "call", "array", "new", "object"]);

function familiar(cx: Facts, s: OStmt): boolean {
  const all = (list: OStmt[]) => list.every((x) => familiar(cx, x));
  switch (s.k) {
    case "let": return !s.init || cx.familiar(s.init);
    case "set": return cx.familiar(s.target) && cx.familiar(s.value);
    case "do": case "throw": return cx.familiar(s.e);
    case "return": return !s.e || cx.familiar(s.e);
    case "if": return cx.familiar(s.c) && all(s.then) && all(s.else);
    case "while": return cx.familiar(s.c) && all(s.body);
    case "countdown": return (!s.from || cx.familiar(s.from)) && all(s.body);
    default: return false;
  }
}

const isTrivial = (e: Expr) => e.k === "num" || e.k === "lit";

function reads(cx: Facts, e: Expr, out: Set<string>): void {
  const names = cx.names(e);
  for (let i = 0; i < names.length; i++) out.add(names[i]);
}

const CALLS = 1, UNFAMILIAR = 2;

/** Pushes the names `e` reads (each occurrence, in order); returns whether anything in it calls
 * (as callsNothing) or is of a kind this pass does not know. */
function walk(e: Expr, names: string[]): number {
  let flags = EXPR_KINDS.has(e.k) ? 0 : UNFAMILIAR;
  if (e.k === "call" || e.k === "new" || e.k === "arrow") flags |= CALLS;
  if (e.k === "var") names.push(e.name);
  else forEachChild(e, (c) => { flags |= walk(c, names); });
  return flags;
}

function countStmts(stmts: OStmt[]): number {
  let n = 0;
  for (let i = 0; i < stmts.length; i++) {
    const s = stmts[i];
    n++;
    if (s.k === "if") n += countStmts(s.then) + countStmts(s.else);
    else if (s.k === "while" || s.k === "countdown") n += countStmts(s.body);
  }
  return n;
}

/** `body` without the stack pushes of `records` (saves whose restore is gone). */
function withoutPushes(body: OStmt[], records: ReadonlySet<number>): OStmt[] {
  return without(body, (s) => s.k === "do" && s.e.k === "call" && s.e.stackSite !== undefined && records.has(s.e.stackSite));
}
