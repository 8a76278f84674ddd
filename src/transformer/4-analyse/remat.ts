// Recompute instead of store (Tapenade's recomputation): a local defined once by a cheap read —
// `v = xs[i]` for a map callback's parameter, `row = m[i]`, `a = acc` — can be re-read from its
// definition wherever the adjoint sweep needs it, provided nothing that definition reads changes
// between the definition and the use. Then the local is never saved at all.
//
// Every read must sit in the statements after the definition, in the same statement list: the
// adjoint sweep recomputes the local once per pass over that list, just before the adjoint of the
// last statement that reads it (outside any inner loop that reads it).
import type { Expr, Func, Stmt } from "../ir/ir.js";
import { forEachChild, writtenRoot } from "../ir/ir.js";
import { allReads } from "./reads.js";
import { aliasGroups } from "./aliases.js";

/** A read, or at most two arithmetic operations on reads: cheaper to redo than to save and restore. */
function isCheap(e: Expr, budget = 2): boolean {
  if (isCheapRead(e)) return true;
  if (budget > 0 && e.k === "bin" && (e.op === "+" || e.op === "-" || e.op === "*")) {
    const ops = (x: Expr): number => (x.k === "bin" ? 1 + ops(x.a) + ops(x.b) : x.k === "un" ? 1 + ops(x.a) : 0);
    return ops(e) <= budget && isCheap(e.a, budget - 1) && isCheap(e.b, budget - 1);
  }
  if (budget > 0 && e.k === "un" && e.op === "-") return isCheap(e.a, budget - 1);
  // `i > 0 ? x[i - 1] : 0`: a boundary case of a stencil
  if (budget > 0 && e.k === "cond" && e.c.k === "bin" && ["<", "<=", ">", ">=", "===", "!=="].includes(e.c.op)) {
    return isCheap(e.c.a, 1) && isCheap(e.c.b, 1) && isCheap(e.a, budget - 1) && isCheap(e.b, budget - 1);
  }
  return false;
}

function isCheapRead(e: Expr): boolean {
  switch (e.k) {
    case "var": case "num": case "free": return true;
    case "index": return isCheapRead(e.obj) && (e.index.k === "var" || e.index.k === "num" || (e.index.k === "bin" && isCheapRead(e.index.a) && isCheapRead(e.index.b) && e.index.a.k !== "index" && e.index.b.k !== "index"));
    case "prop": return isCheapRead(e.obj);
    default: return false;
  }
}

/** Locals a statement may change: assigned, written into (elements, fields, push), or handed to a call. */
function changedBy(list: Stmt[], out = new Set<string>()): Set<string> {
  for (const s of list) {
    if (s.k === "assign") out.add(s.name);
    const r = writtenRoot(s);
    if (r) out.add(r);
    if (s.k === "if") { changedBy(s.then, out); changedBy(s.else, out); }
    else if (s.k === "while") changedBy(s.body, out);
    // a callee may write into what it is handed
    else if (hasCall(s)) for (const x of readsIn(s)) out.add(x);
  }
  return out;
}

function hasCall(s: Stmt): boolean {
  const inExpr = (e: Expr): boolean => {
    if (e.k === "call" || e.k === "new") return true;
    let found = false;
    forEachChild(e, (c) => { if (!found && inExpr(c)) found = true; });
    return found;
  };
  if (s.k === "assign" || s.k === "expr" || s.k === "throw" || s.k === "push") return inExpr(s.e);
  if (s.k === "store") return inExpr(s.target) || inExpr(s.e);
  return false;
}

function readsIn(s: Stmt, out = new Set<string>()): Set<string> {
  switch (s.k) {
    case "assign": case "expr": case "throw": case "push": allReads(s.e, out); if (s.k === "push") out.add(s.arr); break;
    case "store": allReads(s.target, out); allReads(s.e, out); break;
    case "if": allReads(s.c, out); for (const t of [...s.then, ...s.else]) readsIn(t, out); break;
    case "while": allReads(s.c, out); for (const t of s.body) readsIn(t, out); break;
    default: break;
  }
  return out;
}

function countReads(list: Stmt[], name: string): number {
  let n = 0;
  for (const s of list) {
    if (s.k === "if") n += (allReads(s.c).has(name) ? 1 : 0) + countReads(s.then, name) + countReads(s.else, name);
    else if (s.k === "while") n += (allReads(s.c).has(name) ? 1 : 0) + countReads(s.body, name);
    else if (readsIn(s).has(name)) n++;
  }
  return n;
}

export interface Remat {
  /** the defining expression, re-evaluated by the adjoint sweep */
  e: Expr;
  /** the defining assignment; the recomputation goes in the adjoint of the list holding it */
  def: Stmt;
}

/** Locals that the adjoint sweep may replace by their defining expression. */
export function rematerializable(fn: Func): Map<string, Remat> {
  const defs = new Map<string, number>();
  const count = (list: Stmt[]) => {
    for (const s of list) {
      if (s.k === "assign") defs.set(s.name, (defs.get(s.name) ?? 0) + 1);
      else if (s.k === "if") { count(s.then); count(s.else); }
      else if (s.k === "while") count(s.body);
    }
  };
  count(fn.body);
  for (const p of fn.params) defs.set(p.name, (defs.get(p.name) ?? 0) + 1);
  // a value written through one name changes every name that may share it
  const groups = aliasGroups(fn);
  const widen = (names: Set<string>) => {
    for (const g of groups) if (g.some((x) => names.has(x))) for (const x of g) names.add(x);
    return names;
  };

  const out = new Map<string, Remat>();
  const scan = (list: Stmt[], nested: boolean) => {
    list.forEach((s, k) => {
      if (s.k === "if") { scan(s.then, true); scan(s.else, true); return; }
      if (s.k === "while") { scan(s.body, true); return; }
      // defined once at the top level: the value stays put through the adjoint sweep anyway
      if (!nested) return;
      if (s.k !== "assign" || defs.get(s.name) !== 1 || !isCheap(s.e) || s.e.k === "var" && s.e.name === s.name) return;
      const operands = allReads(s.e);
      if (operands.has(s.name)) return;
      // every read of the local comes after its definition in this list, with no operand changed
      // in between (the adjoint sweep restores what changes later, before it gets here)
      const before = list.slice(0, k);
      if (before.some((t) => readsIn(t).has(s.name))) return;
      // a reference (`row = m[i]`) stays the same reference when its contents change
      const byReference = fn.types.get(s.name)?.k !== "num";
      const changed = new Set<string>();
      for (const t of list.slice(k + 1)) {
        const readsHere = readsIn(t).has(s.name);
        const here = changedBy([t]);
        if (byReference) here.delete(s.name);
        for (const x of widen(here)) changed.add(x);
        if (readsHere && [...operands].some((o) => changed.has(o))) return;
      }
      if (countReads(fn.body, s.name) !== countReads(list.slice(k + 1), s.name)) return;
      out.set(s.name, { e: s.e, def: s });
    });
  };
  scan(fn.body, false);
  // a definition that reads another recomputed local would be checked only against its own uses:
  // keep such chains out (the outer one is then saved as usual)
  for (let changed = true; changed; ) {
    changed = false;
    for (const [x, { e }] of out) if ([...allReads(e)].some((r) => r !== x && out.has(r))) { out.delete(x); changed = true; }
  }
  return out;
}
