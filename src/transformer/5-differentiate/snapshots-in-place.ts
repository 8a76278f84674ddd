// The adjoint of a time-stepping loop reads each step's arrays as they were before the step. The
// forward sweep saved them (`saved.pushRange(x, …)`) and `saved.popRange(x)` wrote them back, one
// copy per array and step. Where the rest of the step's adjoint only reads elements of the array,
// it reads the saved copy itself, as a hand-written adjoint indexes its history buffer:
//
//     let xSaved = x;                        // before the reverse loop
//     for (; loop1 > 0; loop1--) {
//         ...
//         xSaved = saved.popView(x, xSaved); // was: saved.popRange(x)
//         ... xSaved[i - 1] ...              // was: x[i - 1]
//     }
//     x.set(xSaved);                         // x as the popRange copies would have left it
//
// Typed arrays only: a view reads exactly as the array would (out of range: undefined). When the
// saved range was not the whole array popView falls back to the copy, bringing the array up to
// date with the view it is handed first, and returns the array itself. The step's adjoint
// must not mention the array before the pop, nor write it, pass it on, call anything that could
// read it, or name anything that may share it: a name the program's aliasing shows, or one the
// generated code binds to a part of such a value (a row hoisted out of the loop, `const stX = st.x`
// for `st = { x }`, reads x without naming it).
import type { Expr, OStmt } from "../ir/ir.js";
import { forEachChild, mapChildren, rootOf, v } from "../ir/ir.js";
import { mapStmts } from "./hoist.js";

export interface SnapshotContext {
  /** the F64 stack's local, when the function has one */
  savedStack: string | undefined;
  /** every runtime stack's local: their calls read no user value */
  stacks: Set<string>;
  isTypedArray(name: string): boolean;
  /** a local known to hold a number (a read `v = x[i]` shares nothing) */
  isNumber(name: string): boolean;
  /** every name that may hold the same array (itself included) */
  sharing(name: string): readonly string[];
  fresh(base: string): string;
}

export function readSnapshotsInPlace(body: OStmt[], cx: SnapshotContext): OStmt[] {
  if (!cx.savedStack) return body;
  const bound = bindings(body).filter(([name]) => !cx.isNumber(name));
  /** every name that may hold the array: its alias group, and the locals bound to a part of one of those */
  const holders = (array: string): Set<string> => {
    const names = new Set(cx.sharing(array));
    names.add(array);
    for (let grew = true; grew; ) {
      grew = false;
      for (const [name, root] of bound) {
        if (names.has(root) !== names.has(name)) { names.add(name); names.add(root); grew = true; }
      }
    }
    return names;
  };
  const walk = (list: OStmt[]): OStmt[] => {
    const out: OStmt[] = [];
    for (const s of list) {
      if (s.k === "countdown") out.push(...inLoop({ ...s, body: walk(s.body) }, cx, holders));
      else if (s.k === "while") out.push({ ...s, body: walk(s.body) });
      else if (s.k === "if") out.push({ ...s, then: walk(s.then), else: walk(s.else) });
      else out.push(s);
    }
    return out;
  };
  return walk(body);
}

/** `[name, root]` for every local the code binds to a value or an element or field of one (`let stX = st.x`, `y = x`, `r = c ? p : q`). */
function bindings(body: OStmt[]): [string, string][] {
  const out: [string, string][] = [];
  const roots = (e: Expr): string[] => {
    const r = rootOf(e);
    if (r !== undefined) return [r];
    return e.k === "cond" ? [...roots(e.a), ...roots(e.b)] : [];
  };
  const walk = (list: OStmt[]): void => {
    for (const s of list) {
      if (s.k === "let" && s.init) for (const r of roots(s.init)) out.push([s.name, r]);
      else if (s.k === "set" && s.op === "=" && s.target.k === "var") for (const r of roots(s.value)) out.push([s.target.name, r]);
      else if (s.k === "if") { walk(s.then); walk(s.else); }
      else if (s.k === "while" || s.k === "countdown") walk(s.body);
    }
  };
  walk(body);
  return out;
}

type Countdown = OStmt & { k: "countdown" };

function inLoop(loop: Countdown, cx: SnapshotContext, holders: (array: string) => Set<string>): OStmt[] {
  const before: OStmt[] = [], after: OStmt[] = [];
  let body = loop.body;
  for (let at = 0; at < body.length; at++) {
    const array = poppedArray(body[at], cx.savedStack!);
    if (array === undefined || !cx.isTypedArray(array)) continue;
    const names = holders(array);
    const others = new Set([...names].filter((x) => x !== array));
    if (mentions(body.slice(0, at), names) || (loop.from && mentionsIn(loop.from, names))) continue;
    const rest = body.slice(at + 1);
    if (!onlyReadsElements(rest, array, others, cx.stacks)) continue;
    const view = cx.fresh(`${array}Saved`);
    body = [
      ...body.slice(0, at),
      { k: "set", target: v(view), op: "=", value: { k: "call", callee: { k: "prop", obj: v(cx.savedStack!), name: "popView" }, args: [v(array), v(view)] }, note: body[at].note },
      ...renameReads(rest, array, view),
    ];
    before.push({ k: "let", name: view, init: v(array) });
    after.push({ k: "do", e: { k: "call", callee: { k: "prop", obj: v(array), name: "set" }, args: [v(view)] } });
  }
  if (before.length === 0) return [loop];
  if (loop.note) before[0] = { ...before[0], note: loop.note };
  return [...before, { ...loop, body, note: undefined }, ...after];
}

/** `x` for `saved.popRange(x)` */
function poppedArray(s: OStmt, stack: string): string | undefined {
  if (s.k !== "do" || s.e.k !== "call" || s.e.args.length !== 1) return undefined;
  const { callee, args } = s.e;
  const isPop = callee.k === "prop" && callee.name === "popRange" && callee.obj.k === "var" && callee.obj.name === stack;
  return isPop && args[0].k === "var" ? args[0].name : undefined;
}

/**
 * Whether `stmts` use `array` only as `array[e]` read or `array.length`, never name `others`, and
 * call nothing (a call could read the array through a closure).
 */
function onlyReadsElements(stmts: OStmt[], array: string, others: Set<string>, stacks: Set<string>): boolean {
  let ok = true;
  const expr = (e: Expr): void => {
    if (!ok) return;
    if (e.k === "var") { if (e.name === array || others.has(e.name)) ok = false; return; }
    if (e.k === "call" || e.k === "new" || e.k === "arrow") {
      const onStack = e.k === "call" && e.callee.k === "prop" && e.callee.obj.k === "var" && stacks.has(e.callee.obj.name);
      if (onStack) for (const a of e.args) expr(a);
      else ok = false;
      return;
    }
    if ((e.k === "index" || (e.k === "prop" && e.name === "length")) && e.obj.k === "var" && e.obj.name === array) { if (e.k === "index") expr(e.index); return; }
    forEachChild(e, expr);
  };
  const walk = (list: OStmt[]): void => {
    for (const s of list) {
      if (!ok) return;
      switch (s.k) {
        case "let": if (s.name === array || others.has(s.name)) ok = false; else if (s.init) expr(s.init); break;
        case "set":
          // a write into the array (or rebinding it) leaves the saved copy stale
          if (rootOf(s.target) === array) { ok = false; break; }
          if (s.target.k !== "var") expr(s.target);
          else if (others.has(s.target.name)) ok = false;
          expr(s.value); break;
        case "do": case "throw": expr(s.e); break;
        case "if": expr(s.c); walk(s.then); walk(s.else); break;
        case "while": expr(s.c); walk(s.body); break;
        case "countdown": if (s.from) expr(s.from); walk(s.body); break;
        default: ok = false; break;
      }
    }
  };
  walk(stmts);
  return ok;
}

function mentions(stmts: OStmt[], names: Set<string>): boolean {
  return stmts.some((s) => {
    switch (s.k) {
      case "let": return names.has(s.name) || (!!s.init && mentionsIn(s.init, names));
      case "set": return mentionsIn(s.target, names) || mentionsIn(s.value, names);
      case "do": case "throw": return mentionsIn(s.e, names);
      case "if": return mentionsIn(s.c, names) || mentions(s.then, names) || mentions(s.else, names);
      case "while": return mentionsIn(s.c, names) || mentions(s.body, names);
      case "countdown": return (!!s.from && mentionsIn(s.from, names)) || mentions(s.body, names);
      default: return true;
    }
  });
}

function mentionsIn(e: Expr, names: Set<string>): boolean {
  if (e.k === "var") return names.has(e.name);
  if (e.k === "arrow") return true;
  let found = false;
  forEachChild(e, (c) => { if (!found && mentionsIn(c, names)) found = true; });
  return found;
}

/** `array[e]` → `view[e]` throughout `stmts` (onlyReadsElements vouched that these are all its uses but `.length`). */
function renameReads(stmts: OStmt[], array: string, view: string): OStmt[] {
  const expr = (e: Expr): Expr => {
    if (e.k === "index" && e.obj.k === "var" && e.obj.name === array) return { ...e, obj: v(view), index: expr(e.index) };
    return mapChildren(e, expr);
  };
  return mapStmts(stmts, expr);
}
