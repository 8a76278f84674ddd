// Recompute instead of store (Tapenade's recomputation): a local defined once by a cheap read —
// `v = xs[i]` for a map callback's parameter, `row = m[i]`, `a = acc` — can be re-read from its
// definition wherever the adjoint sweep needs it, provided nothing that definition reads changes
// between the definition and the use. Then the local is never saved at all.
//
// Every read must sit in the statements after the definition, in the same statement list: the
// adjoint sweep recomputes the local once per pass over that list, just before the adjoint of the
// last statement that reads it (outside any inner loop that reads it).
import type { Expr, Func, Stmt } from "../ir/ir.js";
import { writtenRoot } from "../ir/ir.js";
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

function assignedIn(list: Stmt[], out = new Set<string>()): Set<string> {
  for (const s of list) {
    if (s.k === "assign") out.add(s.name);
    else if (s.k === "if") { assignedIn(s.then, out); assignedIn(s.else, out); }
    else if (s.k === "while") assignedIn(s.body, out);
  }
  return out;
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
  const written = new Set<string>();
  const count = (list: Stmt[]) => {
    for (const s of list) {
      if (s.k === "assign") defs.set(s.name, (defs.get(s.name) ?? 0) + 1);
      else if (s.k === "store" || s.k === "push") {
        const r = writtenRoot(s);
        if (r) written.add(r);
      } else if (s.k === "if") { count(s.then); count(s.else); }
      else if (s.k === "while") count(s.body);
    }
  };
  count(fn.body);
  for (const p of fn.params) defs.set(p.name, (defs.get(p.name) ?? 0) + 1);
  for (const group of aliasGroups(fn)) if (group.some((x) => written.has(x))) for (const x of group) written.add(x);

  const out = new Map<string, Remat>();
  const scan = (list: Stmt[]) => {
    list.forEach((s, k) => {
      if (s.k === "if") { scan(s.then); scan(s.else); return; }
      if (s.k === "while") { scan(s.body); return; }
      if (s.k !== "assign" || defs.get(s.name) !== 1 || !isCheap(s.e) || s.e.k === "var" && s.e.name === s.name) return;
      const operands = allReads(s.e);
      if ([...operands].some((o) => written.has(o) || o === s.name)) return;
      // every read of the local comes after its definition in this list, with no operand changed in between
      const before = list.slice(0, k);
      if (before.some((t) => readsIn(t).has(s.name))) return;
      const changed = new Set<string>();
      for (const t of list.slice(k + 1)) {
        const readsHere = readsIn(t).has(s.name);
        for (const a of assignedIn([t])) changed.add(a);
        if (readsHere && [...operands].some((o) => changed.has(o))) return;
      }
      if (countReads(fn.body, s.name) !== countReads(list.slice(k + 1), s.name)) return;
      out.set(s.name, { e: s.e, def: s });
    });
  };
  scan(fn.body);
  // a definition that reads another recomputed local would be checked only against its own uses:
  // keep such chains out (the outer one is then saved as usual)
  for (let changed = true; changed; ) {
    changed = false;
    for (const [x, { e }] of out) if ([...allReads(e)].some((r) => r !== x && out.has(r))) { out.delete(x); changed = true; }
  }
  return out;
}
