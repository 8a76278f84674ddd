// Activity analysis (as in Tapenade): a local is active when it varies with the differentiated
// inputs AND reaches the result. Only active locals get adjoints. Flow-insensitive per local,
// which is sound because lowering gives every declaration its own name.
import type { Func, Stmt } from "../ir/ir.js";
import { carriesNumbers, rootOf } from "../ir/ir.js";
import { diffReads } from "./reads.js";
import { aliasGroups } from "./aliases.js";

export interface Activity {
  active: Set<string>;
  /** vary with the inputs (whether or not they reach the result) */
  varied: Set<string>;
}

/** Every definition as (local it defines, locals it reads). A write into an element or a push keeps
 *  what the array already held, so it reads the array too. */
function assignments(body: Stmt[], visit: (name: string, reads: Set<string>) => void): void {
  for (const s of body) {
    if (s.k === "assign") visit(s.name, diffReads(s.e));
    else if (s.k === "store") { const r = rootOf(s.target); if (r) visit(r, diffReads(s.e, new Set([r]))); }
    else if (s.k === "push") visit(s.arr, diffReads(s.e, new Set([s.arr])));
    else if (s.k === "if") { assignments(s.then, visit); assignments(s.else, visit); }
    else if (s.k === "while") assignments(s.body, visit);
  }
}

export function analyseActivity(fn: Func, activeParams: Iterable<string>): Activity {
  const varied = new Set(activeParams);
  const useful = new Set([fn.result]);
  const edges: [string, Set<string>][] = [];
  assignments(fn.body, (name, reads) => edges.push([name, reads]));
  // names that share an array or record share its activity: a write through one is seen by all
  for (const group of aliasGroups(fn)) for (const x of group) edges.push([x, new Set(group)]);
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, reads] of edges) {
      if (!varied.has(name) && [...reads].some((r) => varied.has(r))) { varied.add(name); changed = true; }
      if (useful.has(name)) for (const r of reads) if (!useful.has(r)) { useful.add(r); changed = true; }
    }
  }
  const active = new Set<string>();
  for (const name of varied) {
    const t = fn.types.get(name);
    if (useful.has(name) && (!t || carriesNumbers(t))) active.add(name);
  }
  return { active, varied };
}
