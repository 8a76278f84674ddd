// Two increments of the same adjoint element in one straight-line block become one: Rosenbrock's
// `dx[i] -= db; … dx[i + 1] += da; dx[i] += adj1 * x[i]` reads and writes dx[i] twice per
// iteration where a hand-written gradient does it once. The earlier increment moves down to the
// later one when nothing in between touches that element, the index, or what the earlier value
// reads — except resets of scalar adjoints (`db = 0`), which move down with it.
import type { Expr, OStmt } from "../ir/ir.js";
import { callsNothing as pure } from "../ir/ir.js";
import { allReads as reads } from "../4-analyse/reads.js";

type Increment = OStmt & { k: "set"; op: "+=" | "-=" };

/** `body` (and every block inside it) with same-element increments merged. */
export function mergeIncrements(body: OStmt[]): OStmt[] {
  let out = body.map((s): OStmt => {
    switch (s.k) {
      case "if": return { ...s, then: mergeIncrements(s.then), else: mergeIncrements(s.else) };
      case "while": case "countdown": case "fn": return { ...s, body: mergeIncrements(s.body) };
      default: return s;
    }
  });
  // each target's text once per block (every earlier increment compares itself with every later one)
  const texts = new Map<Expr, string>();
  const keyOf = (e: Expr) => { let t = texts.get(e); if (t === undefined) texts.set(e, (t = key(e))); return t; };
  for (let i = 0; i < out.length; i++) {
    const merged = mergeFrom(out, i, keyOf);
    if (merged) { out = merged; i--; }
  }
  return out;
}

const key = (e: Expr) => JSON.stringify(e);
const isIncrement = (s: OStmt): s is Increment => s.k === "set" && (s.op === "+=" || s.op === "-=") && (s.target.k === "index" || s.target.k === "prop");

/** The block with statement `at` merged into a later increment of the same element, if one may be. */
function mergeFrom(block: OStmt[], at: number, keyOf: (e: Expr) => string): OStmt[] | undefined {
  const first = block[at];
  if (!isIncrement(first) || !pure(first.value) || !pure(first.target)) return undefined;
  const target = keyOf(first.target);
  const root = rootName(first.target);
  if (!root) return undefined;
  const indexReads = reads(first.target);
  const valueReads = reads(first.value);
  const moved: OStmt[] = [];
  const movedNames = new Set<string>();
  const usesMoved = (s: OStmt) => [...movedNames].some((n) => mentions(s, n));
  for (let j = at + 1; j < block.length; j++) {
    const s = block[j];
    if (usesMoved(s)) return undefined;
    if (isIncrement(s) && keyOf(s.target) === target && pure(s.value)) {
      const value: Expr = { k: "bin", op: first.op === s.op ? "+" : "-", a: s.value, b: first.value };
      const between = block.slice(at + 1, j).filter((x) => !moved.includes(x));
      return [...block.slice(0, at), ...between, { ...s, value, note: s.note ?? first.note }, ...moved, ...block.slice(j + 1)];
    }
    // a reset of a scalar the earlier value reads (`db = 0`) moves down with it
    if (s.k === "set" && s.op === "=" && s.target.k === "var" && s.value.k === "num" && valueReads.has(s.target.name) && !indexReads.has(s.target.name)) {
      moved.push(s);
      movedNames.add(s.target.name);
      continue;
    }
    if (!independentOf(s, root, first.target, new Set([...indexReads, ...valueReads]))) return undefined;
  }
  return undefined;
}

/** `s` writes none of `names`, and reaches the array `root` only at an index surely other than the target's. */
function independentOf(s: OStmt, root: string, target: Expr, names: Set<string>): boolean {
  if (s.k === "let") return !names.has(s.name) && (!s.init || (pure(s.init) && !reads(s.init).has(root)));
  if (s.k !== "set" || !pure(s.value) || !pure(s.target) || reads(s.value).has(root)) return false;
  if (s.target.k === "var") return !names.has(s.target.name) && s.target.name !== root;
  if (rootName(s.target) !== root) return false;
  return surelyOther(s.target, target);
}

/** `a[i + c]` vs `a[i + d]` with c ≠ d (i itself being `i + 0`): never the same element. */
function surelyOther(a: Expr, b: Expr): boolean {
  if (a.k !== "index" || b.k !== "index" || key(a.obj) !== key(b.obj)) return false;
  const split = (e: Expr, literal: (v: number) => number): [string, number] | undefined => {
    if (e.k === "num") return ["", literal(e.v)];
    if (e.k === "var") return [e.name, 0];
    if (e.k === "bin" && (e.op === "+" || e.op === "-") && e.a.k === "var" && e.b.k === "num") return [e.a.name, e.op === "+" ? literal(e.b.v) : -literal(e.b.v)];
    return undefined;
  };
  // b's literals as its JSON text had them, which this compared with before (a non-finite one is null)
  const x = split(a.index, (v) => v), y = split(b.index, (v) => (Number.isFinite(v) ? v : (null as unknown as number)));
  return x !== undefined && y !== undefined && x[0] === y[0] && x[1] !== y[1];
}

function rootName(e: Expr): string | undefined {
  while (e.k === "index" || e.k === "prop") e = e.obj;
  return e.k === "var" ? e.name : undefined;
}

function mentions(s: OStmt, name: string): boolean {
  switch (s.k) {
    case "let": return s.name === name || (s.init !== undefined && reads(s.init).has(name));
    case "set": return reads(s.target).has(name) || reads(s.value).has(name);
    case "do": case "throw": return reads(s.e).has(name);
    case "return": return s.e !== undefined && reads(s.e).has(name);
    case "if": return reads(s.c).has(name) || s.then.some((x) => mentions(x, name)) || s.else.some((x) => mentions(x, name));
    case "while": return reads(s.c).has(name) || s.body.some((x) => mentions(x, name));
    case "countdown": return s.name === name || (s.from !== undefined && reads(s.from).has(name)) || s.body.some((x) => mentions(x, name));
    default: return true;
  }
}
