// A grad site seeds the result with 1 (`let dresult = 1`, which early returns zero), and an adjoint that only ever receives
// that seed is 1 too: `return s` after `s += …` in a loop gives `ds += dresult` and then reads `ds`
// in every iteration (`da += ds * a * 100`). Substituting the constant and dropping the
// multiplications by 1 it leaves takes one multiplication per adjoint term out of every iteration.
// Exact: 1 · x is x for every double (−0, ±∞ and NaN included), and sums of constants fold to what
// the run time would compute.
//
// An adjoint is constant when every write of it sits in the function's top-level block (`let`, then
// `=`/`+=`/`-=` of numbers) and every read comes after the last of them.
import type { Expr, OStmt } from "../ir/ir.js";
import { allReads } from "../4-analyse/reads.js";
import { mapChildren, num } from "../ir/ir.js";
import { isNum, negatedTerm } from "./build.js";
import { ADJOINT_SWEEP } from "./generate.js";

/** `body` with each constant adjoint among `candidates` replaced by its value (and its writes gone). */
export function foldConstantAdjoints(body: OStmt[], candidates: ReadonlySet<string>): OStmt[] {
  for (let found = constantIn(body, candidates); found; found = constantIn(body, candidates)) {
    const { name, value, writes } = found;
    const simplified = new Set<string>();
    body = withoutStatements(body, writes).map((s) => substitute(s, name, num(value), simplified));
    // `const adj1 = ds * t` that is now `const adj1 = t`: its readers read t itself
    body = propagateCopies(body, simplified);
  }
  return body;
}

/**
 * `body` without the statements at `drop`. A dropped note (the source line) moves to the next
 * statement kept, when that one has none (it is the rest of the same line's adjoint); the adjoint
 * sweep's heading moves to it in any case.
 */
function withoutStatements(body: OStmt[], drop: number[]): OStmt[] {
  const out: OStmt[] = [];
  let heading: string | undefined;
  let line: string | undefined;
  body.forEach((s, i) => {
    if (drop.includes(i)) {
      if (s.note === ADJOINT_SWEEP) heading = s.note;
      else line = s.note ?? line;
      return;
    }
    const note = s.note ?? line;
    out.push(heading === undefined && note === s.note ? s : { ...s, note: heading === undefined ? note : [heading, note].filter(Boolean).join("\n") });
    heading = line = undefined;
  });
  return out;
}

/** Constants (`const c = 2`) and copies (`const a = t`, t a const) among `names` replaced by what they hold, in the rest of their block. */
function propagateCopies(body: OStmt[], names: ReadonlySet<string>, consts = constNames(body)): OStmt[] {
  if (names.size === 0) return body;
  const out: OStmt[] = [];
  for (let i = 0; i < body.length; i++) {
    const s = body[i];
    const init = s.k === "let" && s.konst && names.has(s.name) ? s.init : undefined;
    if (s.k === "let" && init && (init.k === "num" || (init.k === "var" && consts.has(init.name)))) {
      const rest = withoutStatements(body.slice(i), [0]).map((x) => substitute(x, s.name, init, new Set()));
      return [...out, ...propagateCopies(rest, names, consts)];
    }
    out.push(mapBlocks(s, (b) => propagateCopies(b, names, consts)));
  }
  return out;
}

/** Every name declared `const` anywhere in `body`: never reassigned. */
function constNames(body: OStmt[], out = new Set<string>()): Set<string> {
  for (const s of body) {
    if (s.k === "let" && s.konst) out.add(s.name);
    mapBlocks(s, (b) => { constNames(b, out); return b; });
  }
  return out;
}

/** `s` with each block inside it replaced by `f` of it. */
function mapBlocks(s: OStmt, f: (b: OStmt[]) => OStmt[]): OStmt {
  switch (s.k) {
    case "if": return { ...s, then: f(s.then), else: f(s.else) };
    case "while": case "countdown": case "fn": return { ...s, body: f(s.body) };
    default: return s;
  }
}

interface Constant {
  name: string;
  value: number;
  /** top-level indices of its `let` and assignments */
  writes: number[];
}

function constantIn(body: OStmt[], candidates: ReadonlySet<string>): Constant | undefined {
  const writes = new Map<string, number[]>();
  const firstRead = new Map<string, number>();
  const ruledOut = new Set<string>();
  body.forEach((s, i) => {
    const written = topLevelWrite(s);
    if (written !== undefined && candidates.has(written)) {
      const list = writes.get(written) ?? [];
      writes.set(written, [...list, i]);
    }
    visit(s, written, (name, how) => {
      if (!candidates.has(name)) return;
      if (how === "read") { if (!firstRead.has(name)) firstRead.set(name, i); }
      else ruledOut.add(name);
    });
  });
  for (const [name, at] of writes) {
    if (ruledOut.has(name)) continue;
    const read = firstRead.get(name);
    if (read !== undefined && read <= at[at.length - 1]) continue;
    const value = valueOf(at.map((i) => body[i]));
    if (value !== undefined) return { name, value, writes: at };
  }
  return undefined;
}

/** The name a top-level `let` or assignment of a local defines. */
function topLevelWrite(s: OStmt): string | undefined {
  if (s.k === "let") return s.name;
  if (s.k === "set" && s.target.k === "var") return s.target.name;
  return undefined;
}

/** The local's value after its writes, when they are a `let` of a number and then numbers added, subtracted or assigned. */
function valueOf(writes: OStmt[]): number | undefined {
  const [first, ...rest] = writes;
  if (first.k !== "let" || first.init?.k !== "num") return undefined;
  let value = first.init.v;
  for (const s of rest) {
    if (s.k !== "set" || s.value.k !== "num") return undefined;
    value = s.op === "=" ? s.value.v : s.op === "+=" ? value + s.value.v : value - s.value.v;
  }
  // a printed -0 would read back as 0
  return Number.isFinite(value) && !Object.is(value, -0) ? value : undefined;
}

type Use = "read" | "nested write";

/** Every name `s` mentions, other than the top-level write `own` itself (its value's reads are reads). */
function visit(s: OStmt, own: string | undefined, f: (name: string, how: Use) => void): void {
  const reads = (e: Expr | undefined) => { if (e) for (const n of allReads(e)) f(n, "read"); };
  const block = (body: OStmt[]) => { for (const x of body) visitNested(x, f); };
  switch (s.k) {
    case "let": reads(s.init); return;
    case "set": if (s.target.k !== "var" || s.target.name !== own) reads(s.target); reads(s.value); return;
    case "do": case "throw": reads(s.e); return;
    case "return": reads(s.e); return;
    case "if": reads(s.c); block(s.then); block(s.else); return;
    case "while": reads(s.c); block(s.body); return;
    case "countdown": f(s.name, "nested write"); reads(s.from); block(s.body); return;
    // saved and restored locals, and names inside local functions, are never constants here
    case "save": case "restore": f(s.name, "nested write"); return;
    case "fn": for (const p of s.params) f(typeof p === "string" ? p : p.name, "nested write"); block(s.body); return;
  }
}

function visitNested(s: OStmt, f: (name: string, how: Use) => void): void {
  const written = topLevelWrite(s);
  if (written !== undefined) f(written, "nested write");
  visit(s, undefined, f);
}

/** `s` with `name` read as `value`; `simplified` gets the consts whose value became a constant or a name. */
function substitute(s: OStmt, name: string, value: Expr, simplified: Set<string>): OStmt {
  const e = (x: Expr): Expr => (allReads(x).has(name) ? replaced(x, name, value) : x);
  const block = (body: OStmt[]) => body.map((x) => substitute(x, name, value, simplified));
  switch (s.k) {
    case "let": {
      if (!s.init || !allReads(s.init).has(name)) return s;
      const init = e(s.init);
      if (s.konst && (init.k === "num" || init.k === "var")) simplified.add(s.name);
      return { ...s, init };
    }
    case "set": {
      const value = e(s.value);
      // `dx += -t` reads as `dx -= t`
      const minus = s.op !== "=" && value !== s.value ? negatedTerm(value) : undefined;
      return minus ? { ...s, target: e(s.target), op: s.op === "+=" ? "-=" : "+=", value: minus } : { ...s, target: e(s.target), value };
    }
    case "do": case "throw": return { ...s, e: e(s.e) };
    case "return": return s.e ? { ...s, e: e(s.e) } : s;
    case "if": return { ...s, c: e(s.c), then: block(s.then), else: block(s.else) };
    case "while": return { ...s, c: e(s.c), body: block(s.body) };
    case "countdown": return { ...s, from: s.from && e(s.from), body: block(s.body) };
    case "fn": return { ...s, body: block(s.body) };
    default: return s;
  }
}

/** `e` with `name` read as `value`, and what that makes constant folded (exactly) on the way up. */
function replaced(e: Expr, name: string, value: Expr): Expr {
  if (e.k === "var") return e.name === name ? value : e;
  if (e.k === "arrow") return e;
  let changed = false;
  const out = mapChildren(e, (x) => {
    const y = replaced(x, name, value);
    changed ||= y !== x;
    return y;
  });
  return changed ? folded(out) : e;
}

/**
 * The exact identities: 1·x = x/1 = x, −1·x = −x, −(−x) = x, a + (−b) = a − b, a − (−b) = a + b
 * (−b also as (−c)·d, c/(−d), …: IEEE rounding is symmetric), and arithmetic of constants.
 */
function folded(e: Expr): Expr {
  if (e.k === "un" && e.op === "-") return negated(e.a) ?? e;
  if (e.k !== "bin") return e;
  const { a, b } = e;
  if (e.op === "*" && isNum(a, 1)) return b;
  if ((e.op === "*" || e.op === "/") && isNum(b, 1)) return a;
  if (e.op === "*" && isNum(a, -1)) return negated(b) ?? { k: "un", op: "-", a: b };
  if (e.op === "*" && isNum(b, -1)) return negated(a) ?? { k: "un", op: "-", a };
  const minusB = e.op === "+" || e.op === "-" ? negatedTerm(b) : undefined;
  if (minusB) return { ...e, op: e.op === "+" ? "-" : "+", b: minusB };
  if (isNum(a) && isNum(b) && (e.op === "*" || e.op === "+" || e.op === "-" || e.op === "/")) {
    const v = e.op === "*" ? a.v * b.v : e.op === "+" ? a.v + b.v : e.op === "-" ? a.v - b.v : a.v / b.v;
    if (Number.isFinite(v) && !Object.is(v, -0)) return num(v);
  }
  return e;
}

/** −x without a new negation: a nonzero constant's negative, or what a negation negates (also inside a product). */
function negated(x: Expr): Expr | undefined {
  return isNum(x) ? (x.v !== 0 ? num(-x.v) : undefined) : negatedTerm(x);
}
