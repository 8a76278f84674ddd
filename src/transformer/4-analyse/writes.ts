// Which parameters a function writes into (elements, fields, push): such a function changes its
// caller's values, which the caller's adjoint sweep would then read changed.
import type { Expr, Func, Stmt } from "../ir/ir.js";
import { isObjectCreate, writtenRoot } from "../ir/ir.js";
import { forEachStmt } from "./statements.js";
import { aliasGroups, heldArguments } from "./aliases.js";

export function paramsWritten(fn: Func): string[] {
  const params = new Set(fn.params.map((p) => p.name));
  const fresh = freshObjects(fn);
  const out = new Set<string>();
  const written = new Set<string>();
  const visit = (list: Stmt[]) => {
    for (const s of list) {
      const r = writtenRoot(s);
      // `self.w = w` changes the new object, not the array it now holds (`self.w[0] = 1` would)
      if (r && !(fresh.has(r) && writeDepth(s) === 1)) written.add(r);
      if (r && params.has(r)) out.add(r);
      if (s.k === "if") { visit(s.then); visit(s.else); }
      else if (s.k === "while") visit(s.body);
    }
  };
  visit(fn.body);
  // `const q = xs; q[0] = 1` writes into xs (a number cannot be written into, whatever it is stored in)
  const byReference = new Set(fn.params.filter((p) => p.type.k !== "num" && p.type.k !== "none").map((p) => p.name));
  for (const group of aliasGroups(fn)) if (group.some((x) => out.has(x) || (!params.has(x) && written.has(x)))) for (const x of group) if (byReference.has(x)) out.add(x);
  return fn.params.map((p) => p.name).filter((p) => out.has(p));
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
  forEachStmt(fn.body, (s) => { if (s.k === "assign" && heldArguments(fn, s.e).length > 0) built.add(s.name); });
  if (built.size === 0) return undefined;
  const fresh = freshObjects(fn);
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
  if (s.k !== "store") return 1;
  let depth = 0;
  for (let e = s.target; e.k === "index" || e.k === "prop"; e = e.obj) depth++;
  return depth;
}
