// Calls that write into an argument the caller holds (a local, or a parameter no gradient flows
// through): which local each call's writes land in, and whether the caller's adjoint sweep reads
// that local's contents as they were before the call (it then cannot be differentiated: BP1018).
import type { FnRef, Func, Stmt } from "../ir/ir.js";
import { rootOf } from "../ir/ir.js";
import { aliasGroups, sharedRoots } from "./aliases.js";
import { forEachStmt } from "./statements.js";
import { callsOf, paramsWritten, type CalleeBody } from "./writes.js";

/** A call that writes into what one of its arguments holds: the local (or parameter) written, and the callee's parameter. */
export interface ArgumentWrite {
  fn: FnRef;
  /** the caller's local the write lands in (`h(m[i])` writes into m) */
  root: string;
  /** the callee's parameter that receives it, as a message names it (a method's receiver: `this`) */
  param: string;
}

/**
 * What the calls in statement `s` (its own expressions, not nested statements') write into, by
 * their callees' written parameters, transitively. A callee that could not be lowered (one a
 * subclass overrides, say) is taken to write nothing, as for BP1018: taking it to write everything
 * would reject every such method call on an object the adjoint reads.
 */
export function argumentWrites(fn: Func, s: Stmt, calleeBody: CalleeBody): ArgumentWrite[] {
  const out: ArgumentWrite[] = [];
  for (const c of callsOf(s)) {
    const g = calleeBody(c.fn);
    if (!g) continue;
    const written = new Set(paramsWritten(g, calleeBody, "none"));
    c.args.forEach((a, i) => {
      const param = g.params[i]?.name;
      if (param === undefined || !written.has(param)) return;
      const root = rootOf(a);
      for (const r of root !== undefined ? [root] : sharedRoots(a)) out.push({ fn: c.fn, root: r, param: paramLabel(c.fn, i, param) });
    });
  }
  return out;
}

/** How a message names a callee's parameter: a method's receiver (its first, `self`) is `this`. */
export function paramLabel(ref: FnRef, index: number, name: string): string {
  return index === 0 && (ref.kind === "method" || ref.kind === "getter") ? "this" : name;
}

/** The first call in `fn`'s body that writes into what the local or parameter `name` holds. */
export function callWritingInto(fn: Func, name: string, calleeBody: CalleeBody): FnRef | undefined {
  let found: FnRef | undefined;
  forEachStmt(fn.body, (s) => { found ??= argumentWrites(fn, s, calleeBody).find((w) => w.root === name)?.fn; });
  return found;
}

/**
 * Calls that write into an array or record whose contents the adjoint sweep reads as they were
 * before the call: the adjoint of a statement that may run before the call (earlier in the body,
 * anywhere in a loop around it, or the call's own statement, whose adjoint may run the callee's
 * derivative on the same arguments) reads the written local or one it shares a value with. Only
 * the function's own writes are saved and restored, so that adjoint would read the contents as the
 * call left them. The first such write per statement; `adjointReads` is the dry run's (what each
 * statement's adjoint reads).
 */
export function argumentWritesReadByAdjoint(fn: Func, adjointReads: ReadonlyMap<Stmt, ReadonlySet<string>>, calleeBody: CalleeBody): Map<Stmt, ArgumentWrite> {
  const out = new Map<Stmt, ArgumentWrite>();
  const groups = aliasGroups(fn);
  const sharing = (x: string) => groups.find((g) => g.includes(x)) ?? [x];
  const readsIn = (list: Stmt[]) => {
    const reads = new Set<string>();
    forEachStmt(list, (s) => { for (const r of adjointReads.get(s) ?? []) reads.add(r); });
    return reads;
  };
  // the reads that may come before a statement's call are gathered only for a statement whose
  // calls write into an argument (most have none): copying them for every statement was quadratic
  const check = (s: Stmt, ...readSets: ReadonlySet<string>[]) => {
    const writes = argumentWrites(fn, s, calleeBody);
    if (writes.length === 0) return;
    const reads = new Set(readSets.flatMap((r) => [...r]));
    if (reads.size === 0) return;
    const hit = writes.find((w) => sharing(w.root).some((x) => reads.has(x)));
    if (hit) out.set(s, hit);
  };
  const walk = (list: Stmt[], before: Set<string>, inLoop: ReadonlySet<string>) => {
    for (const s of list) {
      const own = adjointReads.get(s) ?? new Set<string>();
      if (s.k === "while") {
        const body = readsIn(s.body);
        const around = new Set([...inLoop, ...body]);
        // the condition runs again after every iteration
        check(s, before, around);
        walk(s.body, new Set(before), around);
        for (const r of body) before.add(r);
      } else if (s.k === "if") {
        check(s, before, inLoop);
        walk(s.then, new Set(before), inLoop);
        walk(s.else, new Set(before), inLoop);
        for (const r of readsIn([s])) before.add(r);
      } else {
        check(s, before, inLoop, own);
        for (const r of own) before.add(r);
      }
    }
  };
  walk(fn.body, new Set(), new Set());
  return out;
}
