// Gradient fields accumulated in a loop live in a local for the loop's duration: a reverse loop's
// `dp.damping += adj * v[i]` becomes `dpDamping += adj * v[i]`, with `let dpDamping = dp.damping`
// before the loop and `dp.damping = dpDamping` after it, as a hand-written adjoint keeps `dc` in a
// local. V8 keeps neither in a register itself: it cannot prove that the loop's other stores miss
// the field. We can, for shadows (gradient records only generated code touches): the loop must
// mention the shadow only through its fields, that field only as `+=`/`-=` targets, call nothing
// that could reach it, and no name that may share the shadow may appear at all: neither one the
// function's own aliasing shows nor another parameter's shadow, which a caller may have passed
// the same record for (`g(p, p)` hands `dp` in twice).
import type { Expr, OStmt } from "../ir/ir.js";
import { forEachChild, v } from "../ir/ir.js";
import { loopFacts, rowName, type HoistContext } from "./hoist.js";

type Loop = OStmt & { k: "while" | "countdown" };

/** Promotes accumulated shadow fields to locals in every loop of `body`, innermost first. */
export function promoteAccumulators(body: OStmt[], cx: HoistContext): OStmt[] {
  const out: OStmt[] = [];
  for (const s of body) {
    if (s.k === "while" || s.k === "countdown") out.push(...promoteIn({ ...s, body: promoteAccumulators(s.body, cx) }, cx));
    else if (s.k === "if") out.push({ ...s, then: promoteAccumulators(s.then, cx), else: promoteAccumulators(s.else, cx) });
    else out.push(s);
  }
  return out;
}

/** How a loop mentions each name: bare (assigned, passed, indexed) or through fields, each field accumulated or not. */
interface Mentions {
  bare: Set<string>;
  /** `root.field` → whether every mention is an accumulation (`+=`/`-=` target) */
  fields: Map<string, { root: string; field: string; onlyAccumulated: boolean }>;
  opaque: boolean;
}

function promoteIn(loop: Loop, cx: HoistContext): OStmt[] {
  if (!loopFacts(loop, cx)) return [loop]; // it calls something that could reach any shadow
  const m = mentionsIn(loop);
  if (m.opaque) return [loop];
  const mentioned = (x: string) => m.bare.has(x) || [...m.fields.values()].some((f) => f.root === x);
  const promoted = new Map<string, { root: string; field: string; local: string }>();
  for (const [key, f] of m.fields) {
    if (!f.onlyAccumulated || !cx.isShadow(f.root) || m.bare.has(f.root)) continue;
    // an optional field may be absent from the shadow: the store after the loop would add it (as undefined)
    if (!cx.surelyHasField(f.root, f.field)) continue;
    if (cx.sharing(f.root).some((x) => x !== f.root && mentioned(x))) continue;
    if (cx.mayHoldCallerShadow(f.root) && [...m.bare, ...[...m.fields.values()].map((g) => g.root)].some((x) => x !== f.root && cx.mayHoldCallerShadow(x))) continue;
    promoted.set(key, { ...f, local: cx.fresh(rowName(field(f.root, f.field))) });
  }
  if (promoted.size === 0) return [loop];
  const rewrite = (list: OStmt[]): OStmt[] =>
    list.map((s): OStmt => {
      if (s.k === "set" && s.op !== "=" && s.target.k === "prop" && s.target.obj.k === "var") {
        const p = promoted.get(keyOf(s.target.obj.name, s.target.name));
        if (p) return { ...s, target: v(p.local) };
      }
      if (s.k === "if") return { ...s, then: rewrite(s.then), else: rewrite(s.else) };
      if (s.k === "while" || s.k === "countdown") return { ...s, body: rewrite(s.body) };
      return s;
    });
  const loads: OStmt[] = [...promoted.values()].map((p) => ({ k: "let", name: p.local, init: field(p.root, p.field) }));
  const stores: OStmt[] = [...promoted.values()].map((p) => ({ k: "set", target: field(p.root, p.field), op: "=", value: v(p.local) }));
  if (loop.note) loads[0] = { ...loads[0], note: loop.note };
  return [...loads, { ...loop, body: rewrite(loop.body), note: undefined }, ...stores];
}

const keyOf = (root: string, name: string) => `${root}.${name}`;
const field = (root: string, name: string): Expr => ({ k: "prop", obj: v(root), name });

function mentionsIn(loop: Loop): Mentions {
  const m: Mentions = { bare: new Set(), fields: new Map(), opaque: false };
  const mentionField = (root: string, name: string, accumulated: boolean) => {
    const key = keyOf(root, name);
    const f = m.fields.get(key) ?? { root, field: name, onlyAccumulated: true };
    f.onlyAccumulated &&= accumulated;
    m.fields.set(key, f);
  };
  const expr = (e: Expr): void => {
    if (e.k === "prop" && e.obj.k === "var") mentionField(e.obj.name, e.name, false);
    else if (e.k === "var") m.bare.add(e.name);
    else forEachChild(e, expr);
  };
  const stmts = (list: OStmt[]): void => {
    for (const s of list) {
      switch (s.k) {
        case "let": m.bare.add(s.name); if (s.init) expr(s.init); break;
        case "set":
          if (s.op !== "=" && s.target.k === "prop" && s.target.obj.k === "var") mentionField(s.target.obj.name, s.target.name, true);
          else expr(s.target);
          expr(s.value); break;
        case "do": case "throw": expr(s.e); break;
        case "if": expr(s.c); stmts(s.then); stmts(s.else); break;
        case "while": expr(s.c); stmts(s.body); break;
        case "countdown": m.bare.add(s.name); if (s.from) expr(s.from); stmts(s.body); break;
        default: m.opaque = true; break;
      }
    }
  };
  if (loop.k === "while") expr(loop.c);
  else { m.bare.add(loop.name); if (loop.from) expr(loop.from); }
  stmts(loop.body);
  return m;
}
