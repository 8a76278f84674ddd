// Shrinks a failing program to a small one that fails the same way: greedy, coarse edits first
// (drop helpers, delete statement ranges and statements, inline compound statements, drop
// parameters), then expression edits (a sub-expression or a constant in place of an expression,
// `true`/`false` for conditions). Candidates are checked 50 at a time in one batch; the first
// that still fails with the same signature is taken, until no candidate does.
import type { BExpr, Expr, Fn, Program, Stmt, VExpr } from "./ast.js";
import { isV } from "./print.js";
import type { Result } from "./check.js";
import { runPrograms, type HarnessOptions } from "./harness.js";
import { printProgram } from "./print.js";
import { validate } from "./validate.js";

/** What must stay the same while shrinking: the failure class and the gist of its message. */
export function signature(r: Result): string {
  if (r.outcome !== "fail") return "";
  const d = r.detail ?? "";
  const gist = (s: string) => s.replace(/"[^"]*"|'[^']*'|`[^`]*`/g, "_").replace(/-?\d+(\.\d+)?(e-?\d+)?/g, "#").slice(0, 120);
  switch (r.cls) {
    case "build": return `build:${d.includes("optimize: false") ? "noopt" : "opt"}:${gist(d.replace(/ at `.*$/s, ""))}`;
    case "value": return `value:${d.startsWith("(optimize: false)") ? "noopt" : d.startsWith("vjp") ? "vjp" : "opt"}`;
    case "grad-throws": case "crash": case "uncaught": case "load": case "unlocated-diagnostic": return `${r.cls}:${gist(d.split("\n")[0]!)}`;
    case "internal-error": return `${r.cls}:${gist(d.replace(/^BP\d+ at \d+:\d+ `[^`]*`: /, "").replace(/\(at .*?\)/g, ""))}`;
    case "opt-noopt-reject": return `${r.cls}:${gist(d.replace(/ at \d+:\d+ `[^`]*`/g, ""))}`;
    default: return r.cls ?? "?";
  }
}

type NumSlot = { kind: "num"; get: () => Expr; set: (e: Expr) => void; locked?: boolean };
type BoolSlot = { kind: "bool"; get: () => BExpr; set: (b: BExpr) => void };
type Slot = NumSlot | BoolSlot;

class Stop extends Error {}

/** Visits every statement list and expression slot of `p` in a fixed order. */
function visit(p: Program, onList: (list: Stmt[], fn: Fn) => void, onSlot: (s: Slot, fn: Fn) => void): void {
  for (const fn of [...p.helpers, p.main]) {
    const num = (get: () => Expr, set: (e: Expr) => void, locked = false): void => {
      onSlot({ kind: "num", get, set, locked }, fn);
      inner(get());
    };
    const bool = (get: () => BExpr, set: (b: BExpr) => void): void => {
      onSlot({ kind: "bool", get, set }, fn);
      const b = get();
      if (b.k === "not") bool(() => b.a, (x) => { b.a = x; });
      else if (b.k === "and" || b.k === "or") { bool(() => b.a, (x) => { b.a = x; }); bool(() => b.b, (x) => { b.b = x; }); }
      else if (b.k === "cmp") { num(() => b.a, (x) => { b.a = x; }); num(() => b.b, (x) => { b.b = x; }); }
    };
    const inner = (e: Expr): void => {
      switch (e.k) {
        case "idx": num(() => e.index, (x) => { e.index = x; }, true); return;
        // behind `??` any index is safe: the read is not a slot of its own (`(1 ?? 0)` is a type error)
        case "nullish": {
          const a = e.a;
          if (a.k === "idx") num(() => a.index, (x) => { a.index = x; });
          num(() => e.b, (x) => { e.b = x; });
          return;
        }
        case "neg": num(() => e.a, (x) => { e.a = x; }); return;
        case "bin": num(() => e.a, (x) => { e.a = x; }); num(() => e.b, (x) => { e.b = x; }); return;
        case "math": e.args.forEach((_, i) => num(() => e.args[i]!, (x) => { e.args[i] = x; })); return;
        case "cond": bool(() => e.c, (x) => { e.c = x; }); num(() => e.a, (x) => { e.a = x; }); num(() => e.b, (x) => { e.b = x; }); return;
        case "call": {
          const callee = [...p.helpers, p.main].find((f) => f.name === e.fn);
          e.args.forEach((a, i) => {
            if (a.k === "arr") return;
            const locked = callee?.depth !== undefined && callee.params[i]?.name === callee.depth && callee === fn;
            num(() => e.args[i] as Expr, (x) => { e.args[i] = x; }, locked);
          });
          return;
        }
        case "trip": if (e.e) num(() => e.e!, (x) => { e.e = x; }); return;
        case "mcall": e.args.forEach((_, i) => num(() => e.args[i]!, (x) => { e.args[i] = x; })); return;
        case "reduce": num(() => e.init, (x) => { e.init = x; }); num(() => e.body, (x) => { e.body = x; }); return;
        default: return;
      }
    };
    const value = (v: VExpr): void => {
      switch (v.k) {
        case "obj": v.fields.forEach((fl) => { if (isV(fl.e)) value(fl.e); else num(() => fl.e as Expr, (x) => { fl.e = x; }); }); return;
        case "zeros": case "f64": num(() => v.n, (x) => { v.n = x; }, true); return;
        case "map": num(() => v.body, (x) => { v.body = x; }); return;
        case "callv": v.args.forEach((a, i) => { if (a.k !== "arr") num(() => v.args[i] as Expr, (x) => { v.args[i] = x; }); }); return;
        case "new": v.args.forEach((a, i) => { if (a.k !== "arr") num(() => v.args[i] as Expr, (x) => { v.args[i] = x; }); }); return;
        default: return;
      }
    };
    const list = (l: Stmt[]): void => {
      onList(l, fn);
      for (const s of l) stmt(s);
    };
    const stmt = (s: Stmt): void => {
      switch (s.k) {
        case "let": num(() => s.init, (x) => { s.init = x; }); return;
        case "assign": num(() => s.e, (x) => { s.e = x; }); return;
        case "return": num(() => s.e, (x) => { s.e = x; }); return;
        case "if": bool(() => s.c, (x) => { s.c = x; }); list(s.then); if (s.else) list(s.else); return;
        case "for": num(() => s.bound, (x) => { s.bound = x; }); list(s.body); return;
        case "while": case "do":
          num(() => s.bound, (x) => { s.bound = x; });
          if (s.extra) bool(() => s.extra!, (x) => { s.extra = x; });
          list(s.body);
          return;
        case "switch": num(() => s.disc, (x) => { s.disc = x; }); s.cases.forEach((c) => list(c.body)); return;
        case "letv": value(s.init); return;
        case "retv": value(s.e); return;
        case "setidx": num(() => s.index, (x) => { s.index = x; }, true); num(() => s.e, (x) => { s.e = x; }); return;
        case "push": num(() => s.e, (x) => { s.e = x; }); return;
        case "forEach": case "fn": case "forOf": list(s.body); return;
        default: return;
      }
    };
    list(fn.body);
  }
}

type ListOp = { at: "list"; list: number; apply: (l: Stmt[]) => void };
type SlotOp = { at: "slot"; slot: number; apply: (s: Slot) => void };
type ProgOp = { at: "prog"; apply: (p: Program) => void };
type Op = ListOp | SlotOp | ProgOp;

function applyOp(p: Program, op: Op): Program {
  const q = structuredClone(p);
  if (op.at === "prog") { op.apply(q); return q; }
  let li = 0, si = 0;
  try {
    visit(q, (l) => { if (op.at === "list" && li++ === op.list) { op.apply(l); throw new Stop(); } },
      (s) => { if (op.at === "slot" && si++ === op.slot) { op.apply(s); throw new Stop(); } });
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
  }
  return q;
}

const ONE: Expr = { k: "num", v: 1 };

function children(e: Expr): Expr[] {
  switch (e.k) {
    case "neg": return [e.a];
    case "bin": return [e.a, e.b];
    case "math": return e.args;
    case "cond": return [e.a, e.b];
    case "nullish": return [e.b];
    case "call": return e.args.filter((a): a is Expr => a.k !== "arr");
    case "mcall": return e.args;
    case "reduce": return [e.init];
    case "inc": return [{ k: "var", name: e.name }];
    case "trip": return e.form === "const" ? [] : [{ k: "trip", form: "const", max: e.max }];
    default: return [];
  }
}

/** replaces every call of `name` (anywhere in p) with 1 */
function dropCalls(p: Program, name: string): void {
  const fix = (e: Expr): Expr => {
    if (e.k === "call" && e.fn === name) return ONE;
    return e;
  };
  // repeat until no call is left (calls nest)
  for (let round = 0; round < 20; round++) {
    let changed = false;
    visit(p, () => {}, (s) => {
      if (s.kind === "num") { const e = s.get(); const f = fix(e); if (f !== e) { s.set(f); changed = true; } }
    });
    if (!changed) return;
  }
}

function candidates(p: Program): Op[] {
  const ops: Op[] = [];
  // whole helpers, rules, classes
  for (const h of p.helpers) ops.push({ at: "prog", apply: (q) => { q.helpers = q.helpers.filter((x) => x.name !== h.name); dropCalls(q, h.name); } });
  for (const r of p.rules ?? []) ops.push({ at: "prog", apply: (q) => { q.rules = q.rules!.filter((x) => x.name !== r.name); if (!q.rules.length) delete q.rules; dropCalls(q, r.name); } });
  for (const c of p.classes ?? []) {
    ops.push({ at: "prog", apply: (q) => { q.classes = q.classes!.filter((x) => x.name !== c.name); if (!q.classes.length) delete q.classes; } });
    // members (validate drops the candidate where one is still used), bodies as a constant
    const cls = (q: Program) => q.classes!.find((x) => x.name === c.name)!;
    c.methods.forEach((m) => {
      ops.push({ at: "prog", apply: (q) => { const x = cls(q); x.methods = x.methods.filter((y) => y.name !== m.name); } });
      if (m.body.k !== "num") ops.push({ at: "prog", apply: (q) => { cls(q).methods.find((y) => y.name === m.name)!.body = { k: "num", v: 1 }; } });
    });
    (c.getters ?? []).forEach((g) => {
      ops.push({ at: "prog", apply: (q) => { const x = cls(q); x.getters = x.getters!.filter((y) => y.name !== g.name); if (!x.getters.length) delete x.getters; } });
      if (g.body && g.body.k !== "num") ops.push({ at: "prog", apply: (q) => { cls(q).getters!.find((y) => y.name === g.name)!.body = { k: "num", v: 1 }; } });
    });
    if (c.inits) ops.push({ at: "prog", apply: (q) => { delete cls(q).inits; } });
    if (c.derived) ops.push({ at: "prog", apply: (q) => { delete cls(q).derived; } });
  }
  // statement lists: ranges, single statements, inlining
  const lists: Stmt[][] = [];
  visit(p, (l) => lists.push(l), () => {});
  lists.forEach((l, li) => {
    for (let size = Math.floor(l.length / 2); size >= 2; size = Math.floor(size / 2)) {
      for (let from = 0; from + size <= l.length; from += size) ops.push({ at: "list", list: li, apply: (x) => { x.splice(from, size); } });
    }
  });
  lists.forEach((l, li) => {
    l.forEach((s, i) => {
      ops.push({ at: "list", list: li, apply: (x) => { x.splice(i, 1); } });
      const inline = (get: (s: Stmt) => Stmt[]) => ops.push({ at: "list", list: li, apply: (x) => { x.splice(i, 1, ...get(x[i]!)); } });
      if (s.k === "if") {
        inline((t) => (t as typeof s).then);
        if (s.else) {
          inline((t) => (t as typeof s).else!);
          ops.push({ at: "list", list: li, apply: (x) => { (x[i] as typeof s).else = null; } });
        }
      }
      if (s.k === "for" || s.k === "while" || s.k === "do") {
        inline((t) => (t as typeof s).body);
        if (s.label) ops.push({ at: "list", list: li, apply: (x) => { delete (x[i] as typeof s).label; } });
        if (s.k !== "for" && s.extra) ops.push({ at: "list", list: li, apply: (x) => { delete (x[i] as Stmt & { extra?: BExpr }).extra; } });
        if (s.k === "for" && s.down) ops.push({ at: "list", list: li, apply: (x) => { (x[i] as typeof s).down = false; } });
        if (s.k !== "for") ops.push({ at: "list", list: li, apply: (x) => { (x[i] as Stmt).k = s.k === "while" ? "do" : "while"; } });
      }
      if (s.k === "switch") {
        s.cases.forEach((_, ci) => {
          inline((t) => (t as typeof s).cases[ci]!.body);
          ops.push({ at: "list", list: li, apply: (x) => { (x[i] as typeof s).cases.splice(ci, 1); } });
        });
        if (s.label) ops.push({ at: "list", list: li, apply: (x) => { delete (x[i] as typeof s).label; } });
      }
      if ((s.k === "break" || s.k === "continue") && s.label) ops.push({ at: "list", list: li, apply: (x) => { delete (x[i] as typeof s).label; } });
      if (s.k === "assign" && s.op !== "=") ops.push({ at: "list", list: li, apply: (x) => { (x[i] as typeof s).op = "="; } });
      if (s.k === "let" && s.konst) ops.push({ at: "list", list: li, apply: (x) => { (x[i] as typeof s).konst = false; } });
      if (s.k === "forOf" && s.label) ops.push({ at: "list", list: li, apply: (x) => { delete (x[i] as typeof s).label; } });
      if (s.k === "forEach") inline((t) => (t as typeof s).body.filter((b) => b.k !== "return"));
      if (s.k === "fn" && s.arrow) ops.push({ at: "list", list: li, apply: (x) => { (x[i] as typeof s).arrow = false; } });
      if (s.k === "letv" && s.init.k === "obj") {
        // drop a field (reads of it fail validation)
        s.init.fields.forEach((_, fi) => ops.push({ at: "list", list: li, apply: (x) => {
          const d = x[i] as typeof s;
          (d.init as VExpr & { k: "obj" }).fields.splice(fi, 1);
          if (typeof d.type === "object" && "fields" in d.type) d.type.fields.splice(fi, 1);
        } }));
      }
    });
  });
  // parameters (with the matching arguments at every call)
  for (const f of [...p.helpers, p.main]) {
    f.params.forEach((prm, pi) => {
      if (prm.name === f.depth) return;
      ops.push({
        at: "prog",
        apply: (q) => {
          const g = [...q.helpers, q.main].find((x) => x.name === f.name)!;
          g.params.splice(pi, 1);
          visit(q, () => {}, (s) => { if (s.kind === "num") { const e = s.get(); if (e.k === "call" && e.fn === f.name) e.args.splice(pi, 1); } });
        },
      });
    });
  }
  // expressions
  let si = 0;
  visit(p, () => {}, (s) => {
    const slot = si++;
    if (s.kind === "bool") {
      const b = s.get();
      const subs: BExpr[] = b.k === "not" ? [b.a] : b.k === "and" || b.k === "or" ? [b.a, b.b] : [];
      for (const c of subs) ops.push({ at: "slot", slot, apply: (x) => (x as BoolSlot).set(structuredClone(c)) });
      if (b.k !== "bool") for (const v of [true, false]) ops.push({ at: "slot", slot, apply: (x) => (x as BoolSlot).set({ k: "bool", v }) });
      return;
    }
    if (s.locked) return;
    const e = s.get();
    children(e).forEach((c) => ops.push({ at: "slot", slot, apply: (x) => (x as NumSlot).set(structuredClone(c)) }));
    if (e.k === "trip") {
      if (e.max > 1) ops.push({ at: "slot", slot, apply: (x) => (x as NumSlot).set({ ...e, max: e.max - 1 }) });
    } else if (!(e.k === "num" && (e.v === 1 || e.v === 0))) {
      ops.push({ at: "slot", slot, apply: (x) => (x as NumSlot).set(ONE) });
      if (e.k !== "num") for (const v of [0, 0.5]) ops.push({ at: "slot", slot, apply: (x) => (x as NumSlot).set({ k: "num", v }) });
    }
  });
  return ops;
}

export interface ShrinkOptions {
  harness?: Partial<HarnessOptions>;
  /** stop after this many rounds (each takes one improvement) */
  maxRounds?: number;
  /** stop after this many ms */
  budgetMs?: number;
  log?: (s: string) => void;
}

/** Smallest program found that fails with the same signature as `original`'s `result`. */
export async function shrink(original: Program, result: Result, o: ShrinkOptions = {}): Promise<{ prog: Program; result: Result; rounds: number }> {
  const target = signature(result);
  const needsNoopt = /noopt|optimize: false/.test(target + (result.detail ?? ""));
  const harness: Partial<HarnessOptions> = { points: 3, tries: 12, ...o.harness, noopt: needsNoopt || o.harness?.noopt === true };
  const start = Date.now();
  let cur = original;
  let curResult = result;
  let rounds = 0;
  const seen = new Set<string>([printProgram(cur)]);
  outer: for (; rounds < (o.maxRounds ?? 400) && Date.now() - start < (o.budgetMs ?? 600_000); rounds++) {
    const cands: Program[] = [];
    for (const op of candidates(cur)) {
      let q: Program;
      try { q = applyOp(cur, op); } catch { continue; }
      if (validate(q)) continue;
      const text = printProgram(q);
      if (seen.has(text)) continue;
      seen.add(text);
      // the point where it failed is tried first (failures that depend on rounding need it)
      if (curResult.args && JSON.stringify(q.main.params) === JSON.stringify(cur.main.params)) q.points = [curResult.args];
      else delete q.points;
      cands.push(q);
    }
    for (let i = 0; i < cands.length; i += harness.batch ?? 50) {
      const chunk = cands.slice(i, i + (harness.batch ?? 50));
      const rs = await runPrograms(chunk, harness);
      const hit = rs.findIndex((r) => signature(r) === target);
      if (hit >= 0) {
        cur = chunk[hit]!;
        curResult = rs[hit]!;
        o.log?.(`    shrink round ${rounds + 1}: ${printProgram(cur).split("\n").length} lines`);
        continue outer;
      }
    }
    break;
  }
  return { prog: cur, result: curResult, rounds };
}
