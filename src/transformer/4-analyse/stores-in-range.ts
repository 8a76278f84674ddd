// Which element stores cannot make their array longer. Reverse mode needs it twice: a store that
// may write past the end grows the array's shadow with it (and the adjoint sweep shrinks both
// back), and a loop counts as independent only when its stores stay in range.
import type { Expr, Func, Stmt } from "../ir/ir.js";
import { forEachChild, lengthOf, rootOf, writtenRoot } from "../ir/ir.js";
import { allReads } from "./reads.js";
import { forEachStmt } from "./statements.js";

const sameExpr = (a: Expr, b: Expr) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Element stores that cannot make their array longer, so neither it nor its shadow changes length:
 * `t[e]` where a loop's or an if's test `e < t.length` holds (nothing since assigned a local that e
 * or t reads; a loop's test holds again every iteration), also as `e < n` when every value t is set
 * to is `new Array(n)` (`.fill(0)`) with n fixed; `t[t.length - 1]` and `t[k % t.length]` (below the
 * length, or not an index at all); `t[c]` below the length of every array literal t is ever set to.
 * Any other store may write past the end, which grows the array in JavaScript, and its shadow must
 * grow and shrink back with it.
 */
export function storesInRange(fn: Func): Set<Stmt> {
  const out = new Set<Stmt>();
  // (most functions store no element at all: nothing to find out)
  let storesElements = false;
  forEachStmt(fn.body, (s) => { storesElements ||= s.k === "store" && s.target.k === "index"; });
  if (!storesElements) return out;
  /** `index < limit` holds here; `names` are the locals whose assignment ends it */
  interface Bound { index: Expr; limit: Expr; names: Set<string> }
  // locals handed to a call (which might shorten them), what each local is set to (and whether
  // only once, outside loops and branches), arrays written into, `x.length = n`
  const handed = new Map<string, number>();
  const setTo = new Map<string, Expr[]>();
  const setOnTop = new Set<string>();
  const writtenInto = new Set<string>();
  let lengthWritten = false;
  const visitCalls = (e: Expr): void => {
    if (e.k === "call" || e.k === "new") {
      const passed = [...e.args, ...(e.k === "call" && e.receiver ? [e.receiver] : []), ...(e.callee.k === "prop" ? [e.callee.obj] : [])];
      for (const a of passed) {
        const r = a.k === "prop" && a.name === "length" ? undefined : rootOf(a);
        if (r) handed.set(r, (handed.get(r) ?? 0) + 1);
      }
    }
    forEachChild(e, visitCalls);
  };
  forEachStmt(fn.body, (s, nested) => {
    const w = writtenRoot(s);
    if (w) writtenInto.add(w);
    if (s.k === "assign") { setTo.set(s.name, [...(setTo.get(s.name) ?? []), s.e]); if (!nested) setOnTop.add(s.name); visitCalls(s.e); }
    else if (s.k === "store") { lengthWritten ||= s.target.k === "prop" && s.target.name === "length"; visitCalls(s.target); visitCalls(s.e); }
    else if (s.k === "push" || s.k === "expr" || s.k === "throw") visitCalls(s.e);
    else if (s.k === "if" || s.k === "while") visitCalls(s.c);
  });
  /** a local that holds one value throughout (a parameter, or set once up front), whose length no write changes */
  const fixed = (x: string): boolean =>
    !handed.has(x) && !writtenInto.has(x) && (setTo.get(x)?.length ?? 0) === (setOnTop.has(x) ? 1 : 0) && (setOnTop.has(x) || fn.params.some((p) => p.name === x));
  /** n when every value local x is set to is `new Array(n)` or `new Array(n).fill(c)`, n reading only fixed locals */
  const createdWithLength = (x: string, seen = new Set<string>(), fillOnly = false): Expr | undefined => {
    const defs = setTo.get(x);
    // (the receiver of `.fill(0)` is handed to that call only)
    if (!defs || seen.has(x) || (handed.get(x) ?? 0) > (fillOnly ? 1 : 0) || lengthWritten) return undefined;
    seen.add(x);
    const lengths = defs.map((e): Expr | undefined => {
      if (e.k === "new" && e.callee.k === "free" && e.callee.path === "Array" && e.args.length === 1) return e.args[0];
      if (e.k === "call" && e.callee.k === "prop" && e.callee.name === "fill" && e.callee.obj.k === "var") return createdWithLength(e.callee.obj.name, seen, true);
      return e.k === "var" ? createdWithLength(e.name, seen) : undefined;
    });
    const n = lengths[0];
    return n && lengths.every((m) => m && sameExpr(m, n)) && [...allReads(n)].every(fixed) ? n : undefined;
  };
  /** the least length local x can have (0 when unknown): every value it is set to is an array literal */
  const minLength = (x: string, seen = new Set<string>()): number => {
    const defs = setTo.get(x);
    if (!defs || seen.has(x) || handed.has(x) || lengthWritten || fn.params.some((p) => p.name === x)) return 0;
    seen.add(x);
    return Math.min(...defs.map((e) => (e.k === "array" ? e.elems.length : e.k === "var" ? minLength(e.name, seen) : 0)));
  };
  const assigns = (stmts: Stmt[], names: Set<string>): boolean => {
    let hit = false;
    forEachStmt(stmts, (s) => {
      if (s.k === "assign" && names.has(s.name)) hit = true;
      // `t.length = 0`, or a call handed what the bound reads, could shorten the array
      if (s.k === "store" && s.target.k === "prop" && s.target.name === "length") hit = true;
      if ((s.k === "assign" || s.k === "expr") && (s.e.k === "call" || s.e.k === "new") && [...allReads(s.e)].some((r) => names.has(r))) hit = true;
    });
    return hit;
  };
  const boundsOf = (c: Expr): Bound[] => {
    if (c.k === "bin" && c.op === "&&") return [...boundsOf(c.a), ...boundsOf(c.b)];
    if (c.k === "bin" && c.op === "<") return [{ index: c.a, limit: c.b, names: new Set([...allReads(c.a), ...allReads(c.b)]) }];
    return [];
  };
  const inRange = (t: Expr & { k: "index" }, live: Bound[]): boolean => {
    const ix = t.index;
    const n = t.obj.k === "var" ? createdWithLength(t.obj.name) : undefined;
    if (live.some((b) => sameExpr(b.index, ix) && (sameExpr(b.limit, lengthOf(t.obj)) || (n && sameExpr(b.limit, n))))) return true;
    if (ix.k === "num") return Number.isInteger(ix.v) && ix.v >= 0 && t.obj.k === "var" && ix.v < minLength(t.obj.name);
    if (ix.k === "bin" && ix.op === "-" && sameExpr(ix.a, lengthOf(t.obj)) && ix.b.k === "num" && ix.b.v >= 1) return true;
    return ix.k === "bin" && ix.op === "%" && sameExpr(ix.b, lengthOf(t.obj));
  };
  const walk = (stmts: Stmt[], live: Bound[]): void => {
    for (const s of stmts) {
      if (s.k === "store" && s.target.k === "index" && inRange(s.target, live)) out.add(s);
      else if (s.k === "if") { walk(s.then, [...live, ...boundsOf(s.c)]); walk(s.else, live); }
      // a bound from outside holds in the body only if no iteration can end it
      else if (s.k === "while") walk(s.body, [...live.filter((b) => !assigns(s.body, b.names)), ...boundsOf(s.c)]);
      live = live.filter((b) => !assigns([s], b.names));
    }
  };
  walk(fn.body, []);
  return out;
}
