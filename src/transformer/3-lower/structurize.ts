// Removes break, continue, early return and labelled blocks: each becomes a boolean flag, and the
// statements after a possible exit are guarded by `if (!flag)`. What is left is assignments, `if`
// and `while` only — so the adjoint sweep never needs to know where a loop body was left
// (the taped branch of each guard tells it).
import type { Expr, Stmt } from "../ir/ir.js";
import type { Names } from "../ir/names.js";
import { allReads } from "../4-analyse/reads.js";

interface Target {
  label?: string;
  isLoop: boolean;
  /** loops and switches are what an unlabelled `break` leaves; labelled blocks are not */
  unlabelledBreak: boolean;
  brk: string;
  cont?: string;
  used: Set<string>;
}

interface Lowered {
  out: Stmt[];
  /** flags that may be set when this code finishes, so what follows must be skipped */
  exits: Set<string>;
}

const not = (e: Expr): Expr => ({ k: "un", op: "!", a: e });
const anyOf = (flags: Iterable<string>): Expr => {
  const list = [...flags].map((f): Expr => ({ k: "var", name: f }));
  return list.reduce((a, b) => ({ k: "bin", op: "||", a, b }));
};
const set = (flag: string, value: boolean): Stmt => ({ k: "assign", name: flag, e: { k: "lit", text: String(value) } });

export function structurize(body: Stmt[], result: string, names: Names): { body: Stmt[]; flags: Set<string> } {
  const flags = new Set<string>();
  const targets: Target[] = [];
  let returned: string | undefined;

  function list(stmts: Stmt[]): Lowered {
    const out: Stmt[] = [];
    for (let i = 0; i < stmts.length; i++) {
      const one = stmt(stmts[i]);
      out.push(...one.out);
      if (one.exits.size > 0 && i < stmts.length - 1) {
        const rest = list(stmts.slice(i + 1));
        if (rest.out.length > 0) out.push({ k: "if", c: not(anyOf(one.exits)), then: rest.out, else: [] });
        return { out, exits: new Set([...one.exits, ...rest.exits]) };
      }
      if (one.exits.size > 0) return { out, exits: one.exits };
    }
    return { out, exits: new Set() };
  }

  function findTarget(label: string | undefined, forContinue: boolean): Target {
    for (let i = targets.length - 1; i >= 0; i--) {
      const t = targets[i];
      if (label !== undefined ? t.label === label : forContinue ? t.isLoop : t.unlabelledBreak) return t;
    }
    throw new Error(`no target for ${forContinue ? "continue" : "break"} ${label ?? ""}`);
  }

  function stmt(s: Stmt): Lowered {
    switch (s.k) {
      case "assign": case "store": case "push": case "expr": case "throw":
        return { out: [s], exits: new Set() };
      case "return": {
        returned ??= names.fresh("returned");
        flags.add(returned);
        const value: Expr = s.e ?? { k: "lit", text: "undefined" };
        return { out: [{ k: "assign", name: result, e: value, loc: s.loc }, set(returned, true)], exits: new Set([returned]) };
      }
      case "break": case "continue": {
        const t = findTarget(s.label, s.k === "continue");
        const flag = s.k === "break" ? t.brk : t.cont!;
        t.used.add(flag);
        return { out: [set(flag, true)], exits: new Set([flag]) };
      }
      case "if": {
        const a = list(s.then), b = list(s.else);
        return { out: [{ ...s, then: a.out, else: b.out }], exits: new Set([...a.exits, ...b.exits]) };
      }
      case "block": {
        const t: Target = { label: s.label, isLoop: false, unlabelledBreak: s.isSwitch, brk: names.numbered("broke"), used: new Set() };
        targets.push(t);
        const inner = list(s.body);
        targets.pop();
        const exits = new Set(inner.exits);
        exits.delete(t.brk);
        const out = t.used.has(t.brk) ? [set(t.brk, false), ...inner.out] : inner.out;
        if (t.used.has(t.brk)) flags.add(t.brk);
        return { out, exits };
      }
      case "while":
        return { out: [s], exits: new Set() };
      case "loop":
        return loop(s);
    }
  }

  function loop(s: Extract<Stmt, { k: "loop" }>): Lowered {
    const t: Target = { label: s.label, isLoop: true, unlabelledBreak: true, brk: names.numbered("broke"), cont: names.numbered("continued"), used: new Set() };
    const exitIfFalse = (c: Expr): Stmt => ({ k: "if", c: not(c), then: [{ k: "break" }], else: [] });
    let body = s.body, update = s.update;
    let test: Expr | null = s.c;
    if (s.testAfter) {
      // do…while: the test belongs after the body, where `continue` also lands
      update = [...update, ...s.pre, ...(test ? [exitIfFalse(test)] : [])];
      test = null;
    } else if (s.pre.length > 0) {
      body = [...s.pre, ...(test ? [exitIfFalse(test)] : []), ...body];
      test = null;
    }
    targets.push(t);
    const b = list(body);
    const u = list(update);
    targets.pop();

    const afterBody = new Set(b.exits);
    afterBody.delete(t.cont!);
    const stop = new Set([...afterBody, ...u.exits]);
    stop.delete(t.cont!);
    const inner: Stmt[] = [];
    if (t.used.has(t.cont!)) inner.push(set(t.cont!, false));
    inner.push(...b.out);
    if (u.out.length > 0) inner.push(...(afterBody.size > 0 ? [{ k: "if", c: not(anyOf(afterBody)), then: u.out, else: [] } as Stmt] : u.out));

    const guard = stop.size > 0 ? not(anyOf(stop)) : undefined;
    const always = test?.k === "lit" && test.text === "true";
    const cond: Expr = guard && test && !always ? { k: "bin", op: "&&", a: guard, b: test } : guard ?? test ?? { k: "lit", text: "true" };
    const out: Stmt[] = [];
    for (const f of [t.brk, t.cont!]) if (t.used.has(f)) flags.add(f);
    if (t.used.has(t.brk)) out.push(set(t.brk, false));
    out.push({ k: "while", c: cond, body: inner, loc: s.loc });
    const exits = new Set(stop);
    exits.delete(t.brk);
    return { out, exits };
  }

  const lowered = list(body);
  const out = returned ? [set(returned, false), ...lowered.out] : lowered.out;
  return { body: out, flags };
}

/** Drops assignments to control flags nothing reads (e.g. `returned` when the only return is last). */
export function removeUnreadFlags(body: Stmt[], flags: Set<string>): Stmt[] {
  const read = new Set<string>();
  const reads = (e: Expr): void => { allReads(e, read); };
  const scan = (list: Stmt[]): void => {
    for (const s of list) {
      if (s.k === "assign" || s.k === "expr" || s.k === "throw" || s.k === "push") reads(s.e);
      else if (s.k === "store") { reads(s.target); reads(s.e); }
      else if (s.k === "if") { reads(s.c); scan(s.then); scan(s.else); }
      else if (s.k === "while") { reads(s.c); scan(s.body); }
    }
  };
  scan(body);
  const keep = (list: Stmt[]): Stmt[] => list
    .filter((s) => !(s.k === "assign" && flags.has(s.name) && !read.has(s.name)))
    .map((s) => s.k === "if" ? { ...s, then: keep(s.then), else: keep(s.else) } : s.k === "while" ? { ...s, body: keep(s.body) } : s);
  return keep(body);
}
