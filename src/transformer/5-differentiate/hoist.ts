// Loop-invariant rows out of loops, in the generated code: `dW[j][k] += ds * W[j][k]` inside a
// loop over k becomes `dWRow[k] += ds * WRow[k]` with `const WRow = W[j]` before the loop, as a
// person writing the adjoint by hand would. V8 does not do this itself: it cannot prove that the
// loop's stores leave `W[j]` alone. We can, from the program: only a store or push/pop at depth
// one into `W` (or a name that may share it) replaces a row, and only a call could do it unseen.
import type { Expr, OStmt } from "../ir/ir.js";
import { forEachChild, mapChildren } from "../ir/ir.js";

export interface HoistContext {
  /** names the hoisted row may be read through: arrays and records (never null, by their types) */
  isStructured(name: string): boolean;
  /** every name that may hold the same array or record as `name` (itself included) */
  sharing(name: string): readonly string[];
  /** gradient shadows: records and arrays only generated code reads or writes */
  isShadow(name: string): boolean;
  /** a shadow that may be, or hold, a record the caller's adjoint also holds through another parameter */
  mayHoldCallerShadow(name: string): boolean;
  /** a shadow surely has this field: its value's record type declares it, and not as optional (`a?: number`) */
  surelyHasField(name: string, field: string): boolean;
  /** runtime stacks: their push/pop touch no user value */
  stacks: Set<string>;
  /** a fresh local name */
  fresh(base: string): string;
}

/** Hoists invariant `R[i]` / `R.f` containers out of every loop of `body`, innermost first. */
export function hoistInvariantRows(body: OStmt[], cx: HoistContext): OStmt[] {
  const out: OStmt[] = [];
  for (const s of body) {
    if (s.k === "while" || s.k === "countdown") {
      const loop = { ...s, body: hoistInvariantRows(s.body, cx) };
      out.push(...hoistFrom(loop, cx));
    } else if (s.k === "if") out.push({ ...s, then: hoistInvariantRows(s.then, cx), else: hoistInvariantRows(s.else, cx) });
    else out.push(s);
  }
  return out;
}

type Loop = OStmt & { k: "while" | "countdown" };

function hoistFrom(loop: Loop, cx: HoistContext): OStmt[] {
  const facts = loopFacts(loop, cx);
  if (!facts) return [loop];
  const { assigned, replaced } = facts;
  const invariant = (e: Expr): boolean =>
    e.k === "num" || (e.k === "var" && !assigned.has(e.name)) || (e.k === "bin" && ["+", "-", "*"].includes(e.op) && invariant(e.a) && invariant(e.b));
  /** a chain of invariant steps from a settled container (`W[j]`, `layer.w[i]`) that no store in the loop replaces */
  const hoistable = (e: Expr): boolean => {
    if (e.k !== "index" && e.k !== "prop") return false;
    if (e.k === "prop" ? e.name === "length" : !invariant(e.index)) return false;
    const root = chainRoot(e);
    if (!root || !cx.isStructured(root) || assigned.has(root)) return false;
    const steps = stepsOf(e);
    // a store at depth d replaces the chain if it writes the same field there (or any element)
    return !(replaced.get(root) ?? []).some((w) => w.depth <= steps.length && (w.key === "*" || w.key === steps[w.depth - 1]));
  };

  const hoisted = new Map<string, { name: string; e: Expr }>();
  const rewrite = (e: Expr): Expr => {
    // a container read used as a container: `R[i][k]`, `R[i].f`, `R.f[k]`
    if ((e.k === "index" || e.k === "prop") && hoistable(e.obj)) {
      const key = JSON.stringify(e.obj);
      let h = hoisted.get(key);
      if (!h) { h = { name: cx.fresh(rowName(e.obj)), e: e.obj }; hoisted.set(key, h); }
      const obj: Expr = { k: "var", name: h.name };
      return e.k === "index" ? { ...e, obj, index: rewrite(e.index) } : { ...e, obj };
    }
    return mapChildren(e, rewrite);
  };
  const body = mapStmts(loop.body, rewrite);
  if (hoisted.size === 0) return [loop];
  const c = loop.k === "while" ? rewrite(loop.c) : undefined;
  const consts: OStmt[] = [...hoisted.values()].map((h) => ({ k: "let", name: h.name, init: h.e, konst: true }));
  if (loop.note) consts[0] = { ...consts[0], note: loop.note };
  const moved: Loop = loop.k === "while" ? { ...loop, c: c!, body, note: undefined } : { ...loop, body, note: undefined };
  return [...consts, moved];
}

/** `W[j]` → `WRow`, `p.k` → `pK`, `layer.w[i]` → `layerWRow` */
export function rowName(e: Expr): string {
  if (e.k === "var") return e.name;
  if (e.k === "prop") return `${rowName(e.obj)}${e.name[0].toUpperCase()}${e.name.slice(1)}`;
  if (e.k === "index") return `${rowName(e.obj).replace(/Row$/, "")}Row`;
  return "part";
}

/** The local a chain of element and field reads starts from. */
function chainRoot(e: Expr): string | undefined {
  while (e.k === "index" || e.k === "prop") e = e.obj;
  return e.k === "var" ? e.name : undefined;
}

/** The steps from the root, as keys: `layer.w[i]` → ["w", "[]"]. */
function stepsOf(e: Expr): string[] {
  const out: string[] = [];
  while (e.k === "index" || e.k === "prop") { out.unshift(e.k === "prop" ? e.name : "[]"); e = e.obj; }
  return out;
}

/** Where a loop stores: at which depth under a root, into which field ("[]": an element; "*": anything). */
interface Write {
  depth: number;
  key: string;
}

/**
 * Names the loop assigns, and names whose slots it may replace (a store or push/pop at depth one,
 * widened to every name sharing the value); undefined when a call could do anything.
 */
export function loopFacts(loop: Loop, cx: HoistContext): { assigned: Set<string>; replaced: Map<string, Write[]> } | undefined {
  const assigned = new Set<string>();
  /** root → where the loop stores under it (`W[k] = …`: depth 1, an element; `p.damping = …`: depth 1, field damping) */
  const replaced = new Map<string, Write[]>();
  const add = (root: string, w: Write) => replaced.set(root, [...(replaced.get(root) ?? []), w]);
  const replace = (target: Expr) => {
    const root = chainRoot(target);
    const steps = stepsOf(target);
    if (root !== undefined) add(root, { depth: steps.length, key: steps[steps.length - 1] });
  };
  let opaque = false;
  if (loop.k === "countdown") assigned.add(loop.name);
  const expr = (e: Expr): void => {
    if (opaque) return;
    if (e.k === "call" || e.k === "new") {
      const c = e.callee;
      if (c.k === "prop" && c.obj.k === "var" && cx.stacks.has(c.obj.name)) { /* a stack of the runtime */ }
      // `xs.push(v)` changes the slots of xs, as a store into xs[k] would
      else if (c.k === "prop" && (c.name === "push" || c.name === "pop") && chainRoot(c.obj) !== undefined) replace({ k: "index", obj: c.obj, index: { k: "num", v: 0 } });
      else if (e.k === "new" || (c.k === "free" && /\.(zeroLike|cloneValue)$/.test(c.path))) { /* allocates, touches nothing */ }
      else { opaque = true; return; }
    }
    forEachChild(e, expr);
  };
  const stmts = (list: OStmt[]): void => {
    for (const s of list) {
      switch (s.k) {
        case "let": assigned.add(s.name); if (s.init) expr(s.init); break;
        case "set":
          if (s.target.k === "var") assigned.add(s.target.name);
          else replace(s.target);
          expr(s.target); expr(s.value); break;
        case "do": case "throw": expr(s.e); break;
        case "return": opaque = true; break;
        case "if": expr(s.c); stmts(s.then); stmts(s.else); break;
        case "while": expr(s.c); stmts(s.body); break;
        case "countdown": assigned.add(s.name); if (s.from) expr(s.from); stmts(s.body); break;
        default: opaque = true; break;
      }
    }
  };
  if (loop.k === "while") expr(loop.c);
  else if (loop.from) expr(loop.from);
  stmts(loop.body);
  if (opaque) return undefined;
  // a store through any name that may share the value replaces its parts at the same depth
  // through another name the depth and field are unknown (`row = m[i]; row[k] = …`): anything from depth 1
  for (const r of [...replaced.keys()]) for (const x of cx.sharing(r)) if (x !== r) add(x, { depth: 1, key: "*" });
  return { assigned, replaced };
}

/** `list` with `f` applied to each statement's own expressions, nested statements included. */
export function mapStmts(list: OStmt[], f: (e: Expr) => Expr): OStmt[] {
  return list.map((s): OStmt => {
    switch (s.k) {
      case "let": return s.init ? { ...s, init: f(s.init) } : s;
      case "set": return { ...s, target: f(s.target), value: f(s.value) };
      case "do": case "throw": return { ...s, e: f(s.e) };
      case "if": return { ...s, c: f(s.c), then: mapStmts(s.then, f), else: mapStmts(s.else, f) };
      case "while": return { ...s, c: f(s.c), body: mapStmts(s.body, f) };
      case "countdown": return { ...s, from: s.from && f(s.from), body: mapStmts(s.body, f) };
      default: return s;
    }
  });
}
