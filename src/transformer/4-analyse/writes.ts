// Which parameters a function writes into (elements, fields, push): such a function changes its
// caller's values, which the caller's adjoint sweep would then read changed.
import type { Expr, FnRef, Func, Stmt } from "../ir/ir.js";
import { forEachChild, isObjectCreate, rootOf, writtenRoot } from "../ir/ir.js";
import { forEachStmt } from "./statements.js";
import { aliasGroups, heldArguments, isNumber, sharedRoots } from "./aliases.js";

/**
 * The lowered body of the program function a call reaches; undefined for one that could not be
 * lowered. Calls without `fn` (library functions, `.d.ts` declarations) are never asked about.
 */
export type CalleeBody = (ref: FnRef) => Func | undefined;

/**
 * What a callee that could not be lowered (BP1020 in its body, say) is taken to write: everything it
 * is passed (`"all"`, the safe side for copying inputs: a copy too many costs time, never a wrong
 * input) or nothing (`"none"`, the safe side for BP1018: rejecting such a call would refuse programs
 * that run fine).
 */
export type UnseenCallees = "all" | "none";

/**
 * How deep a parameter is written: 1 when only its own elements or fields are set or pushed
 * (`p.b = 1`: a fresh object the caller passes changes, nothing it holds does), 2 when something
 * it holds may be written too (`p.w[0] = 1`, a write through an alias, a callee we cannot see into).
 */
type Depth = 1 | 2;
type ParamWrites = ReadonlyMap<string, Depth>;

/**
 * The parameters `fn` writes into, by itself or (given `calleeBody`) through the program functions
 * it calls, transitively: a gradient call copies them first so that it never mutates its inputs.
 */
export function paramsWritten(fn: Func, calleeBody?: CalleeBody, unseen: UnseenCallees = "all"): string[] {
  const writes = calleeBody ? transitiveWrites(fn, calleeBody, unseen) : ownWrites(fn, () => []);
  return fn.params.map((p) => p.name).filter((p) => writes.has(p));
}

// Per resolver (one per plan, whose lowered functions it returns) and per assumption about unseen
// callees: settled answers per function.
const settled = new WeakMap<CalleeBody, Record<UnseenCallees, WeakMap<Func, ParamWrites>>>();

/**
 * The least fixpoint over the functions `root` reaches: each starts writing nothing and grows with
 * what its callees write, until nothing changes, so (mutual) recursion settles instead of looping.
 */
function transitiveWrites(root: Func, calleeBody: CalleeBody, unseen: UnseenCallees): ParamWrites {
  let both = settled.get(calleeBody);
  if (!both) settled.set(calleeBody, (both = { all: new WeakMap(), none: new WeakMap() }));
  const done = both[unseen];
  const known = done.get(root);
  if (known) return known;
  const reached: Func[] = [];
  const seen = new Set<Func>([root]);
  for (const stack = [root]; stack.length > 0; ) {
    const f = stack.pop()!;
    reached.push(f);
    for (const c of factsOf(f).calls) {
      const g = calleeBody(c.fn);
      if (g && !done.has(g) && !seen.has(g)) { seen.add(g); stack.push(g); }
    }
  }
  const current = new Map<Func, ParamWrites>(reached.map((f) => [f, new Map()]));
  const writesOf = (ref: FnRef): CalleeWrites => {
    const g = calleeBody(ref);
    if (!g) return unseen === "all" ? "unknown" : [];
    const w = done.get(g) ?? current.get(g)!;
    return g.params.map((p) => w.get(p.name));
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const f of reached) {
      const w = ownWrites(f, writesOf);
      if (!sameWrites(w, current.get(f)!)) { current.set(f, w); changed = true; }
    }
  }
  for (const [f, w] of current) done.set(f, w);
  return current.get(root)!;
}

/** How deep a callee writes into each of its parameters, in order; "unknown": it could not be lowered. */
type CalleeWrites = readonly (Depth | undefined)[] | "unknown";

/** The parameters `fn` writes into, given what each function it calls writes into. */
function ownWrites(fn: Func, writesOf: (ref: FnRef) => CalleeWrites): ParamWrites {
  const { params, fresh, stores, calls } = factsOf(fn);
  const out = new Map<string, Depth>();
  const written = new Set<string>();
  const write = (r: string, depth: number) => {
    // `self.w = w` changes the new object, not the array it now holds (`self.w[0] = 1` would)
    if (!(fresh.has(r) && depth === 1)) written.add(r);
    if (params.has(r)) out.set(r, Math.max(out.get(r) ?? 1, Math.min(depth, 2)) as Depth);
  };
  for (const [r, depth] of stores) write(r, depth);
  // a callee writing into its parameter writes into what the caller passed there
  for (const c of calls) {
    const callee = writesOf(c.fn);
    c.args.forEach((a, i) => {
      const depth = callee === "unknown" ? (isNumber(fn, a) ? undefined : 2) : callee[i];
      if (depth === undefined) return;
      // `h(m[i])` writes into m one level down; `h([xs])` or `h(c ? xs : ys)`: whatever they hold
      const root = rootOf(a);
      if (root !== undefined) write(root, pathDepth(a) + depth);
      else for (const r of sharedRoots(a)) write(r, 2);
    });
  }
  // `const q = xs; q[0] = 1` writes into xs (a number cannot be written into, whatever it is stored in)
  const byReference = new Set(fn.params.filter((p) => p.type.k !== "num" && p.type.k !== "none").map((p) => p.name));
  for (const group of aliasGroups(fn)) {
    if (!group.some((x) => out.has(x) || (!params.has(x) && written.has(x)))) continue;
    for (const x of group) if (byReference.has(x) && !out.has(x)) out.set(x, 2);
  }
  return out;
}

/** What ownWrites needs of a function's body whatever its callees write. */
interface WriteFacts {
  params: Set<string>;
  fresh: Set<string>;
  /** each store or push: the local written into, and how deep */
  stores: [string, number][];
  calls: Call[];
}

// The fixpoint in transitiveWrites asks ownWrites of a function again per round, and per plan for
// both assumptions about unseen callees: what the body holds is walked once.
const facts = new WeakMap<Func, WriteFacts>();

function factsOf(fn: Func): WriteFacts {
  let f = facts.get(fn);
  if (!f) {
    const stores: [string, number][] = [];
    forEachStmt(fn.body, (s) => {
      const r = writtenRoot(s);
      if (r) stores.push([r, writeDepth(s)]);
    });
    f = { params: new Set(fn.params.map((p) => p.name)), fresh: freshObjects(fn), stores, calls: callsIn(fn) };
    facts.set(fn, f);
  }
  return f;
}

interface Call {
  fn: FnRef;
  /** what the callee's parameters receive, in order: a method's receiver first (its `self`) */
  args: Expr[];
}

/** The calls of program functions in `fn`'s body (and `new` of program classes), wherever they sit. */
function callsIn(fn: Func): Call[] {
  const out: Call[] = [];
  forEachStmt(fn.body, (s) => out.push(...callsOf(s)));
  return out;
}

/** The calls of program functions in one statement's own expressions (an `if`'s or loop's: its condition). */
export function callsOf(s: Stmt): Call[] {
  const out: Call[] = [];
  const visit = (e: Expr) => {
    forEachChild(e, visit);
    if (e.k === "call" && e.fn) out.push({ fn: e.fn, args: e.receiver ? [e.receiver, ...e.args] : e.args });
    else if (e.k === "new" && e.fn) out.push({ fn: e.fn, args: e.args });
  };
  if (s.k === "store") { visit(s.target); visit(s.e); }
  else if (s.k === "assign" || s.k === "push" || s.k === "expr" || s.k === "throw") visit(s.e);
  else if (s.k === "if" || s.k === "while") visit(s.c);
  return out;
}

/**
 * A write that the shadows cannot follow: `new C(xs)` may keep `xs` (a field of the new object is
 * the same array), and `id(xs)` or a getter's `this.data` may return one, but such a result's shadow
 * is built from zeros, not from `dxs`. Reading through one name after writing through the other
 * would then miss an adjoint. Such a write is returned to be reported; writes of a new object's own
 * fields (`o.b = 1`) are fine.
 */
export function writeIntoSharedArgument(fn: Func): Stmt | undefined {
  const built = new Set<string>();
  // `stopGradient(xs)` is xs itself, kept out of the alias groups so no gradient flows through it
  const stopped = (e: Expr) => e.k === "call" && e.noGrad === true && e.args.some((a) => !isNumber(fn, a));
  forEachStmt(fn.body, (s) => { if (s.k === "assign" && (heldArguments(fn, s.e).length > 0 || stopped(s.e))) built.add(s.name); });
  if (built.size === 0) return undefined;
  const { fresh } = factsOf(fn);
  let hit: Stmt | undefined;
  for (const group of aliasGroups(fn)) {
    if (!group.some((x) => built.has(x))) continue;
    const members = new Set(group);
    forEachStmt(fn.body, (s) => {
      const r = writtenRoot(s);
      if (hit || !r || !members.has(r)) return;
      if (!(fresh.has(r) && writeDepth(s) === 1)) hit = s;
    });
  }
  return hit;
}

/**
 * Locals that only ever hold an object or array created here: assigned only `{…}`, `[…]`,
 * `new C(…)`, `Object.create(…)`, or another such local (`const l = layer1`).
 */
function freshObjects(fn: Func): Set<string> {
  const sources = new Map<string, Expr[]>();
  for (const p of fn.params) sources.set(p.name, [{ k: "var", name: "" }]);
  forEachStmt(fn.body, (s) => { if (s.k === "assign") sources.set(s.name, [...(sources.get(s.name) ?? []), s.e]); });
  const fresh = new Set(sources.keys());
  const allocates = (e: Expr) => e.k === "object" || e.k === "array" || e.k === "new" || isObjectCreate(e);
  for (let changed = true; changed; ) {
    changed = false;
    for (const x of fresh) {
      if (sources.get(x)!.every((e) => allocates(e) || (e.k === "var" && fresh.has(e.name)))) continue;
      fresh.delete(x);
      changed = true;
    }
  }
  return fresh;
}

/** How many element/field steps a store's target takes from its root (a push: one). */
function writeDepth(s: Stmt): number {
  return s.k === "store" ? pathDepth(s.target) : 1;
}

/** How many element/field steps an access path takes from its root (`m[i].w`: two). */
function pathDepth(e: Expr): number {
  let depth = 0;
  for (; e.k === "index" || e.k === "prop"; e = e.obj) depth++;
  return depth;
}

const sameWrites = (a: ParamWrites, b: ParamWrites): boolean => a.size === b.size && [...a].every(([p, d]) => b.get(p) === d);
