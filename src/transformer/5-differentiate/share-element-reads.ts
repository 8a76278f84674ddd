// An element read repeated across a straight-line stretch of generated code, read once. The
// adjoint recomputes a loop body's values and differentiates them, so Rosenbrock's step read
// `x[i]` five times where a hand-written gradient reads it once (`const xi = x[i]`). V8 cannot
// share those reads itself: every `dx[i] += …` in between might, for all it knows, write into x.
// We know better: a shadow never shares memory with a value (hoist.ts, HoistContext.sharing), so
// only stores into values, assignments to the names a read depends on, and calls end a read's life.
// Typed arrays only: Rosenbrock over a Float64Array went from 1.6x the hand-written gradient to
// 1.3x, while over a number[] (whose element loads V8 keeps cheap) the constant cost about 4%.
import type { Expr, OStmt, VType } from "../ir/ir.js";
import { callsNothing, forEachChild, mapChildren, rootOf, someChild } from "../ir/ir.js";
import { rowName } from "./hoist.js";

export interface ElementReadContext {
  /** an adjoint (shadow) local: stores into it never change a value's elements */
  isShadow(name: string): boolean;
  /** a parameter's or user local's type ("unknown" for names the generated code made) */
  typeOf(name: string): VType;
  fresh(base: string): string;
}

/** `body` (and every block inside it) with repeated element reads bound to constants. */
export function shareElementReads(body: OStmt[], cx: ElementReadContext): OStmt[] {
  const assigned = assignments(body);
  const shadowParts = shadowDerived(assigned, cx);
  const isShadow = (name: string) => cx.isShadow(name) || shadowParts.has(name);
  const typedRead = readsTypedArray(assigned, cx);
  // typed arrays only: a body reading no element of one (most) has nothing to share
  if (!readsTypedElement(body, typedRead)) return body;
  const walk = (block: OStmt[]): OStmt[] =>
    shareInBlock(block.map((s): OStmt => {
      switch (s.k) {
        case "if": return { ...s, then: walk(s.then), else: walk(s.else) };
        case "while": case "countdown": case "fn": return { ...s, body: walk(s.body) };
        default: return s;
      }
    }), isShadow, typedRead, cx.fresh);
  return walk(body);
}

/** Whether any element read in `stmts` (a superset of those shareInBlock looks at) takes an element of a typed array. */
function readsTypedElement(stmts: OStmt[], typedRead: (read: Expr) => boolean): boolean {
  const inExpr = (e: Expr): boolean => (e.k === "index" && typedRead(e)) || someChild(e, inExpr);
  return stmts.some((s) => {
    switch (s.k) {
      case "let": return s.init !== undefined && inExpr(s.init);
      case "set": return inExpr(s.target) || inExpr(s.value);
      case "do": case "throw": return inExpr(s.e);
      case "return": return s.e !== undefined && inExpr(s.e);
      case "if": return inExpr(s.c) || readsTypedElement(s.then, typedRead) || readsTypedElement(s.else, typedRead);
      case "while": return inExpr(s.c) || readsTypedElement(s.body, typedRead);
      case "countdown": return (s.from !== undefined && inExpr(s.from)) || readsTypedElement(s.body, typedRead);
      case "fn": return s.params.some((p) => typeof p !== "string" && inExpr(p.init)) || readsTypedElement(s.body, typedRead);
      default: return true;
    }
  });
}

/** One element read's life in a block: from its first unconditional read to what ends it. */
interface Life {
  key: string;
  read: Expr;
  /** the names whose assignment changes what it reads: the root and the index's names */
  deps: Set<string>;
  first: number;
  last: number;
  count: number;
  name?: string;
}

function shareInBlock(block: OStmt[], isShadow: (name: string) => boolean, typedRead: (read: Expr) => boolean, fresh: (base: string) => string): OStmt[] {
  const open = new Map<string, Life>();
  const lives: Life[] = [];
  block.forEach((s, at) => {
    const exprs = straightLine(s);
    if (!exprs) { open.clear(); return; }
    for (const e of exprs) {
      elementReads(e, false, isShadow, (read, onlyIfOpen) => {
        if (!typedRead(read)) return;
        const key = JSON.stringify(read);
        const life = open.get(key);
        if (life) { life.count++; life.last = at; return; }
        if (onlyIfOpen) return;
        const opened: Life = { key, read, deps: namesIn(read), first: at, last: at, count: 1 };
        open.set(key, opened);
        lives.push(opened);
      });
    }
    // what the statement changes ends the reads of it, after the statement's own reads
    if (s.k === "let") endReadsOf(open, (l) => l.deps.has(s.name));
    if (s.k === "set") {
      if (s.target.k === "var") { const name = s.target.name; endReadsOf(open, (l) => l.deps.has(name)); }
      else {
        const root = rootOf(s.target);
        if (root === undefined || !isShadow(root)) open.clear();
      }
    }
  });
  const shared = lives.filter((l) => l.count >= 2);
  if (shared.length === 0) return block;
  // a read inside another's index is declared first, so the outer one's constant can use it
  shared.sort((a, b) => a.first - b.first || a.key.length - b.key.length);
  const out: OStmt[] = [];
  block.forEach((s, at) => {
    const live = shared.filter((l) => l.first <= at && at <= l.last);
    const replace = (e: Expr, declared: Life[]): Expr => {
      const key = e.k === "index" || e.k === "prop" ? JSON.stringify(e) : undefined;
      const life = key === undefined ? undefined : declared.find((l) => l.key === key);
      return life ? { k: "var", name: life.name! } : mapChildren(e, (c) => replace(c, declared));
    };
    const starting = live.filter((l) => l.first === at);
    const consts: OStmt[] = starting.map((l, i) => {
      l.name = fresh(readName(l.read));
      const before = [...live.filter((m) => m.first < at), ...starting.slice(0, i)];
      return { k: "let", name: l.name, init: replace(l.read, before), konst: true };
    });
    if (consts.length > 0 && s.note) { consts[0] = { ...consts[0], note: s.note }; s = { ...s, note: undefined }; }
    out.push(...consts, live.length > 0 ? replaceIn(s, (e) => replace(e, live)) : s);
  });
  return out;
}

function endReadsOf(open: Map<string, Life>, ends: (l: Life) => boolean): void {
  for (const [key, life] of open) if (ends(life)) open.delete(key);
}

/**
 * The expressions a simple statement evaluates; undefined for control flow, markers, and
 * statements that call anything (a call may write into any array it can reach).
 */
function straightLine(s: OStmt): Expr[] | undefined {
  let exprs: Expr[];
  switch (s.k) {
    case "let": exprs = s.init ? [s.init] : []; break;
    // a stored-into element is written, not read: only the parts naming it are reads
    case "set": exprs = [...(s.target.k === "index" ? [s.target.obj, s.target.index] : s.target.k === "prop" ? [s.target.obj] : []), s.value]; break;
    case "do": exprs = [s.e]; break;
    default: return undefined;
  }
  return exprs.every(callsNothing) ? exprs : undefined;
}

/**
 * Calls `found` for each element read in `e` (a chain of element and field reads from a value
 * local with at least one element step), outermost first. A read that only some evaluations reach
 * (`c ? x[i] : 0`, `p && p.w[i]`) may only reuse a constant, never open one: reading it
 * unconditionally could throw where the program did not.
 */
function elementReads(e: Expr, conditional: boolean, isShadow: (name: string) => boolean, found: (read: Expr, onlyIfOpen: boolean) => void): void {
  if (e.k === "index" && chainOfReads(e) && !isShadow(rootOf(e)!)) {
    found(e, conditional);
    // the reads inside its indices are reads too
    for (let part: Expr = e; part.k === "index" || part.k === "prop"; part = part.obj) {
      if (part.k === "index") elementReads(part.index, conditional, isShadow, found);
    }
    return;
  }
  if (e.k === "cond") {
    elementReads(e.c, conditional, isShadow, found);
    elementReads(e.a, true, isShadow, found);
    elementReads(e.b, true, isShadow, found);
    return;
  }
  if (e.k === "bin" && (e.op === "&&" || e.op === "||" || e.op === "??")) {
    elementReads(e.a, conditional, isShadow, found);
    elementReads(e.b, true, isShadow, found);
    return;
  }
  forEachChild(e, (c) => elementReads(c, conditional, isShadow, found));
}

/** `x[i]`, `m[i][j]`, `p.w[k]`: element and field steps from a local, with call-free indices. */
function chainOfReads(e: Expr): boolean {
  for (; e.k === "index" || e.k === "prop"; e = e.obj) if (e.k === "index" && !callsNothing(e.index)) return false;
  return e.k === "var";
}

function namesIn(e: Expr, out = new Set<string>()): Set<string> {
  if (e.k === "var") out.add(e.name);
  forEachChild(e, (c) => namesIn(c, out));
  return out;
}

/** `x[i]` → `xi` (as one would write it), `xs[i]` → `xsI`, `t[0]` → `t0`, `row[1]` → `rowAt1`, `x[i + 1]` → `xElem` */
function readName(e: Expr): string {
  if (e.k !== "index") return rowName(e);
  const owner = readName(e.obj);
  const short = owner.length === 1;
  if (e.index.k === "var") return short ? `${owner}${e.index.name}` : `${owner}${e.index.name[0].toUpperCase()}${e.index.name.slice(1)}`;
  if (e.index.k === "num" && Number.isInteger(e.index.v)) return short ? `${owner}${e.index.v}` : `${owner}At${e.index.v}`;
  return `${owner.replace(/Elem$/, "")}Elem`;
}

function replaceIn(s: OStmt, f: (e: Expr) => Expr): OStmt {
  switch (s.k) {
    case "let": return s.init ? { ...s, init: f(s.init) } : s;
    case "set": {
      const t = s.target;
      const target: Expr = t.k === "index" ? { ...t, obj: f(t.obj), index: f(t.index) } : t.k === "prop" ? { ...t, obj: f(t.obj) } : t;
      return { ...s, target, value: f(s.value) };
    }
    case "do": return { ...s, e: f(s.e) };
    default: return s;
  }
}

/**
 * Whether a chain of reads takes an element of a typed array: `x[i]` for a Float64Array x, `m[i][j]`
 * for rows of one, and through the locals the generated code binds to parts (`mRow[j]`) or to the
 * array itself (`xSaved`, a view of x's saved copy).
 */
function readsTypedArray(assigned: Assignment[], cx: ElementReadContext): (read: Expr) => boolean {
  const bound = new Map<string, Expr>();
  // (a guess at worst: the type only decides whether sharing is worth it, never whether it is right)
  for (const { name, value, declares } of assigned) if (declares && value && chainOfReads(value)) bound.set(name, value);
  const typeOf = (e: Expr, depth = 0): VType => {
    if (depth > 16) return { k: "unknown" };
    if (e.k === "var") {
      const t = cx.typeOf(e.name);
      const part = bound.get(e.name);
      return t.k === "unknown" && part ? typeOf(part, depth + 1) : t;
    }
    if (e.k !== "index" && e.k !== "prop") return { k: "unknown" };
    const outer = typeOf(e.obj, depth + 1);
    if (e.k === "prop") return outer.k === "record" ? outer.fields.find((f) => f.name === e.name)?.type ?? { k: "unknown" } : { k: "unknown" };
    if (outer.k === "array") return outer.elem;
    if (outer.k === "typed") return { k: "num" };
    if (outer.k === "tuple" && e.index.k === "num") return outer.elems[e.index.v] ?? { k: "unknown" };
    return { k: "unknown" };
  };
  return (read) => read.k === "index" && typeOf(read.obj).k === "typed";
}

/**
 * Locals the generated code binds only to parts of shadows (`const dWRow = dW[i]`, hoisted out of
 * a loop): stores through them change a shadow, never a value.
 */
function shadowDerived(assigned: Assignment[], cx: ElementReadContext): Set<string> {
  const inits = new Map<string, (Expr | undefined)[]>();
  for (const { name, value } of assigned) inits.set(name, [...(inits.get(name) ?? []), value]);
  const out = new Set<string>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, values] of inits) {
      if (out.has(name) || cx.isShadow(name)) continue;
      const parts = values.every((e) => e !== undefined && (e.k === "index" || e.k === "prop") && chainOfReads(e) && (cx.isShadow(rootOf(e)!) || out.has(rootOf(e)!)));
      if (parts) { out.add(name); grew = true; }
    }
  }
  return out;
}

/** A value the body gives a local: a `let`'s initialiser (undefined: none) or a `set`'s. */
interface Assignment {
  name: string;
  value: Expr | undefined;
  declares: boolean;
}

function assignments(body: OStmt[]): Assignment[] {
  const out: Assignment[] = [];
  const visit = (list: OStmt[]) => {
    for (const s of list) {
      if (s.k === "let") out.push({ name: s.name, value: s.init, declares: true });
      else if (s.k === "set" && s.target.k === "var") out.push({ name: s.target.name, value: s.value, declares: false });
      else if (s.k === "if") { visit(s.then); visit(s.else); }
      else if (s.k === "while" || s.k === "countdown" || s.k === "fn") visit(s.body);
    }
  };
  visit(body);
  return out;
}
