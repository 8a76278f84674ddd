// A branch or a loop nested in a loop records on the trace stack which way it went (`trace.push(1)`,
// `trace.push(loop1)`), and its adjoint pops the record to replay it (`if (trace.pop()) {…}`,
// `for (let loop1 = trace.pop(); …)`). When dead code has emptied the replay (all it did was
// restore a counter nobody reads afterwards), the record is dead as well. Its pops and pushes go
// together: every other record on the shared stack keeps its pairing, since pops undo pushes in
// reverse order site by site. (A saved value nobody reads after its restore goes the same way, in
// dead-code.ts.) A stack goes when nothing records on it any more.
import type { Expr, OStmt } from "../ir/ir.js";
import { allReads } from "../4-analyse/reads.js";

/** `body` without the trace records whose replay does nothing. */
export function removeDeadTraces(body: OStmt[]): OStmt[] {
  const emptied = new Set<number>();
  const replayed = new Set<number>();
  visit(body, (s) => {
    const site = replaySite(s);
    if (site !== undefined) (isEmptyReplay(s) ? emptied : replayed).add(site);
  });
  const dead = new Set([...emptied].filter((site) => !replayed.has(site)));
  if (dead.size === 0) return body;
  return without(body, (s) => { const site = replaySite(s) ?? pushSite(s); return site !== undefined && dead.has(site); });
}

/** `body` without the declaration and release of each of `stacks` that nothing pushes to or pops from. */
export function removeUnusedStacks(body: OStmt[], stacks: readonly string[]): OStmt[] {
  for (const stack of stacks) if (!recordsOn(body, stack)) body = withoutStack(body, stack);
  return body;
}

/** The site whose record `s` pops: an `if` on it or a countdown from it. */
function replaySite(s: OStmt): number | undefined {
  if (s.k === "if") return s.c.k === "call" ? s.c.stackSite : undefined;
  if (s.k === "countdown") return s.from?.k === "call" ? s.from.stackSite : undefined;
  return undefined;
}

function isEmptyReplay(s: OStmt): boolean {
  return s.k === "if" ? s.then.length === 0 && s.else.length === 0 : s.k === "countdown" && s.body.length === 0;
}

function pushSite(s: OStmt): number | undefined {
  return s.k === "do" && s.e.k === "call" ? s.e.stackSite : undefined;
}

function visit(body: OStmt[], f: (s: OStmt) => void): void {
  for (const s of body) {
    f(s);
    if (s.k === "if") { visit(s.then, f); visit(s.else, f); }
    else if (s.k === "while" || s.k === "countdown" || s.k === "fn") visit(s.body, f);
  }
}

/** `body` without the statements `drop` picks, at any depth. */
export function without(body: OStmt[], drop: (s: OStmt) => boolean): OStmt[] {
  return body.filter((s) => !drop(s)).map((s) => {
    if (s.k === "if") return { ...s, then: without(s.then, drop), else: without(s.else, drop) };
    if (s.k === "while" || s.k === "countdown" || s.k === "fn") return { ...s, body: without(s.body, drop) };
    return s;
  });
}

const isRelease = (s: OStmt): s is OStmt & { k: "do"; e: Expr & { k: "call" } } =>
  s.k === "do" && s.e.k === "call" && s.e.callee.k === "free" && s.e.callee.path.endsWith(".releaseStacks");

/** Whether anything but the stack's own declaration and release names it. */
function recordsOn(body: OStmt[], stack: string): boolean {
  let named = false;
  visit(body, (s) => {
    if ((s.k === "let" && s.name === stack) || isRelease(s)) return;
    for (const e of expressionsOf(s)) if (allReads(e).has(stack)) named = true;
  });
  return named;
}

function expressionsOf(s: OStmt): Expr[] {
  switch (s.k) {
    case "let": return s.init ? [s.init] : [];
    case "set": return [s.target, s.value];
    case "do": case "throw": return [s.e];
    case "return": return s.e ? [s.e] : [];
    case "if": case "while": return [s.c];
    case "countdown": return s.from ? [s.from] : [];
    default: return [];
  }
}

/** `body` without the stack's declaration (its note, the forward sweep's heading, moves on), and with it no longer released. */
function withoutStack(body: OStmt[], stack: string): OStmt[] {
  const out: OStmt[] = [];
  let heading: string | undefined;
  for (const s of body) {
    if (s.k === "let" && s.name === stack) { heading = s.note; continue; }
    let kept: OStmt | undefined = s;
    if (isRelease(s)) {
      const args = s.e.args.filter((a) => !(a.k === "var" && a.name === stack));
      kept = args.length === 0 ? undefined : { ...s, e: { ...s.e, args } };
    }
    if (!kept) continue;
    out.push(heading === undefined ? kept : { ...kept, note: kept.note === undefined ? heading : `${heading}\n${kept.note}` });
    heading = undefined;
  }
  return out;
}
