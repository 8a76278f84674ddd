// Seeded generator of random, well-typed TypeScript functions over the language the transformer
// supports: number parameters and one read-only number[] parameter, let/const, reassignment,
// compound assignment, ++/--, arithmetic, Math functions, ternaries, if/else, for/while/do…while
// with dynamic trip counts, (labelled) break/continue, early returns, switch with fall-through,
// and calls into generated helpers including one bounded recursion.
//
// Values stay finite by construction: divisors, log and sqrt arguments are bounded away from 0
// (`1 + u * u`, `Math.abs(u) + 0.5`, …), exp sees bounded arguments, `**` has a constant integer
// exponent or a positive base, trip counts are at most 4, and loop counters are never assigned.
import type { Arg, BExpr, CmpOp, Expr, Fn, NumOp, Param, Program, Stmt } from "./ast.js";
import { Rng, programSeed } from "./rng.js";
import { printExpr } from "./print.js";

/** Language features; the test suite turns off those with open bugs (see test/fuzz/open). */
export interface Features {
  /** `x++` / `++x` used as a value inside a larger expression */
  incExpr: boolean;
  /** a call in a loop condition (`while (k < h(x))`) */
  callInLoopTest: boolean;
  recursion: boolean;
  switch: boolean;
  labels: boolean;
  earlyReturn: boolean;
  doWhile: boolean;
  helpers: boolean;
  modulo: boolean;
  /** compound assignment `%=`, `/=`, `*=` */
  compound: boolean;
  /** `(-2) ** 2`, `(-x) ** 3`: a negative literal or a negation as the base of `**` */
  negPow: boolean;
  /** a ternary inside a branch of another */
  nestedCond: boolean;
  /** `let v` in an inner block reusing the name of an outer variable (or loop counter) */
  shadow: boolean;
}

export const ALL_FEATURES: Features = {
  incExpr: true, callInLoopTest: true, recursion: true, switch: true, labels: true, earlyReturn: true,
  doWhile: true, helpers: true, modulo: true, compound: true, negPow: true, nestedCond: true, shadow: true,
};

export interface GenOptions {
  /** statement budget of `main` (helpers get a fraction); default 14 */
  size?: number;
  /** largest constant/rounded trip count and recursion depth (default 4) */
  maxTrip?: number;
  /** loops nested at most this deep (default 2) */
  loopDepth?: number;
  features?: Partial<Features>;
}

type VarKind = "param" | "local" | "const" | "counter";
interface V {
  name: string;
  kind: VarKind;
  /** a non-negative integer below xs.length */
  idxSafe?: boolean;
  /** a while/do counter: its body starts with `k++`, so no `let k` may shadow it there */
  bodyUse?: boolean;
}
interface Ctl { kind: "loop" | "switch"; node: Stmt & { label?: string } }

/** TypeScript reads `a < (b …) > c` as a call with type arguments: `<` must not precede `(`. */
export function ambiguousLess(right: Expr): boolean {
  return printExpr(right).startsWith("(");
}

const CONSTS = [0.5, 1, 2, 3, 0.25, 1.5, 0.1, 2.5, -1, -0.5, -2, 0.75];
const ORDER: CmpOp[] = ["<", "<=", ">", ">="];

interface Callable { fn: Fn }

class Labels { n = 0; }

class FnGen {
  private scopes: V[][] = [[]];
  private ctl: Ctl[] = [];
  private nLocal = 0;
  private nCounter = 0;
  private loopDepth = 0;
  private depthNesting = 0;
  private inCond = 0;
  budget: number;

  constructor(
    private rng: Rng,
    private f: Features,
    private callable: Callable[],
    private arr: string | undefined,
    budget: number,
    private labels: Labels,
    private maxTrip = 4,
    private maxLoopDepth = 2,
  ) {
    this.budget = budget;
  }

  declareParams(ps: Param[], depth?: string): void {
    for (const p of ps) if (p.type === "number") this.scopes[0]!.push({ name: p.name, kind: p.name === depth ? "counter" : "param" });
  }

  // ---- variables ----
  /** the bindings visible here: an inner declaration hides an outer one of the same name */
  private all(): V[] {
    const seen = new Set<string>();
    const out: V[] = [];
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const sc = this.scopes[i]!;
      for (let j = sc.length - 1; j >= 0; j--) if (!seen.has(sc[j]!.name)) { seen.add(sc[j]!.name); out.push(sc[j]!); }
    }
    return out.reverse();
  }
  /** statements generated so far in each open block (a shadowing `let` must not follow a use) */
  private blocks: Stmt[][] = [];
  private readable(): V[] { return this.all(); }
  private assignable(): V[] { return this.all().filter((v) => v.kind === "param" || v.kind === "local"); }
  private counters(): V[] { return this.all().filter((v) => v.kind === "counter"); }
  private push(v: V) { this.scopes[this.scopes.length - 1]!.push(v); }
  private freshLocal(): string { return `v${this.nLocal++}`; }
  private freshCounter(): string { return `k${this.nCounter++}`; }
  private inScope<T>(fn: () => T): T {
    this.scopes.push([]);
    try { return fn(); } finally { this.scopes.pop(); }
  }

  // ---- expressions ----
  num(d: number): Expr {
    const r = this.rng;
    if (d <= 0 || r.chance(0.25)) return this.leaf();
    const locals = this.assignable().filter((v) => v.kind === "local");
    const k = r.weighted({
      arith: 7, div: 2, mod: this.f.modulo ? 0.8 : 0, pow: 1.5, neg: 0.7, m1: 3, exp: 1, log: 1, sqrt: 1,
      mm: 1.5, hypot: 0.6, cond: this.inCond && !this.f.nestedCond ? 0 : 1.5, call: this.callable.length ? 2 : 0,
      inc: this.f.incExpr && locals.length ? 0.3 : 0, idx: this.arr ? 1 : 0,
    });
    switch (k) {
      case "arith": return { k: "bin", op: r.pick(["+", "-", "*", "+", "-"] as NumOp[]), a: this.num(d - 1), b: this.num(d - 1) };
      case "div": return { k: "bin", op: "/", a: this.num(d - 1), b: this.positive(d - 1) };
      case "mod": return { k: "bin", op: "%", a: this.num(d - 1), b: r.chance(0.5) ? this.positive(d - 1) : { k: "num", v: r.pick([1.5, 2, 0.7, 3]) } };
      case "pow": {
        const form = r.int(4);
        if (form < 2) {
          let base = this.num(d - 1);
          if (!this.f.negPow) {
            if (base.k === "num" && base.v < 0) base = { k: "num", v: -base.v };
            else if (base.k === "neg") base = base.a;
          }
          const exponent: Expr = { k: "num", v: r.pick([2, 3]) };
          return form === 0 ? { k: "bin", op: "**", a: base, b: exponent } : { k: "math", fn: "pow", args: [base, exponent] };
        }
        if (form === 2) return { k: "bin", op: "**", a: this.positive(d - 1), b: this.bounded(d - 1) };
        return { k: "math", fn: "pow", args: [this.positive(d - 1), this.bounded(d - 1)] };
      }
      case "neg": return { k: "neg", a: this.num(d - 1) };
      case "m1": return { k: "math", fn: r.pick(["sin", "cos", "tanh", "atan", "abs"]), args: [this.num(d - 1)] };
      case "exp": return { k: "math", fn: "exp", args: [this.bounded(d - 1)] };
      case "log": return { k: "math", fn: "log", args: [this.positive(d - 1)] };
      case "sqrt": return { k: "math", fn: "sqrt", args: [this.positive(d - 1)] };
      case "mm": return { k: "math", fn: r.pick(["max", "min"]), args: [this.num(d - 1), this.num(d - 1)] };
      case "hypot": return { k: "math", fn: "hypot", args: [this.num(d - 1), this.num(d - 1)] };
      case "cond": {
        const c = this.bool(d - 1);
        this.inCond++;
        try { return { k: "cond", c, a: this.num(d - 1), b: this.num(d - 1) }; } finally { this.inCond--; }
      }
      case "call": return this.call(d - 1);
      case "inc": { const v = r.pick(locals); return { k: "inc", name: v.name, op: r.chance(0.7) ? "++" : "--", prefix: r.chance(0.5) }; }
      case "idx": return this.index();
    }
    return this.leaf();
  }

  private leaf(): Expr {
    const r = this.rng;
    const vars = this.readable();
    const k = r.weighted({ v: vars.length ? 6 : 0, c: 2.5, idx: this.arr ? 1.5 : 0, len: this.arr ? 0.3 : 0 });
    if (k === "v") {
      // prefer recently declared names a little: they are what the code just computed
      const v = r.chance(0.4) ? vars[vars.length - 1 - r.int(Math.min(3, vars.length))]! : r.pick(vars);
      return { k: "var", name: v.name };
    }
    if (k === "idx") return this.index();
    if (k === "len") return { k: "len", arr: this.arr! };
    return { k: "num", v: r.pick(CONSTS) };
  }

  private index(): Expr {
    const r = this.rng;
    const arr = this.arr!;
    const safe = this.counters().filter((v) => v.idxSafe);
    const counters = this.counters();
    const k = r.weighted({ zero: 1, last: 1, safe: safe.length ? 4 : 0, mod: counters.length ? 2 : 0 });
    if (k === "safe") return { k: "idx", arr, index: { k: "var", name: r.pick(safe).name } };
    if (k === "mod") return { k: "idx", arr, index: { k: "bin", op: "%", a: { k: "var", name: r.pick(counters).name }, b: { k: "len", arr } } };
    if (k === "last") return { k: "idx", arr, index: { k: "bin", op: "-", a: { k: "len", arr }, b: { k: "num", v: 1 } } };
    return { k: "idx", arr, index: { k: "num", v: 0 } };
  }

  /** an expression > 0.25 whatever its operands */
  positive(d: number): Expr {
    const r = this.rng;
    const u = this.num(Math.max(0, d - 1));
    switch (r.int(6)) {
      case 0: return { k: "bin", op: "+", a: { k: "num", v: 1 }, b: { k: "bin", op: "*", a: u, b: structuredClone(u) } };
      case 1: return { k: "bin", op: "+", a: { k: "math", fn: "abs", args: [u] }, b: { k: "num", v: 0.5 } };
      case 2: return { k: "math", fn: "hypot", args: [u, { k: "num", v: 1 }] };
      case 3: return { k: "math", fn: "exp", args: [this.bounded(Math.max(0, d - 1))] };
      case 4: return { k: "bin", op: "+", a: { k: "num", v: 2 }, b: { k: "math", fn: r.pick(["sin", "cos", "tanh"]), args: [u] } };
      default: return { k: "num", v: r.pick([1.5, 2, 0.5, 3]) };
    }
  }

  /** an expression of magnitude at most ~3 */
  bounded(d: number): Expr {
    const r = this.rng;
    const u = this.num(Math.max(0, d - 1));
    let e: Expr;
    switch (r.int(5)) {
      case 0: e = { k: "math", fn: "sin", args: [u] }; break;
      case 1: e = { k: "math", fn: "cos", args: [u] }; break;
      case 2: e = { k: "math", fn: "tanh", args: [u] }; break;
      case 3: e = { k: "math", fn: "atan", args: [u] }; break;
      default: e = { k: "bin", op: "/", a: u, b: { k: "bin", op: "+", a: { k: "num", v: 1 }, b: { k: "bin", op: "*", a: structuredClone(u), b: structuredClone(u) } } };
    }
    return r.chance(0.3) ? { k: "bin", op: "*", a: { k: "num", v: r.pick([2, 0.5, 1.5]) }, b: e } : e;
  }

  /** a trip count or recursion depth in 0..4 */
  trip(allowCalls = true): Expr {
    const r = this.rng;
    const k = r.weighted({ const: 1, len: this.arr ? 2 : 0, floor: 1.5, round: 1 });
    if (k === "len") return { k: "trip", form: "len", max: 4, arr: this.arr };
    if (k === "const") return { k: "trip", form: "const", max: r.range(0, this.maxTrip) };
    const saved = this.callable;
    if (!allowCalls) this.callable = [];
    const e = this.num(1);
    this.callable = saved;
    return { k: "trip", form: k, max: r.range(1, this.maxTrip), e };
  }

  private call(d: number): Expr {
    const r = this.rng;
    const options = this.callable.filter((c) => this.arr !== undefined || !c.fn.params.some((p) => p.type === "number[]"));
    if (options.length === 0) return this.leaf();
    const { fn } = r.pick(options);
    const args: Arg[] = fn.params.map((p) => {
      if (p.type === "number[]") return { k: "arr", name: this.arr! };
      if (p.name === fn.depth) return this.trip();
      return this.num(Math.min(d, 1));
    });
    return { k: "call", fn: fn.name, args };
  }

  bool(d: number): BExpr {
    const r = this.rng;
    const counters = this.counters();
    const k = d <= 0 ? "cmp" : r.weighted({ cmp: 6, eq: counters.length ? 0.7 : 0, and: 1, or: 1, not: 0.4 });
    switch (k) {
      // `k % 4 === 1`, not `k === 1`: TypeScript would narrow k to 1 and reject a nested `k === 2`
      case "eq": return { k: "cmp", op: r.pick(["===", "!=="] as CmpOp[]), a: { k: "bin", op: "%", a: { k: "var", name: r.pick(counters).name }, b: { k: "num", v: 4 } }, b: { k: "num", v: r.range(0, 3) } };
      case "and": return { k: "and", a: this.bool(d - 1), b: this.bool(d - 1) };
      case "or": return { k: "or", a: this.bool(d - 1), b: this.bool(d - 1) };
      case "not": return { k: "not", a: this.bool(d - 1) };
      default: {
        const a = this.num(Math.max(0, d - 1));
        const b = r.chance(0.4) ? { k: "num" as const, v: r.pick([0, 0.5, 1, -0.5, 2]) } : this.num(Math.max(0, d - 1));
        const op = r.pick(ORDER);
        // `x < (…) … >` parses as a generic call in TypeScript: write it the other way round
        if (op === "<" && ambiguousLess(b)) return { k: "cmp", op: ">", a: b, b: a };
        return { k: "cmp", op, a, b };
      }
    }
  }

  /** `e` squashed into [-~1.6, ~1.6] (used for values carried around loops) */
  private squash(e: Expr): Expr {
    switch (this.rng.int(4)) {
      case 0: return { k: "math", fn: "tanh", args: [e] };
      case 1: return { k: "math", fn: "sin", args: [e] };
      case 2: return { k: "math", fn: "atan", args: [e] };
      default: return { k: "bin", op: "/", a: e, b: { k: "bin", op: "+", a: { k: "num", v: 1 }, b: { k: "bin", op: "*", a: structuredClone(e), b: structuredClone(e) } } };
    }
  }

  // ---- statements ----
  block(max: number): Stmt[] {
    return this.inScope(() => this.stmts(max));
  }

  stmts(max: number): Stmt[] {
    const out: Stmt[] = [];
    this.blocks.push(out);
    try {
      let n = 0;
      while (n < max && this.budget > 0) {
        const s = this.stmt();
        out.push(...s);
        n++;
        const last = out[out.length - 1];
        if (last && (last.k === "break" || last.k === "continue" || last.k === "return")) break;
      }
    } finally {
      this.blocks.pop();
    }
    return out;
  }

  /** a name from an outer scope that a `let` here may reuse: not declared in this scope, not used
   * earlier in this block (that use would then mean the new binding), not read by `init` */
  private shadowable(init: Expr): string | undefined {
    if (!this.f.shadow || this.scopes.length < 2 || !this.rng.chance(0.2)) return undefined;
    const here = new Set(this.scopes[this.scopes.length - 1]!.map((v) => v.name));
    const used = JSON.stringify([this.blocks[this.blocks.length - 1] ?? [], init]);
    const options = this.all().filter((v) => !here.has(v.name) && !v.bodyUse && !used.includes(`"${v.name}"`));
    return options.length ? this.rng.pick(options).name : undefined;
  }

  private stmt(): Stmt[] {
    const r = this.rng;
    this.budget--;
    const inLoop = this.ctl.some((c) => c.kind === "loop");
    const nest = this.depthNesting < 3 + Math.max(0, this.maxLoopDepth - 2);
    const k = r.weighted({
      let: 4, const: 1.2, assign: this.assignable().length ? 4.5 : 0, inc: this.assignable().length ? 0.5 : 0,
      if: nest ? 2 : 0, for: nest && this.loopDepth < this.maxLoopDepth ? 1.6 : 0, while: nest && this.loopDepth < this.maxLoopDepth ? 0.9 : 0,
      do: nest && this.loopDepth < this.maxLoopDepth && this.f.doWhile ? 0.7 : 0, switch: nest && this.f.switch ? 0.7 : 0,
      jump: this.ctl.length ? 2.2 : 0, ret: this.f.earlyReturn ? (inLoop ? 1 : 0.3) : 0,
    });
    switch (k) {
      case "let": case "const": {
        const init = this.num(2);
        const name = this.shadowable(init) ?? this.freshLocal();
        this.push({ name, kind: k === "let" ? "local" : "const" });
        return [{ k: "let", name, konst: k === "const", init }];
      }
      case "assign": {
        const v = r.pick(this.assignable());
        const op = r.weighted({ "=": 3, "+=": 3, "-=": 1, "*=": this.f.compound ? 1.2 : 0, "/=": this.f.compound ? 0.6 : 0, "%=": this.f.compound && this.f.modulo ? 0.3 : 0 });
        let e: Expr;
        if (op === "/=" || op === "%=") e = this.positive(1);
        else if (op === "*=") e = this.loopDepth ? this.bounded(1) : this.num(2);
        else {
          e = this.num(2);
          if (this.loopDepth && op === "=" && r.chance(0.6)) e = this.squash(e);
        }
        return [{ k: "assign", name: v.name, op, e }];
      }
      case "inc": {
        const v = r.pick(this.assignable());
        return [{ k: "inc", name: v.name, op: r.chance(0.75) ? "++" : "--", prefix: r.chance(0.3) }];
      }
      case "if": {
        this.depthNesting++;
        const c = this.bool(2);
        const then = this.block(r.range(1, 3));
        let els: Stmt[] | null = null;
        if (r.chance(0.5)) els = r.chance(0.3) ? this.inScope(() => { const s = this.stmt(); return s; }) : this.block(r.range(1, 3));
        if (els && els.length === 1 && els[0]!.k !== "if") { /* plain else */ }
        this.depthNesting--;
        return [{ k: "if", c, then, else: els }];
      }
      case "for": case "while": case "do": return this.loop(k);
      case "switch": return this.switchStmt();
      case "jump": return this.jump();
      case "ret": {
        const e = this.num(2);
        if (r.chance(0.2)) return [{ k: "return", e }];
        return [{ k: "if", c: this.bool(1), then: [{ k: "return", e }], else: null }];
      }
    }
    return [];
  }

  private loop(kind: "for" | "while" | "do"): Stmt[] {
    const r = this.rng;
    this.depthNesting++;
    this.loopDepth++;
    const v = this.freshCounter();
    const bound = this.trip(this.f.callInLoopTest);
    const idxSafe = bound.k === "trip" && bound.form === "len";
    let node: Stmt;
    if (kind === "for") {
      node = { k: "for", v, bound, down: r.chance(0.25), body: [] };
      this.ctl.push({ kind: "loop", node });
      this.inScope(() => {
        this.push({ name: v, kind: "counter", idxSafe });
        (node as Stmt & { k: "for" }).body = this.stmts(r.range(1, 4));
      });
    } else {
      const extra = r.chance(0.25) ? this.bool(1) : undefined;
      node = { k: kind, v, bound, extra, body: [] };
      this.ctl.push({ kind: "loop", node });
      // the counter is declared in the enclosing block; inside the body it is 1..bound
      this.push({ name: v, kind: "counter", bodyUse: true });
      (node as Stmt & { k: "while" }).body = this.block(r.range(1, 4));
    }
    this.ctl.pop();
    this.loopDepth--;
    this.depthNesting--;
    return [node];
  }

  private switchStmt(): Stmt[] {
    const r = this.rng;
    this.depthNesting++;
    const counters = this.counters();
    let disc: Expr;
    const form = r.weighted({ counter: counters.length ? 2 : 0, floor: 2, len: this.arr ? 1 : 0 });
    if (form === "counter") disc = { k: "bin", op: "%", a: { k: "var", name: r.pick(counters).name }, b: { k: "num", v: 3 } };
    else if (form === "len") disc = { k: "bin", op: "%", a: { k: "len", arr: this.arr! }, b: { k: "num", v: 4 } };
    else disc = { k: "math", fn: r.pick(["floor", "round"]), args: [{ k: "math", fn: "abs", args: [this.num(1)] }] };
    const node: Stmt & { k: "switch" } = { k: "switch", disc, cases: [] };
    this.ctl.push({ kind: "switch", node });
    const n = r.range(2, 4);
    const tests = [0, 1, 2, 3, 4].sort(() => r.next() - 0.5).slice(0, n).sort((a, b) => a - b);
    const withDefault = r.chance(0.5);
    const defaultAt = r.int(n + 1);
    const labels: (number | null)[] = [...tests];
    if (withDefault) labels.splice(defaultAt, 0, null);
    for (const test of labels) {
      const body = this.block(r.range(0, 2));
      const last = body[body.length - 1];
      if (r.chance(0.6) && !(last && (last.k === "break" || last.k === "continue" || last.k === "return"))) body.push({ k: "break" });
      node.cases.push({ test, body });
    }
    this.ctl.pop();
    this.depthNesting--;
    return [node];
  }

  private jump(): Stmt[] {
    const r = this.rng;
    const loops = this.ctl.filter((c) => c.kind === "loop");
    const isContinue = loops.length > 0 && r.chance(0.5);
    let label: string | undefined;
    const candidates = isContinue ? loops : this.ctl;
    const nearest = candidates[candidates.length - 1]!;
    let target = nearest;
    if (this.f.labels && candidates.length > 1 && r.chance(0.55)) target = r.pick(candidates.slice(0, -1));
    // an unlabelled jump goes to the innermost loop (continue) or loop/switch (break)
    const innermost = isContinue ? loops[loops.length - 1]! : this.ctl[this.ctl.length - 1]!;
    if (target !== innermost || (this.f.labels && r.chance(0.1))) {
      target.node.label ??= `L${this.labels.n++}`;
      label = target.node.label;
    }
    const s: Stmt = isContinue ? { k: "continue", label } : { k: "break", label };
    if (r.chance(0.15)) return [s];
    return [{ k: "if", c: this.bool(1), then: [s], else: null }];
  }

  /** the final `return`: an expression over what the body computed */
  finalReturn(): Stmt {
    const r = this.rng;
    let e = this.num(2);
    const vars = this.all().filter((v) => v.kind === "local" || v.kind === "param");
    for (let i = 0; i < 2 && vars.length; i++) {
      if (r.chance(0.6)) e = { k: "bin", op: r.pick(["+", "-", "*"] as NumOp[]), a: e, b: { k: "var", name: r.pick(vars).name } };
    }
    return { k: "return", e };
  }
}

interface Knobs { maxTrip: number; loopDepth: number }

function helperFn(rng: Rng, f: Features, name: string, callable: Callable[], labels: Labels, budget: number, k: Knobs): Fn {
  const n = rng.range(1, 3);
  const params: Param[] = ["x", "y", "z"].slice(0, n).map((p) => ({ name: p, type: "number" }));
  if (rng.chance(0.4)) params.splice(rng.int(params.length + 1), 0, { name: "ws", type: "number[]" });
  const arr = params.find((p) => p.type === "number[]")?.name;
  const g = new FnGen(rng, f, callable, arr, budget, labels, k.maxTrip, k.loopDepth);
  g.declareParams(params);
  const body = g.stmts(rng.range(1, 4));
  if (!(body.length && body[body.length - 1]!.k === "return")) body.push(g.finalReturn());
  return { name, params, body };
}

/** `name(x, n)`: returns at depth 0, else combines x with `name(…, n - 1)` */
function recursiveFn(rng: Rng, f: Features, name: string, callable: Callable[], labels: Labels, k: Knobs): Fn {
  const params: Param[] = [{ name: "x", type: "number" }, { name: "n", type: "number" }];
  if (rng.chance(0.3)) params.push({ name: "y", type: "number" });
  const fn: Fn = { name, params, body: [], depth: "n" };
  const g = new FnGen(rng, f, callable, undefined, 4, labels, k.maxTrip, k.loopDepth);
  g.declareParams(params, "n");
  // `!(n >= 1)` also stops on NaN
  const stop: Stmt = { k: "if", c: { k: "not", a: { k: "cmp", op: ">=", a: { k: "var", name: "n" }, b: { k: "num", v: 1 } } }, then: [{ k: "return", e: g.num(1) }], else: null };
  const pre = g.stmts(rng.range(0, 2)).filter((s) => s.k !== "return" && s.k !== "break" && s.k !== "continue");
  const args: Arg[] = params.map((p) => (p.name === "n" ? { k: "bin", op: "-", a: { k: "var", name: "n" }, b: { k: "num", v: 1 } } : g.bounded(1)));
  const rec: Stmt = { k: "let", name: "r", konst: rng.chance(0.5), init: { k: "call", fn: name, args } };
  const combine: Expr = { k: "bin", op: rng.pick(["+", "*", "-"] as NumOp[]), a: { k: "var", name: "r" }, b: g.num(1) };
  fn.body = [stop, ...pre, rec, { k: "return", e: rng.chance(0.5) ? combine : { k: "math", fn: "sin", args: [combine] } }];
  return fn;
}

export function generateProgram(seed: number, index: number, opts: GenOptions = {}): Program {
  const rng = new Rng(programSeed(seed, index));
  const f: Features = { ...ALL_FEATURES, ...opts.features };
  const size = opts.size ?? 14;
  const knobs: Knobs = { maxTrip: opts.maxTrip ?? 4, loopDepth: opts.loopDepth ?? 2 };
  const labels = new Labels();
  const helpers: Fn[] = [];
  const callable: Callable[] = [];
  if (f.helpers) {
    const nHelpers = rng.weighted({ 0: 1, 1: 2, 2: 2, 3: 1 } as Record<string, number>);
    const recAt = f.recursion && rng.chance(0.35) ? rng.int(Number(nHelpers) + 1) : -1;
    for (let i = 0; i <= Number(nHelpers); i++) {
      if (i === recAt) {
        const fn = recursiveFn(rng, f, `rec${i}`, [...callable], labels, knobs);
        helpers.push(fn);
        callable.push({ fn });
      }
      if (i < Number(nHelpers)) {
        const fn = helperFn(rng, f, `h${i}`, [...callable], labels, rng.range(2, Math.max(3, Math.floor(size / 3))), knobs);
        helpers.push(fn);
        callable.push({ fn });
      }
    }
  }
  const nNum = rng.range(2, 4);
  const params: Param[] = ["a", "b", "c", "d"].slice(0, nNum).map((p) => ({ name: p, type: "number" }));
  params.splice(rng.int(params.length + 1), 0, { name: "xs", type: "number[]" });
  const g = new FnGen(rng, f, callable, "xs", rng.range(Math.ceil(size / 2), size), labels, knobs.maxTrip, knobs.loopDepth);
  g.declareParams(params);
  const body = g.stmts(100);
  if (!(body.length && body[body.length - 1]!.k === "return")) body.push(g.finalReturn());
  return { id: `${seed}:${index}`, helpers, main: { name: "main", params, body } };
}
