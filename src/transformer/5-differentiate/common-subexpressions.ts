// Common Math calls within one generated statement, evaluated once. Derivatives repeat their
// operands: d(1 / u) = -g / (u·u) and d exp(v) = g·exp(v), so the adjoint of a logistic
// `1 / (1 + Math.exp(-z))` called exp three times. Inside one statement nothing is written between
// two occurrences, so naming the repeated call (`const exp1 = Math.exp(-z)`) is always the same
// value; only Math calls (and arithmetic around them) are worth a name.
import type { Expr, OStmt } from "../ir/ir.js";
import { forEachChild, mapChildren } from "../ir/ir.js";
import { IMPURE_MATH } from "./rules.js";

/** `body` with each statement's repeated Math subexpressions bound to constants just before it. */
export function shareCommonCalls(body: OStmt[], fresh: (base: string) => string): OStmt[] {
  const out: OStmt[] = [];
  for (const s of body) {
    switch (s.k) {
      // (most statements share nothing and stay as they are)
      case "let": {
        const [lets, init] = s.init ? share(s.init, fresh) : [[], undefined];
        if (lets.length === 0) out.push(s);
        else out.push(...withNote(lets, s.note), { ...s, init, note: undefined });
        break;
      }
      case "set": {
        const [lets, value] = share(s.value, fresh);
        if (lets.length === 0) out.push(s);
        else out.push(...withNote(lets, s.note), { ...s, value, note: undefined });
        break;
      }
      case "if": out.push({ ...s, then: shareCommonCalls(s.then, fresh), else: shareCommonCalls(s.else, fresh) }); break;
      case "while": case "countdown": out.push({ ...s, body: shareCommonCalls(s.body, fresh) }); break;
      case "fn": out.push({ ...s, body: shareCommonCalls(s.body, fresh) }); break;
      default: out.push(s);
    }
  }
  return out;
}

function withNote(lets: OStmt[], note: string | undefined): OStmt[] {
  return lets.length > 0 && note ? [{ ...lets[0], note }, ...lets.slice(1)] : lets;
}

/** The constants to declare first, and `e` reading them. */
function share(e: Expr, fresh: (base: string) => string): [OStmt[], Expr] {
  const lets: (OStmt & { k: "let" })[] = [];
  for (;;) {
    const best = largestRepeated([...lets.map((l) => l.init!), e]);
    if (!best) return [lets, e];
    const key = JSON.stringify(best);
    const name = fresh(best.k === "math" ? best.fn : "shared");
    const swap = (x: Expr): Expr => (x.k === best.k && JSON.stringify(x) === key ? { k: "var", name } : mapChildren(x, swap));
    for (const l of lets) l.init = swap(l.init!);
    e = swap(e);
    // smaller shared parts are found later and must be declared before what uses them
    lets.unshift({ k: "let", name, init: best, konst: true });
  }
}

interface Candidate { e: Expr; size: number }

/** The largest subexpression worth a name that occurs twice or more (the first such, in post-order). */
function largestRepeated(roots: Expr[]): Expr | undefined {
  const candidates: Candidate[] = [];
  for (const x of roots) collectCandidates(x, candidates);
  if (candidates.length < 2) return undefined;
  // equal subexpressions have equal kind, operator and size: only those sharing them are compared by text
  const shape = (c: Candidate) => `${c.e.k} ${c.e.k === "math" ? c.e.fn : c.e.k === "bin" || c.e.k === "un" ? c.e.op : ""} ${c.size}`;
  const shapes = new Map<string, number>();
  for (const c of candidates) shapes.set(shape(c), (shapes.get(shape(c)) ?? 0) + 1);
  const counts = new Map<string, { e: Expr; n: number; size: number }>();
  for (const c of candidates) {
    if (shapes.get(shape(c))! < 2) continue;
    const key = JSON.stringify(c.e);
    const seen = counts.get(key);
    if (seen) seen.n++;
    else counts.set(key, { e: c.e, n: 1, size: c.size });
  }
  let best: { e: Expr; n: number; size: number } | undefined;
  for (const c of counts.values()) if (c.n >= 2 && (!best || c.size > best.size)) best = c;
  return best?.e;
}

/** Collects the subexpressions worth a name (a Math call, or arithmetic holding one), if pure, in post-order. */
function collectCandidates(e: Expr, out: Candidate[]): { size: number; calls: boolean; pure: boolean } {
  let size = 1;
  let calls = e.k === "math";
  let pure = !(e.k === "call" || e.k === "new" || e.k === "arrow" || (e.k === "math" && IMPURE_MATH.has(e.fn)));
  forEachChild(e, (c) => { const r = collectCandidates(c, out); size += r.size; calls ||= r.calls; pure &&= r.pure; });
  if (pure && calls && (e.k === "math" || e.k === "bin" || e.k === "un")) out.push({ e, size });
  return { size, calls, pure };
}
