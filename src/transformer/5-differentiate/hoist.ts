// Loop-invariant rows out of loops, in the generated code: `dW[j][k] += ds * W[j][k]` inside a
// loop over k becomes `dWRow[k] += ds * WRow[k]` with `const WRow = W[j]` before the loop, as a
// person writing the adjoint by hand would. V8 does not do this itself: it cannot prove that the
// loop's stores leave `W[j]` alone. We can, from the program: only a store or push/pop at depth
// one into `W` (or a name that may share it) replaces a row, and only a call could do it unseen.
import type { Expr, OStmt } from "../ir/ir.js";

export interface HoistContext {
  /** names the hoisted row may be read through: arrays and records (never null, by their types) */
  isStructured(name: string): boolean;
  /** every name that may hold the same array or record as `name` (itself included) */
  sharing(name: string): string[];
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
  const hoistable = (e: Expr): boolean =>
    (e.k === "index" || e.k === "prop") && e.obj.k === "var" && cx.isStructured(e.obj.name) && !assigned.has(e.obj.name) &&
    !replaced.has(e.obj.name) && (e.k === "prop" ? e.name !== "length" : invariant(e.index));

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

/** `W[j]` → `WRow`, `p.k` → `pK` */
function rowName(e: Expr): string {
  const base = e.k === "index" || e.k === "prop" ? (e.obj.k === "var" ? e.obj.name : "part") : "part";
  return e.k === "prop" ? `${base}${e.name[0].toUpperCase()}${e.name.slice(1)}` : `${base}Row`;
}

/**
 * Names the loop assigns, and names whose slots it may replace (a store or push/pop at depth one,
 * widened to every name sharing the value); undefined when a call could do anything.
 */
function loopFacts(loop: Loop, cx: HoistContext): { assigned: Set<string>; replaced: Set<string> } | undefined {
  const assigned = new Set<string>();
  const replaced = new Set<string>();
  let opaque = false;
  if (loop.k === "countdown") assigned.add(loop.name);
  const expr = (e: Expr): void => {
    if (opaque) return;
    if (e.k === "call" || e.k === "new") {
      const c = e.callee;
      if (c.k === "prop" && c.obj.k === "var" && cx.stacks.has(c.obj.name)) { /* a stack of the runtime */ }
      else if (c.k === "prop" && c.obj.k === "var" && (c.name === "push" || c.name === "pop")) replaced.add(c.obj.name);
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
          else if ((s.target.k === "index" || s.target.k === "prop") && s.target.obj.k === "var") replaced.add(s.target.obj.name);
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
  for (const r of [...replaced]) for (const x of cx.sharing(r)) replaced.add(x);
  return { assigned, replaced };
}

function forEachChild(e: Expr, f: (e: Expr) => void): void {
  mapChildren(e, (x) => { f(x); return x; });
}

function mapChildren(e: Expr, f: (e: Expr) => Expr): Expr {
  switch (e.k) {
    case "bin": return { ...e, a: f(e.a), b: f(e.b) };
    case "un": return { ...e, a: f(e.a) };
    case "math": return { ...e, args: e.args.map(f) };
    case "cond": return { ...e, c: f(e.c), a: f(e.a), b: f(e.b) };
    case "index": return { ...e, obj: f(e.obj), index: f(e.index) };
    case "prop": return { ...e, obj: f(e.obj) };
    case "call": return { ...e, callee: f(e.callee), args: e.args.map(f), receiver: e.receiver && f(e.receiver) };
    case "new": return { ...e, callee: f(e.callee), args: e.args.map(f) };
    case "array": return { ...e, elems: e.elems.map(f) };
    case "object": return { ...e, props: e.props.map(([k, x]) => [k, f(x)] as [string, Expr]) };
    default: return e;
  }
}

function mapStmts(list: OStmt[], f: (e: Expr) => Expr): OStmt[] {
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
