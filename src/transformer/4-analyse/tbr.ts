// To-be-recorded analysis per assignment (Tapenade's TBR, on the structured IR): the value an
// assignment overwrites must be saved only if the adjoint sweep reads it, i.e. if the adjoint of
// some statement run between the previous assignment of that local and this one (this one
// included: `x = x * 2` reads the old x) reads the local. A forward dataflow over the program:
// `read` holds the locals whose current value some adjoint has read since it was assigned.
//
// A loop whose adjoint runs forwards (independent-loops.ts) is one step of this flow: it reads what
// its iterations' adjoints and replayed temporaries read, re-derives its own locals, and saves an
// accumulator (marked by its increment) only if the value from before the loop was read.
import type { Stmt } from "../ir/ir.js";
import type { IndependentLoop } from "./independent-loops.js";
import { allReads } from "./reads.js";

/** `readsAfter`: an assignment whose adjoint reads the value it assigned (`x = Math.tanh(s)`, 1 - x²). */
export function assignmentsToSave(
  body: Stmt[],
  adjointReads: Map<Stmt, Set<string>>,
  readsAfter = new Map<Stmt, Set<string>>(),
  independent = new Map<Stmt, IndependentLoop>(),
): Set<Stmt> {
  const save = new Set<Stmt>();
  const flow = (list: Stmt[], read: Set<string>): Set<string> => {
    let cur = new Set(read);
    for (const s of list) {
      const loop = independent.get(s);
      if (loop && s.k === "while") {
        for (const [a, increment] of loop.accumulators) if (cur.has(a)) save.add(increment);
        const own = new Set(s.body.map((b) => (b.k === "assign" ? b.name : "")));
        const reads = allReads(s.c);
        for (const b of s.body) {
          for (const r of adjointReads.get(b) ?? []) reads.add(r);
          if (b.k === "assign") allReads(b.e, reads);
        }
        for (const r of reads) if (!own.has(r)) cur.add(r);
        for (const x of own) cur.delete(x);
      } else if (s.k === "if") {
        const a = flow(s.then, cur), b = flow(s.else, cur);
        cur = new Set([...a, ...b]);
      } else if (s.k === "while") {
        // the body may run again after itself: iterate to a fixpoint
        let entry = new Set(cur);
        for (;;) {
          const exit = flow(s.body, entry);
          const next = new Set([...cur, ...exit]);
          if (next.size === entry.size) { cur = next; break; }
          entry = next;
        }
      } else {
        for (const r of adjointReads.get(s) ?? []) cur.add(r);
        if (s.k === "assign") {
          if (cur.has(s.name)) save.add(s);
          cur.delete(s.name);
        }
        for (const r of readsAfter.get(s) ?? []) cur.add(r);
      }
    }
    return cur;
  };
  flow(body, new Set());
  return save;
}
