// Seeded generator of random, well-typed TypeScript functions over the language the transformer
// supports: number parameters, a number[] parameter and a record parameter, let/const,
// reassignment, compound assignment, ++/--, arithmetic, Math functions, ternaries, if/else,
// for/while/do…while with dynamic trip counts, (labelled) break/continue, early returns, switch
// with fall-through, calls into generated helpers (one bounded recursion, helpers taking and
// returning records), `withGradient` rules with hand-derived pullbacks, local object literals and
// field writes, local arrays (`[]` + push, `new Array(n).fill(0)`, `slice()`, `Float64Array`)
// with element writes, local functions capturing locals, map/reduce/forEach callbacks, a class
// with fields and a method, time-stepping loops over Float64Array/Float32Array copies of an array
// (forces from neighbours, element-wise updates over a growing prefix, a loss over the final
// arrays), and record fields accumulated in loops (records passed twice to one helper).
//
// Values stay finite by construction: divisors, log and sqrt arguments are bounded away from 0
// (`1 + u * u`, `Math.abs(u) + 0.5`, …), exp sees bounded arguments, `**` has a constant integer
// exponent or a positive base, trip counts are at most 4, and loop counters are never assigned.
// Array reads and writes use indices known to be in range (a counter of a loop over an array of
// the same length, 0, length - 1, `k % length`); arrays that grow are read behind a length test.
import { chain, ctorParams, findMember, isCls, isRec, isTyped, numFields, sameType, type Getter, type Method, type Arg, type BExpr, type Cls, type CmpOp, type Expr, type Fn, type NumOp, type Param, type Program, type RecType, type Rule, type Stmt, type Type, type VExpr } from "./ast.js";
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
  /** a record parameter, field reads, local object literals and field writes, helpers taking and returning records */
  records: boolean;
  /** local functions (arrows and declarations) capturing locals */
  closures: boolean;
  /** a local function called from more than one place (else each is called at one call site at most) */
  closureReuse: boolean;
  /** a local function writes into what it captured (locals, arrays, fields) */
  closureWrites: boolean;
  /** `map`, `reduce` and `forEach` with (capturing) callbacks */
  callbacks: boolean;
  /** `withGradient` rules with hand-derived pullbacks */
  rules: boolean;
  /** rules over an array argument (a sum over its elements; the pullback returns an array) */
  arrayRules: boolean;
  /** local arrays: `[]` + push, `new Array(n).fill(0)`, `slice()`; element writes */
  mutation: boolean;
  /** main writes into its own array parameter (the transformer copies it first) */
  paramWrites: boolean;
  /** a helper writes into its array parameter: a call of it from differentiated code is rejected (BP1018) */
  calleeWrites: boolean;
  /** `Float64Array` locals, written and read */
  typedArrays: boolean;
  /** `for (const v of arr)` loops */
  forOf: boolean;
  /** a class with fields and a method, instantiated in the code */
  classes: boolean;
  /** a class without field initialisers (only parameter properties) */
  classNoInit: boolean;
  /**
   * a subclass (`extends`, `super(…)`, fields of its own, a method reading inherited fields and
   * calling an inherited method), instances of both, base-typed names for subclass instances
   * (`const o: C0 = new C1(…)`, helper parameters); now and then an override, whose call through
   * the base type must be rejected (BP1020)
   */
  subclasses: boolean;
  /** `get` accessors computed from fields, and one returning an array field (only read) */
  getters: boolean;
  /** a helper's last parameter has a default value, and calls may leave it out */
  defaults: boolean;
  /**
   * time stepping over typed arrays: `new Float64Array(xs)` (and velocities, forces) updated by a
   * step loop whose inner loops compute forces from neighbours and update elements at `i`, some
   * over a prefix that grows with the step; a loss over the final arrays
   */
  stepping: boolean;
  /** `Float32Array` in place of a `Float64Array` now and then */
  float32: boolean;
  /**
   * number fields of records accumulated in loops: a record parameter `{ k: number[]; c: number }`,
   * loops reading its fields, helpers taking two records of one type (called with one record twice)
   */
  fieldAccum: boolean;
}

export const ALL_FEATURES: Features = {
  incExpr: true, callInLoopTest: true, recursion: true, switch: true, labels: true, earlyReturn: true,
  doWhile: true, helpers: true, modulo: true, compound: true, negPow: true, nestedCond: true, shadow: true,
  records: true, closures: true, closureReuse: true, closureWrites: true, callbacks: true, rules: true, arrayRules: true, mutation: true, paramWrites: true, calleeWrites: true, typedArrays: true, forOf: true, classes: true, classNoInit: true, subclasses: true, getters: true,
  defaults: true, stepping: true, float32: true, fieldAccum: true,
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

type VarKind = "param" | "local" | "const" | "counter" | "value" | "fn";
const NUMERIC = new Set<VarKind>(["param", "local", "const", "counter"]);
interface V {
  name: string;
  kind: VarKind;
  /** a counter: a non-negative integer below the length of the arrays of this length group */
  safeFor?: string;
  /** a while/do counter or a parameter of a local function or callback: no `let` may shadow it */
  bodyUse?: boolean;
  /** kind "value": its type */
  type?: Type;
  /** kind "value": the path it stands for (an alias of `p.s` is `p.s`), for length groups */
  canon?: string;
  /** an array whose length is that of every array of this group; undefined: it grows */
  group?: string;
  /** created in this function: its elements and fields may be written */
  own?: boolean;
  /** kind "fn": its parameters */
  params?: Param[];
  /** kind "fn": called somewhere already */
  called?: boolean;
  /** an array of 30–40 elements (a stepping block's): hidden from all other code, whose loops over
   * array lengths assume at most a few elements */
  long?: boolean;
}
interface Ctl { kind: "loop" | "switch"; node: Stmt & { label?: string } }

/** an array visible here */
interface ArrRef { path: string; group?: string; own: boolean; /** a typed array */ f64: boolean; type: "number[]" | "Float64Array" | "Float32Array" }

/** TypeScript reads `a < (b …) > c` as a call with type arguments: `<` must not precede `(`. */
export function ambiguousLess(right: Expr): boolean {
  return printExpr(right).startsWith("(");
}

const CONSTS = [0.5, 1, 2, 3, 0.25, 1.5, 0.1, 2.5, -1, -0.5, -2, 0.75];
const ORDER: CmpOp[] = ["<", "<=", ">", ">="];

/** what generated code may call: a helper, a rule */
interface Callable { name: string; params: Param[]; depth?: string; ret?: RecType }

class Labels { n = 0; }
/** fresh names shared by all functions of a program (local functions are prefixed like helpers) */
class Names { n = new Map<string, number>(); fresh(p: string): string { const i = this.n.get(p) ?? 0; this.n.set(p, i + 1); return `${p}${i}`; } }

const num = (v: number): Expr => ({ k: "num", v });
const len = (arr: string): Expr => ({ k: "len", arr });

class FnGen {
  private scopes: V[][] = [[]];
  private ctl: Ctl[] = [];
  private nLocal = 0;
  private nCounter = 0;
  private loopDepth = 0;
  private depthNesting = 0;
  private inCond = 0;
  /** inside a callback expression: no `++` side effects */
  private pure = 0;
  /** `return e` (a number) is allowed here: not in a record-returning helper or a callback */
  private retNum = true;
  /** arrays being iterated by a forEach here: not pushed into */
  private iterating: string[] = [];
  /** main may write into its own array parameter (the transformer copies it) */
  paramWrites = false;
  budget: number;

  constructor(
    private rng: Rng,
    private f: Features,
    private callable: Callable[],
    budget: number,
    private labels: Labels,
    private names: Names,
    private classes: Cls[] = [],
    private maxTrip = 4,
    private maxLoopDepth = 2,
  ) {
    this.budget = budget;
  }

  declareParams(ps: Param[], depth?: string): void {
    for (const p of ps) {
      if (p.type === "number") this.scopes[0]!.push({ name: p.name, kind: p.name === depth ? "counter" : "param" });
      else this.scopes[0]!.push({ name: p.name, kind: "value", type: p.type, canon: p.name, group: p.type === "number[]" ? p.name : undefined, own: false });
    }
  }
  /** a number[] parameter of 30–40 elements, for stepping blocks only */
  declareLong(name: string): void {
    const v = this.scopes[0]!.find((x) => x.name === name);
    if (v) v.long = true;
  }
  /** `this.u`-style names (a class method's fields) */
  declareConsts(names: string[]): void {
    for (const n of names) this.scopes[0]!.push({ name: n, kind: "const" });
  }
  setRetNum(b: boolean) { this.retNum = b; }

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
  /** scopes below this index belong to an enclosing function whose variables are read-only here */
  private writeBase = 0;
  private writableHere(v: V): boolean {
    for (let i = this.scopes.length - 1; i >= this.writeBase; i--) if (this.scopes[i]!.includes(v)) return true;
    return false;
  }
  /** statements generated so far in each open block (a shadowing `let` must not follow a use) */
  private blocks: Stmt[][] = [];
  private readable(): V[] { return this.all().filter((v) => NUMERIC.has(v.kind)); }
  private assignable(): V[] { return this.all().filter((v) => (v.kind === "param" || v.kind === "local") && this.writableHere(v)); }
  private counters(): V[] { return this.all().filter((v) => v.kind === "counter"); }
  private values(): V[] { return this.all().filter((v) => v.kind === "value"); }
  private localFns(): V[] { return this.all().filter((v) => v.kind === "fn"); }
  private push(v: V) { this.scopes[this.scopes.length - 1]!.push(v); }
  private freshLocal(): string { return `v${this.nLocal++}`; }
  private freshCounter(): string { return `k${this.nCounter++}`; }
  private inScope<T>(fn: () => T): T {
    this.scopes.push([]);
    try { return fn(); } finally { this.scopes.pop(); }
  }

  /** numeric fields reachable from visible records and instances, arrays, records */
  private reach(): { nums: { path: string; own: boolean }[]; arrays: ArrRef[]; recs: { path: string; type: Type; own: boolean }[]; objs: { path: string; cls: Cls }[] } {
    const nums: { path: string; own: boolean }[] = [];
    const arrays: ArrRef[] = [];
    const recs: { path: string; type: Type; own: boolean }[] = [];
    const objs: { path: string; cls: Cls }[] = [];
    const walk = (path: string, canon: string, t: Type, own: boolean, group: string | undefined) => {
      if (t === "number") nums.push({ path, own });
      else if (t === "number[]" || isTyped(t)) arrays.push({ path, group, own, f64: t !== "number[]", type: t });
      else if (isRec(t)) {
        recs.push({ path, type: t, own });
        for (const fl of t.fields) walk(`${path}.${fl.name}`, `${canon}.${fl.name}`, fl.type, own, `${canon}.${fl.name}`);
      } else if (isCls(t)) {
        const c = this.classes.find((x) => x.name === t.cls);
        if (!c) return;
        objs.push({ path, cls: c });
        for (const n of numFields(this.classes, c)) nums.push({ path: `${path}.${n}`, own });
        // getters and array fields are read only (writing through a getter is BP1004 by design)
        const seen = new Set<string>();
        for (const x of chain(this.classes, c)) {
          for (const g of x.getters ?? []) {
            if (seen.has(g.name)) continue;
            seen.add(g.name);
            if (g.arr) arrays.push({ path: `${path}.${g.name}`, group: group ?? `${canon}.${g.arr}`, own: false, f64: false, type: "number[]" });
            else nums.push({ path: `${path}.${g.name}`, own: false });
          }
          for (const a of x.arrs ?? []) arrays.push({ path: `${path}.${a}`, group: group ?? `${canon}.${a}`, own: false, f64: false, type: "number[]" });
        }
      }
    };
    for (const v of this.values()) if (!v.long) walk(v.name, v.canon ?? v.name, v.type!, !!v.own && this.writableHere(v), v.group);
    return { nums, arrays, recs, objs };
  }
  private arrays(): ArrRef[] { return this.reach().arrays; }
  /** arrays of a known length (not growing): loop bounds, helper arguments */
  private fixedArrays(): ArrRef[] { return this.arrays().filter((a) => a.group !== undefined); }

  // ---- expressions ----
  num(d: number): Expr {
    const r = this.rng;
    if (d <= 0 || r.chance(0.25)) return this.leaf();
    const locals = this.assignable().filter((v) => v.kind === "local");
    const reach = this.reach();
    const numArrays = reach.arrays.filter((a) => !a.f64);
    const k = r.weighted({
      arith: 7, div: 2, mod: this.f.modulo ? 0.8 : 0, pow: 1.5, neg: 0.7, m1: 3, exp: 1, log: 1, sqrt: 1,
      mm: 1.5, hypot: 0.6, cond: this.inCond && !this.f.nestedCond ? 0 : 1.5, call: this.callOptions().length ? (this.localFns().length && !this.noCalls ? 5 : 2) : 0,
      inc: this.f.incExpr && !this.pure && locals.length ? 0.3 : 0, idx: reach.arrays.length ? 1 : 0,
      reduce: this.f.callbacks && numArrays.length ? 0.7 : 0, mcall: reach.objs.length ? 5 : 0,
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
      case "idx": return this.index(r.pick(reach.arrays));
      case "reduce": {
        const a = r.pick(numArrays);
        const init = this.num(Math.min(1, d - 1));
        const acc = this.names.fresh("acc"), v = this.names.fresh("e"), i = r.chance(0.4) ? this.names.fresh("j") : undefined;
        const body = this.callback(a, v, i, [{ name: acc, kind: "const", bodyUse: true }], () => {
          const e = this.num(Math.min(2, d - 1));
          // the accumulator stays bounded over ≤ 4 elements
          switch (r.int(3)) {
            case 0: return { k: "bin", op: "+", a: { k: "var", name: acc }, b: e } as Expr;
            case 1: return this.squash({ k: "bin", op: r.pick(["+", "*", "-"] as NumOp[]), a: { k: "var", name: acc }, b: e });
            default: return { k: "bin", op: "+", a: { k: "bin", op: "*", a: num(r.pick([0.5, 0.9, -0.5])), b: { k: "var", name: acc } }, b: e } as Expr;
          }
        });
        return { k: "reduce", arr: a.path, acc, v, i, body, init };
      }
      case "mcall": {
        const o = r.pick(reach.objs);
        const m = r.pick(this.methodsOf(o.cls));
        return { k: "mcall", obj: o.path, method: m.name, args: m.params.map(() => this.num(Math.min(1, d - 1))) };
      }
    }
    return this.leaf();
  }

  /** runs `gen` in the scope of a callback over array `a` with element `v` and index `i` */
  private callback<T>(a: ArrRef, v: string, i: string | undefined, extra: V[], gen: () => T, pure = true): T {
    return this.inScope(() => {
      for (const x of extra) this.push(x);
      this.push({ name: v, kind: "const", bodyUse: true });
      if (i) this.push({ name: i, kind: "counter", safeFor: a.group, bodyUse: true });
      if (pure) this.pure++;
      try { return gen(); } finally { if (pure) this.pure--; }
    });
  }

  /** the methods an instance of `c` has, the nearest declaration of each name */
  private methodsOf(c: Cls): Method[] {
    const out: Method[] = [];
    for (const x of chain(this.classes, c)) for (const m of x.methods) if (!out.some((y) => y.name === m.name)) out.push(m);
    return out;
  }

  private leaf(): Expr {
    const r = this.rng;
    const vars = this.readable();
    const reach = this.reach();
    const k = r.weighted({ v: vars.length ? 6 : 0, c: 2.5, field: reach.nums.length ? 2 : 0, idx: reach.arrays.length ? 1.5 : 0, len: reach.arrays.length ? 0.3 : 0 });
    if (k === "v") {
      // prefer recently declared names a little: they are what the code just computed
      const v = r.chance(0.4) ? vars[vars.length - 1 - r.int(Math.min(3, vars.length))]! : r.pick(vars);
      return { k: "var", name: v.name };
    }
    if (k === "field") return { k: "var", name: r.pick(reach.nums).path };
    if (k === "idx") return this.index(r.pick(reach.arrays));
    if (k === "len") return len(r.pick(reach.arrays).path);
    return { k: "num", v: r.pick(CONSTS) };
  }

  /** an index known to be in range for `a` (at the points checked, where arrays are not empty) */
  private inRange(a: ArrRef): Expr {
    const r = this.rng;
    const safe = this.counters().filter((v) => v.safeFor !== undefined && v.safeFor === a.group);
    const counters = this.counters();
    const k = r.weighted({ zero: 1, last: 1, safe: safe.length ? 4 : 0, mod: counters.length ? 2 : 0 });
    if (k === "safe") return { k: "var", name: r.pick(safe).name };
    if (k === "mod") return { k: "bin", op: "%", a: { k: "var", name: r.pick(counters).name }, b: len(a.path) };
    if (k === "last") return { k: "bin", op: "-", a: len(a.path), b: num(1) };
    return num(0);
  }

  private index(a: ArrRef): Expr {
    const read: Expr = { k: "idx", arr: a.path, index: this.inRange(a) };
    if (a.group !== undefined) return read;
    // an array that grows may still be empty: read it behind a length test
    return { k: "cond", c: { k: "cmp", op: ">", a: len(a.path), b: num(0) }, a: read, b: num(0) };
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
    const fixed = this.fixedArrays();
    const k = r.weighted({ const: 1, len: fixed.length ? 2 : 0, floor: 1.5, round: 1 });
    if (k === "len") return { k: "trip", form: "len", max: 4, arr: r.pick(fixed).path };
    if (k === "const") return { k: "trip", form: "const", max: r.range(0, this.maxTrip) };
    const saved = this.callable;
    const savedNoCalls = this.noCalls;
    if (!allowCalls) this.noCalls = true;
    const e = this.num(1);
    this.callable = saved;
    this.noCalls = savedNoCalls;
    return { k: "trip", form: k, max: r.range(1, this.maxTrip), e };
  }
  private noCalls = false;

  /** helpers and rules returning a number whose arguments can be supplied here, and local functions */
  private callOptions(): Callable[] {
    if (this.noCalls) return [];
    const fixed = this.fixedArrays().filter((a) => !a.f64);
    const recs = this.reach().recs;
    const objs = this.reach().objs;
    const ok = (c: Callable) => !c.ret && c.params.every((p) => p.type === "number" || (p.type === "number[]" ? fixed.length > 0 : isCls(p.type) ? objs.some((o) => this.isA(o.cls, p.type)) : recs.some((x) => sameType(x.type, p.type))));
    return [...this.callable.filter(ok), ...this.localFns().filter((v) => this.f.closureReuse || !v.called).map((v) => ({ name: v.name, params: v.params! }))];
  }

  private args(fn: Callable, d: number): Arg[] {
    const r = this.rng;
    const fixed = this.fixedArrays().filter((a) => !a.f64);
    const recs = this.reach().recs;
    // a defaulted last parameter is left out half the time
    const last = fn.params[fn.params.length - 1];
    const given = last?.def !== undefined && r.chance(0.5) ? fn.params.slice(0, -1) : fn.params;
    const passed: { path: string; type: Type }[] = [];
    return given.map((p): Arg => {
      if (p.type === "number[]") return { k: "arr", name: r.pick(fixed).path };
      if (isCls(p.type)) return { k: "arr", name: r.pick(this.reach().objs.filter((o) => this.isA(o.cls, p.type))).path };
      if (p.type !== "number") {
        // the record already passed for an earlier parameter of this type, half the time
        const again = passed.find((x) => sameType(x.type, p.type));
        const path = again && this.f.fieldAccum && r.chance(0.5) ? again.path : r.pick(recs.filter((x) => sameType(x.type, p.type))).path;
        passed.push({ path, type: p.type });
        return { k: "arr", name: path };
      }
      if (p.name === fn.depth) return this.trip();
      return this.num(Math.min(d, 1));
    });
  }

  /** an instance of `c` may be passed where `t` is declared: `c` is that class or a subclass of it */
  private isA(c: Cls, t: Type): boolean {
    return isCls(t) && chain(this.classes, c).some((x) => x.name === t.cls);
  }

  private call(d: number): Expr {
    const options = this.callOptions();
    if (options.length === 0) return this.leaf();
    const locals = options.filter((o) => this.localFns().some((v) => v.name === o.name));
    const fn = locals.length && this.rng.chance(0.6) ? this.rng.pick(locals) : this.rng.pick(options);
    const v = this.localFns().find((x) => x.name === fn.name);
    if (v) v.called = true;
    return { k: "call", fn: fn.name, args: this.args(fn, d) };
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
  squash(e: Expr): Expr {
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
    const options = this.all().filter((v) => NUMERIC.has(v.kind) && !v.name.includes(".") && !here.has(v.name) && !v.bodyUse && !used.includes(`"${v.name}"`));
    return options.length ? this.rng.pick(options).name : undefined;
  }

  private stmt(): Stmt[] {
    const r = this.rng;
    this.budget--;
    const inLoop = this.ctl.some((c) => c.kind === "loop");
    const nest = this.depthNesting < 3 + Math.max(0, this.maxLoopDepth - 2);
    const reach = this.reach();
    const ownFields = reach.nums.filter((x) => x.own);
    const writable = reach.arrays.filter((a) => a.group !== undefined && (a.own || (this.paramWrites && !a.path.includes("."))));
    const growing = reach.arrays.filter((a) => a.group === undefined && a.own && !a.f64 && !this.iterating.includes(a.path));
    const iterable = reach.arrays.filter((a) => !a.f64);
    const f = this.f;
    const k = r.weighted({
      let: 4, const: 1.2, assign: this.assignable().length ? 4.5 : 0, inc: this.assignable().length ? 0.5 : 0,
      field: ownFields.length ? 1.5 : 0,
      // with a class hierarchy, instances (of both classes) more often
      value: f.records || f.mutation || f.typedArrays || f.classes || (f.callbacks && iterable.length) ? (this.classes.length > 1 ? 3.5 : 2) : 0,
      setidx: writable.length ? 2 : 0, push: growing.length ? 6 : 0,
      forEach: f.callbacks && nest && iterable.length ? 0.8 : 0,
      fn: f.closures && nest ? 0.9 : 0,
      if: nest ? 2 : 0, for: nest && this.loopDepth < this.maxLoopDepth ? 1.6 : 0, while: nest && this.loopDepth < this.maxLoopDepth ? 0.9 : 0,
      do: nest && this.loopDepth < this.maxLoopDepth && this.f.doWhile ? 0.7 : 0, switch: nest && this.f.switch ? 0.7 : 0,
      forOf: nest && this.loopDepth < this.maxLoopDepth && this.f.forOf && iterable.length ? 1 : 0,
      jump: this.ctl.length ? 2.2 : 0, ret: this.f.earlyReturn && this.retNum ? (inLoop ? 1 : 0.3) : 0,
      // a step loop and its inner loops: one level deeper than other loops may go
      stepping: f.stepping && nest && this.loopDepth + 1 <= this.maxLoopDepth && (this.fixedArrays().some((a) => !a.f64) || this.longArrays().length) ? (this.loopDepth ? 0.3 : 2) : 0,
      fieldLoop: f.fieldAccum && nest && this.loopDepth < this.maxLoopDepth && this.recordFields().length && this.fixedArrays().length ? 1.2 : 0,
    });
    switch (k) {
      case "let": case "const": {
        const init = this.num(2);
        const name = this.shadowable(init) ?? this.freshLocal();
        this.push({ name, kind: k === "let" ? "local" : "const" });
        return [{ k: "let", name, konst: k === "const", init }];
      }
      case "assign": case "field": {
        const name = k === "field" ? r.pick(ownFields).path : r.pick(this.assignable()).name;
        return [{ k: "assign", name, ...this.update(r.weighted({ "=": 3, "+=": 3, "-=": 1, "*=": this.f.compound ? 1.2 : 0, "/=": this.f.compound ? 0.6 : 0, "%=": this.f.compound && this.f.modulo ? 0.3 : 0 })) }];
      }
      case "setidx": {
        const a = r.pick(writable);
        const index = this.inRange(a);
        return [{ k: "setidx", arr: a.path, index, ...this.update(r.weighted({ "=": 3, "+=": 3, "-=": 1, "*=": this.f.compound ? 1 : 0 })) }];
      }
      case "push": {
        const a = r.pick(growing);
        let e = this.num(2);
        if (this.loopDepth && r.chance(0.5)) e = this.squash(e);
        return [{ k: "push", arr: a.path, e }];
      }
      case "value": {
        const out = this.valueDecl();
        // use what was just made (a later use is left to chance)
        const d = out[0];
        if (d?.k === "letv" && d.init.k === "new" && isCls(d.type) && r.chance(0.6)) {
          const m = r.pick(this.methodsOf(this.classes.find((c) => c.name === (d.type as { cls: string }).cls)!));
          out.push(this.useNow(() => ({ k: "mcall", obj: d.name, method: m.name, args: m.params.map(() => this.num(1)) })));
        }
        if (d?.k === "letv" && d.init.k === "empty" && r.chance(0.6)) out.push({ k: "push", arr: d.name, e: this.num(2) });
        return out;
      }
      case "forEach": {
        const a = r.pick(iterable);
        const v = this.names.fresh("e"), i = r.chance(0.6) ? this.names.fresh("j") : undefined;
        this.depthNesting++;
        const saved = { ctl: this.ctl, ret: this.retNum, it: this.iterating };
        this.ctl = [];
        this.retNum = false;
        this.iterating = [...this.iterating, a.path];
        try {
          const body = this.callback(a, v, i, [], () => this.stmts(r.range(1, 3)), false);
          return [{ k: "forEach", arr: a.path, v, i, body }];
        } finally {
          this.ctl = saved.ctl;
          this.retNum = saved.ret;
          this.iterating = saved.it;
          this.depthNesting--;
        }
      }
      case "fn": {
        const out = this.localFn();
        const d = out[0] as Stmt & { k: "fn" };
        if (r.chance(0.6)) {
          const v = this.localFns().find((x) => x.name === d.name)!;
          v.called = true;
          out.push(this.useNow(() => ({ k: "call", fn: d.name, args: d.params.map(() => this.num(1)) })));
        }
        return out;
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
        this.depthNesting--;
        return [{ k: "if", c, then, else: els }];
      }
      case "for": case "while": case "do": return this.loop(k);
      case "forOf": {
        const a = r.pick(iterable);
        const v = this.names.fresh("e");
        const node: Stmt & { k: "forOf" } = { k: "forOf", v, arr: a.path, body: [] };
        this.depthNesting++;
        this.loopDepth++;
        this.ctl.push({ kind: "loop", node });
        const saved = this.iterating;
        this.iterating = [...this.iterating, a.path];
        this.inScope(() => {
          this.push({ name: v, kind: "const", bodyUse: true });
          node.body = this.stmts(r.range(1, 4));
        });
        this.iterating = saved;
        this.ctl.pop();
        this.loopDepth--;
        this.depthNesting--;
        return [node];
      }
      case "switch": return this.switchStmt();
      case "stepping": return this.stepping();
      case "fieldLoop": return this.fieldLoop();
      case "jump": return this.jump();
      case "ret": {
        const e = this.num(2);
        if (r.chance(0.2)) return [{ k: "return", e }];
        return [{ k: "if", c: this.bool(1), then: [{ k: "return", e }], else: null }];
      }
    }
    return [];
  }

  /** `let v = e()` for a use of something just declared */
  private useNow(e: () => Expr): Stmt {
    const init = e();
    const name = this.freshLocal();
    this.push({ name, kind: "local" });
    return { k: "let", name, konst: false, init };
  }

  /** the right side of an assignment with operator `op`, kept finite in loops */
  private update(op: "=" | "+=" | "-=" | "*=" | "/=" | "%="): { op: typeof op; e: Expr } {
    let e: Expr;
    if (op === "/=" || op === "%=") e = this.positive(1);
    else if (op === "*=") e = this.loopDepth ? this.bounded(1) : this.num(2);
    else {
      e = this.num(2);
      if (this.loopDepth && op === "=" && this.rng.chance(0.6)) e = this.squash(e);
    }
    return { op, e };
  }

  /** a local that is not a number: a record, an array, a class instance */
  private valueDecl(): Stmt[] {
    const r = this.rng;
    const f = this.f;
    const reach = this.reach();
    const fixed = this.fixedArrays();
    const numArrays = reach.arrays.filter((a) => !a.f64);
    const recHelpers = this.callable.filter((c) => c.ret && c.params.every((p) => p.type === "number" || (p.type === "number[]" ? fixed.some((a) => !a.f64) : reach.recs.some((x) => sameType(x.type, p.type)))));
    // a class whose array parameters can be given an array of known length
    const fixedNum = fixed.filter((a) => !a.f64);
    const constructible = this.classes.filter((c) => fixedNum.length || !ctorParams(c).some((x) => x.arr));
    const k = r.weighted({
      obj: f.records ? 2 : 0, alias: f.records && (reach.recs.length || reach.arrays.length) ? 0.8 : 0, callv: f.records && recHelpers.length ? 4 : 0,
      new: f.classes && constructible.length ? (this.classes.length > 1 ? 10 : 4) : 0, empty: f.mutation ? 2 : 0, zeros: f.mutation ? 1.5 : 0, slice: f.mutation && numArrays.length ? 1.5 : 0,
      f64: f.typedArrays ? 1 : 0, f64from: f.typedArrays && numArrays.length ? 1 : 0, map: f.callbacks && numArrays.length ? 2 : 0,
    });
    const decl = (prefix: string, type: Type, init: VExpr, v: Partial<V>, annot = false, konst = true): Stmt[] => {
      const name = this.names.fresh(prefix);
      this.push({ name, kind: "value", type, canon: v.canon ?? name, ...v });
      return [{ k: "letv", name, konst, type, annot, init }];
    };
    /** a length: of a fixed array (its group), or a constant */
    const size = (): { n: Expr; group: string } => {
      if (fixed.length && r.chance(0.7)) { const a = r.pick(fixed); return { n: len(a.path), group: a.group! }; }
      const c = r.range(1, 4);
      return { n: num(c), group: `#${c}` };
    };
    switch (k) {
      case "obj": {
        const fields: { name: string; e: Expr | VExpr }[] = [];
        const type: RecType = { fields: [] };
        const names = ["u", "v", "w"].slice(0, r.range(1, 3));
        for (const n of names) {
          if (r.chance(0.2)) {
            const inner = { k: "obj" as const, fields: [{ name: "k", e: this.num(1) }] };
            fields.push({ name: n, e: inner });
            type.fields.push({ name: n, type: { fields: [{ name: "k", type: "number" }] } });
          } else {
            fields.push({ name: n, e: this.num(2) });
            type.fields.push({ name: n, type: "number" });
          }
        }
        return decl("o", type, { k: "obj", fields }, { own: true });
      }
      case "alias": {
        const options = [...reach.recs.map((x) => ({ path: x.path, type: x.type, own: x.own })), ...reach.arrays.map((a) => ({ path: a.path, type: a.type as Type, own: a.own, group: a.group }))];
        const src = r.pick(options);
        const canon = this.values().find((v) => v.name === src.path.split(".")[0])?.canon;
        const full = canon ? [canon, ...src.path.split(".").slice(1)].join(".") : src.path;
        return decl("q", src.type, { k: "ref", name: src.path }, { own: src.own, canon: full, group: (src as { group?: string }).group });
      }
      case "callv": {
        const fn = r.pick(recHelpers);
        return decl("r", fn.ret!, { k: "callv", fn: fn.name, args: this.args(fn, 1) }, { own: true });
      }
      case "new": {
        const c = r.pick(constructible);
        // the array a parameter property holds: its length is that of the instance's array fields
        let group: string | undefined;
        const args = ctorParams(c).map((x): Arg => {
          if (!x.arr) return this.num(1);
          const a = group === undefined ? r.pick(fixedNum) : fixedNum.find((y) => y.group === group) ?? r.pick(fixedNum);
          group ??= a.group;
          return { k: "arr", name: a.path };
        });
        // a subclass instance under its base class's name now and then: `const c0: C0 = new C1(…)`
        const bases = chain(this.classes, c).slice(1);
        const as = bases.length && r.chance(0.35) ? r.pick(bases) : c;
        return decl("c", { cls: as.name }, { k: "new", cls: c.name, args }, { own: true, group }, as !== c);
      }
      case "empty": return decl("t", "number[]", { k: "empty" }, { own: true, group: undefined }, true);
      case "zeros": { const s = size(); return decl("t", "number[]", { k: "zeros", n: s.n }, { own: true, group: s.group }, true); }
      case "slice": { const a = r.pick(numArrays); return decl("t", "number[]", { k: "slice", arr: a.path }, { own: true, group: a.group }); }
      case "f64": {
        const s = size();
        const f32 = f.float32 && r.chance(0.2);
        return decl("t", f32 ? "Float32Array" : "Float64Array", { k: "f64", n: s.n, ...(f32 ? { f32 } : {}) }, { own: true, group: s.group });
      }
      case "f64from": {
        const a = r.pick(numArrays.filter((x) => x.group !== undefined).length ? numArrays.filter((x) => x.group !== undefined) : numArrays);
        const f32 = f.float32 && r.chance(0.2);
        return decl("t", f32 ? "Float32Array" : "Float64Array", { k: "f64from", arr: a.path, ...(f32 ? { f32 } : {}) }, { own: true, group: a.group });
      }
      case "map": {
        const a = r.pick(numArrays);
        const v = this.names.fresh("e"), i = r.chance(0.5) ? this.names.fresh("j") : undefined;
        const body = this.callback(a, v, i, [], () => this.num(2));
        // a map of a growing array has its length now, which later pushes do not change
        return decl("t", "number[]", { k: "map", arr: a.path, v, i, body }, { own: true, group: a.group ?? undefined });
      }
    }
    return [];
  }

  /** a local function (arrow or declaration) over 1–2 numbers, reading what is in scope */
  private localFn(): Stmt[] {
    const r = this.rng;
    const name = this.names.fresh("f");
    const params: Param[] = Array.from({ length: r.range(1, 2) }, () => ({ name: this.names.fresh("u"), type: "number" as const }));
    const arrow = r.chance(0.5);
    this.depthNesting++;
    const saved = { ctl: this.ctl, ret: this.retNum, loop: this.loopDepth, it: this.iterating, base: this.writeBase, pw: this.paramWrites };
    this.ctl = [];
    this.retNum = true;
    if (!this.f.closureWrites) { this.writeBase = this.scopes.length; this.paramWrites = false; }
    try {
      const body = this.inScope(() => {
        for (const p of params) this.push({ name: p.name, kind: "param", bodyUse: true });
        if (arrow && r.chance(0.6)) return [{ k: "return" as const, e: this.num(2) }];
        const b = this.stmts(r.range(1, 3));
        if (!(b.length && b[b.length - 1]!.k === "return")) b.push(this.finalReturn());
        return b;
      });
      this.push({ name, kind: "fn", params });
      return [{ k: "fn", name, arrow, params, body }];
    } finally {
      this.ctl = saved.ctl;
      this.retNum = saved.ret;
      this.iterating = saved.it;
      this.writeBase = saved.base;
      this.paramWrites = saved.pw;
      this.depthNesting--;
    }
  }

  private loop(kind: "for" | "while" | "do"): Stmt[] {
    const r = this.rng;
    this.depthNesting++;
    this.loopDepth++;
    const v = this.freshCounter();
    const bound = this.trip(this.f.callInLoopTest);
    // a counter of a loop up to an array's length indexes every array of that length
    let safeFor: string | undefined;
    if (bound.k === "trip" && bound.form === "len") safeFor = this.fixedArrays().find((a) => a.path === bound.arr)?.group;
    else if (bound.k === "trip" && bound.form === "const" && bound.max >= 1) safeFor = `#${bound.max}`;
    let node: Stmt;
    if (kind === "for") {
      node = { k: "for", v, bound, down: r.chance(0.25), body: [] };
      this.ctl.push({ kind: "loop", node });
      this.inScope(() => {
        this.push({ name: v, kind: "counter", safeFor });
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

  // ---- time stepping over typed arrays, record fields accumulated in loops ----

  /** number fields of records (and instances) visible here: `p.c`, `q0.c`, `o1.u` */
  private recordFields(): string[] {
    return this.reach().nums.map((x) => x.path).filter((x) => x.includes(".") && !x.startsWith("this."));
  }

  /** a bounded coefficient: a parameter, a record field, a constant, `(arr[i] ?? 1)` */
  private coef(i?: string): Expr {
    const r = this.rng;
    const fields = this.recordFields();
    const params = this.readable().filter((v) => v.kind === "param" && !v.name.includes("."));
    const others = this.readable().filter((v) => (v.kind === "local" || v.kind === "const") && !v.name.includes("."));
    const arrays = this.fixedArrays();
    const k = r.weighted({ field: fields.length ? (this.f.fieldAccum ? 4 : 2) : 0, param: params.length ? 2 : 0, local: others.length ? 1 : 0, num: 1.5, elem: i && arrays.length ? 1 : 0 });
    switch (k) {
      case "field": return { k: "var", name: r.pick(fields) };
      case "param": return { k: "var", name: r.pick(params).name };
      // a local may be large: squashed
      case "local": return { k: "math", fn: "tanh", args: [{ k: "var", name: r.pick(others).name }] };
      case "elem": {
        const a = r.pick(arrays);
        return { k: "nullish", a: { k: "idx", arr: a.path, index: r.chance(0.7) ? { k: "var", name: i! } : { k: "bin", op: "+", a: { k: "var", name: i! }, b: num(1) } }, b: num(r.pick([1, 0.5])) };
      }
    }
    return num(r.pick([0.5, 1, 2, -1, 0.25, 1.5]));
  }

  /** long number[] parameters visible here (for stepping blocks) */
  private longArrays(): ArrRef[] {
    return this.values().filter((v) => v.long && v.type === "number[]").map((v) => ({ path: v.name, group: v.group, own: false, f64: false, type: "number[]" }));
  }

  /** a declared local array of `type` in the current scope */
  private declArray(type: "Float64Array" | "Float32Array", init: VExpr, group: string, long = false): { name: string; stmt: Stmt } {
    const name = this.names.fresh("t");
    this.push({ name, kind: "value", type, canon: name, group, own: true, ...(long ? { long } : {}) });
    return { name, stmt: { k: "letv", name, konst: true, type, annot: false, init } };
  }

  /**
   * A time-stepping block, as a simulation writes it:
   *
   *     const x = new Float64Array(xs); const v = new Float64Array(xs.length); const f = …;
   *     [const e0 = x[0] * x[n - 1];]
   *     for (let s = 0; s < T; s++) {
   *       for (let i = 0; i < n; i++) f[i] = K * ((x[i - 1] ?? 0) + (x[i + 1] ?? 0) - 2 * x[i]) - p.c * v[i];
   *       for (let i = 0; i < Math.min(s + 1, n); i++) { v[i] += dt * f[i]; x[i] += dt * v[i]; }
   *       [e1 += x[0] * x[n - 1];]
   *     }
   *     let loss = 0; for (let i = 0; i < n; i++) loss += x[i] * x[i] * (i + 1);
   *
   * with random statements mixed into the step, and the loss returned by the function.
   */
  /** a stepping block over the long array `name`, at the end of main's body */
  steppingOver(name: string): Stmt[] {
    return this.stepping(name);
  }

  /** main's final `return` (an early one at the end of its body) with what must reach the result added */
  addMustUse(ret: Stmt & { k: "return" }): Stmt {
    let e = ret.e;
    for (const name of new Set(this.mustUse)) if (this.all().some((v) => v.name === name && (v.kind === "local" || v.kind === "param"))) e = { k: "bin", op: "+", a: e, b: { k: "var", name } };
    return { ...ret, e };
  }

  private stepping(over?: string): Stmt[] {
    const r = this.rng;
    // about as much code as five ordinary statements: programs stay the size --size asks for
    this.budget -= 5;
    // a long array (30–40 elements: popView reads whole ranges of 32 or more in place) or a short one
    const longs = this.longArrays();
    const shorts = this.fixedArrays().filter((a) => !a.f64);
    const long = longs.length > 0 && (over !== undefined || shorts.length === 0 || r.chance(0.7));
    const base = long ? longs.find((a) => a.path === over) ?? r.pick(longs) : r.pick(shorts);
    const group = base.group!;
    const n = (): Expr => len(r.chance(0.5) ? base.path : x);
    const f32 = this.f.float32 && r.chance(0.15);
    const typ = (): "Float64Array" | "Float32Array" => (f32 && r.chance(0.7) ? "Float32Array" : "Float64Array");
    const newArr = (t: "Float64Array" | "Float32Array", init: VExpr) => (t === "Float32Array" ? { ...init, f32: true } as VExpr : init);
    const out: Stmt[] = [];
    const tx = typ();
    const xd = this.declArray(tx, newArr(tx, { k: "f64from", arr: base.path }), group, long);
    const x = xd.name;
    out.push(xd.stmt);
    let vel: string | undefined, force: string | undefined;
    if (r.chance(0.6)) { const t = typ(); const d = this.declArray(t, newArr(t, { k: "f64", n: len(base.path) }), group, long); vel = d.name; out.push(d.stmt); }
    if (r.chance(0.85)) { const t = typ(); const d = this.declArray(t, newArr(t, { k: "f64", n: len(base.path) }), group, long); force = d.name; out.push(d.stmt); }
    const at = (a: string, index: Expr): Expr => ({ k: "idx", arr: a, index });
    const V = (name: string): Expr => ({ k: "var", name });
    const bin = (op: NumOp, a: Expr, b: Expr): Expr => ({ k: "bin", op, a, b });
    const last = (): Expr => bin("-", n(), num(1));
    const ends = (): Expr => r.pick([
      () => bin("*", at(x, num(0)), at(x, last())),
      () => ({ k: "math", fn: "sin", args: [at(x, last())] }) as Expr,
      () => bin("+", at(x, num(0)), vel ? at(vel, last()) : num(0.5)),
    ])();
    const declNum = (init: Expr, konst: boolean): string => {
      const name = this.freshLocal();
      this.push({ name, kind: konst ? "const" : "local" });
      out.push({ k: "let", name, konst, init });
      return name;
    };
    // another name for x, read in its place now and then
    let alias: string | undefined;
    if (r.chance(0.15)) {
      alias = this.names.fresh("q");
      this.push({ name: alias, kind: "value", type: tx, canon: x, group, own: true, ...(long ? { long } : {}) });
      out.push({ k: "letv", name: alias, konst: true, type: tx, annot: false, init: { k: "ref", name: x } });
    }
    const rx = () => (alias && r.chance(0.5) ? alias : x);
    // read before the step loop (the adjoint reads x as it was then)
    const e0 = r.chance(0.4) ? declNum(ends(), true) : undefined;
    // accumulated from x after each step's update
    const e1 = r.chance(0.35) ? declNum(num(0), false) : undefined;
    const dt = (): Expr => (r.chance(0.85) ? num(r.pick([0.05, 0.1, 0.2, 0.25])) : bin("*", num(0.1), { k: "math", fn: "tanh", args: [this.coef()] }));

    // the step loop
    const s = this.freshCounter();
    const kind = r.weighted({ up: 7, down: 1.5, while: 1.5 });
    const bound: Expr = r.chance(0.25) ? this.trip(false) : { k: "trip", form: "const", max: r.range(1, this.maxTrip + (long ? 0 : 2)) };
    const node: Stmt = kind === "while" ? { k: "while", v: s, bound, body: [] } : { k: "for", v: s, bound, down: kind === "down", body: [] };
    this.depthNesting++;
    this.loopDepth++;
    this.ctl.push({ kind: "loop", node });
    if (kind === "while") this.push({ name: s, kind: "counter", bodyUse: true });
    const body: Stmt[] = [];
    this.inScope(() => {
      if (kind !== "while") this.push({ name: s, kind: "counter" });
      const noise = (p: number) => { if (r.chance(p)) body.push(...this.notLast(this.noShadow(() => this.stmts(r.range(1, 2))))); };
      this.blocks.push(body);
      try {
        noise(0.2);
        // the prefix of the update: the step's count (`s` counts from 1 in a while loop), in a local or inline
        let prefix: Expr | undefined;
        if (r.chance(0.4)) {
          // s + 1 elements, or a prefix growing faster (8 per step), or all but the last few: on a
          // long array too, early steps save part of it and later ones all of it
          const count: Expr = kind === "while" ? V(s) : bin("+", V(s), num(1));
          const form = r.weighted({ count: long ? 1 : 4, fast: long ? 2 : 0.5, tail: long ? 3 : 0.5 });
          let e: Expr = form === "count" ? count : form === "fast" ? bin("*", num(8), count) : bin("+", bin("-", len(base.path), num(2)), V(s));
          if (r.chance(0.5)) {
            const m = this.freshLocal();
            this.push({ name: m, kind: "const" });
            body.push({ k: "let", name: m, konst: true, init: { k: "math", fn: "min", args: [e, len(base.path)] } });
            e = V(m);
          }
          prefix = { k: "trip", form: "prefix", max: 4, e, arr: r.chance(0.5) ? base.path : x };
        }
        // forces from neighbours
        if (force) {
          const i = this.freshCounter();
          const fbody: Stmt[] = [];
          const loop: Stmt = { k: "for", v: i, bound: { k: "trip", form: "len", max: 4, arr: r.chance(0.5) ? base.path : force }, down: r.chance(0.1), body: fbody };
          this.inScope(() => {
            this.push({ name: i, kind: "counter", safeFor: group });
            const I = V(i);
            const left = (): Expr => (r.chance(0.5)
              ? { k: "nullish", a: at(rx(), bin("-", I, num(1))), b: num(0) }
              : { k: "cond", c: { k: "cmp", op: ">", a: I, b: num(0) }, a: at(rx(), bin("-", I, num(1))), b: num(0) });
            const right = (): Expr => (r.chance(0.5)
              ? { k: "nullish", a: at(rx(), bin("+", I, num(1))), b: num(0) }
              : { k: "cond", c: { k: "cmp", op: "<", a: bin("+", I, num(1)), b: n() }, a: at(rx(), bin("+", I, num(1))), b: num(0) });
            // neighbours in temporaries now and then (recomputed, not saved)
            let L: () => Expr = left, R: () => Expr = right;
            if (r.chance(0.35)) {
              const l = this.freshLocal(), rr = this.freshLocal();
              fbody.push({ k: "let", name: l, konst: true, init: left() }, { k: "let", name: rr, konst: true, init: right() });
              this.push({ name: l, kind: "const" });
              this.push({ name: rr, kind: "const" });
              L = () => V(l);
              R = () => V(rr);
            }
            const xi = () => at(rx(), I);
            const terms: Expr[] = [];
            const nTerms = r.range(1, 3);
            for (let t = 0; t < nTerms; t++) {
              const k = r.weighted({ lap: 4, spring: 1.5, nonlin: 2.5, damp: vel ? 2.5 : 0, rnd: 1 });
              switch (k) {
                case "lap": terms.push(bin("*", this.coef(i), bin("-", bin("+", L(), R()), bin("*", num(2), xi())))); break;
                case "spring": terms.push(bin("+", bin("*", this.coef(i), bin("-", L(), xi())), bin("*", this.coef(i), bin("-", R(), xi())))); break;
                case "nonlin": terms.push(r.pick([
                  () => bin("*", { k: "math", fn: "sin", args: [xi()] }, at(x, bin("-", bin("-", n(), num(1)), I))),
                  () => bin("*", { k: "neg", a: this.coef(i) }, { k: "math", fn: "tanh", args: [xi()] }),
                  () => ({ k: "math", fn: "sin", args: [bin("+", xi(), L())] }) as Expr,
                  () => bin("*", xi(), { k: "math", fn: "cos", args: [R()] }),
                ])()); break;
                case "damp": terms.push({ k: "neg", a: bin("*", this.coef(i), at(vel!, I)) }); break;
                default: terms.push(this.bounded(1)); break;
              }
            }
            let e = terms[0]!;
            for (const t of terms.slice(1)) e = bin(r.chance(0.7) ? "+" : "-", e, t);
            fbody.push({ k: "setidx", arr: force, index: I, op: "=", e });
            if (r.chance(0.1)) { this.ctl.push({ kind: "loop", node: loop }); fbody.push(...this.notLast(this.noShadow(() => this.stmts(1)))); this.ctl.pop(); }
          });
          body.push(loop);
        }
        noise(0.15);
        // element-wise updates at i, over the whole array or a prefix: velocities and positions in
        // one loop, or each in its own (each array then saved before its own loop)
        const update = (what: "both" | "v" | "x") => {
          const j = this.freshCounter();
          const ubody: Stmt[] = [];
          const loop: Stmt = { k: "for", v: j, bound: prefix && r.chance(0.8) ? structuredClone(prefix) : { k: "trip", form: "len", max: 4, arr: r.chance(0.5) ? base.path : x }, down: r.chance(0.1), body: ubody };
          this.inScope(() => {
            this.push({ name: j, kind: "counter", safeFor: group });
            const J = V(j);
            const step = (a: string, by: Expr): Stmt => ({ k: "setidx", arr: a, index: J, op: "+=", e: bin("*", dt(), by) });
            const inline = (): Expr => r.pick([
              () => ({ k: "math", fn: "sin", args: [at(x, J)] }) as Expr,
              () => bin("*", { k: "neg", a: this.coef(j) }, at(x, J)),
              () => ({ k: "math", fn: "tanh", args: [bin("*", this.coef(j), at(x, J))] }) as Expr,
            ])();
            const fj = (): Expr => (force ? at(force, J) : inline());
            if (vel) {
              const vStep: Stmt = r.chance(0.85) ? step(vel, fj()) : { k: "setidx", arr: vel, index: J, op: "=", e: bin("+", bin("*", num(0.9), at(vel, J)), bin("*", dt(), fj())) };
              const xStep = step(x, at(vel, J));
              if (what === "v") ubody.push(vStep);
              else if (what === "x") ubody.push(xStep);
              else ubody.push(...(r.chance(0.8) ? [vStep, xStep] : [xStep, vStep]));
            } else ubody.push(step(x, fj()));
            // a loop-carried read: the iterations are not independent
            if (what !== "v" && r.chance(0.08)) ubody.push(step(x, { k: "nullish", a: at(x, bin("-", J, num(1))), b: num(0) }));
            if (r.chance(0.1)) { this.ctl.push({ kind: "loop", node: loop }); ubody.push(...this.notLast(this.noShadow(() => this.stmts(1)))); this.ctl.pop(); }
          });
          body.push(loop);
        };
        if (vel && r.chance(0.3)) { update("v"); noise(0.1); update("x"); }
        else update("both");
        // the array read again in the same step, after its update
        if (e1) body.push({ k: "assign", name: e1, op: "+=", e: r.chance(0.7) ? ends() : at(x, bin("%", V(s), n())) });
        noise(0.3);
      } finally {
        this.blocks.pop();
      }
    });
    (node as Stmt & { body: Stmt[] }).body = body;
    this.ctl.pop();
    this.loopDepth--;
    this.depthNesting--;
    out.push(node);

    // the loss over the final arrays
    const loss = declNum(e0 && r.chance(0.5) ? bin("*", V(e0), at(x, last())) : num(0), false);
    const i = this.freshCounter();
    const lbody: Stmt[] = [];
    this.inScope(() => {
      this.push({ name: i, kind: "counter", safeFor: group });
      const I = V(i);
      const xi = () => at(rx(), I);
      const term = r.pick<() => Expr>([
        () => bin("*", bin("*", xi(), xi()), bin("+", I, num(1))),
        () => bin("**", bin("-", xi(), this.coef(i)), num(2)),
        () => (vel ? bin("*", { k: "math", fn: "sin", args: [xi()] }, at(vel, I)) : bin("*", xi(), xi())),
        () => (force ? bin("+", bin("*", xi(), at(force, I)), xi()) : { k: "math", fn: "cos", args: [xi()] }),
        () => bin("*", xi(), this.coef(i)),
      ])();
      lbody.push({ k: "assign", name: loss, op: "+=", e: term });
    });
    out.push({ k: "for", v: i, bound: { k: "trip", form: "len", max: 4, arr: r.chance(0.5) ? base.path : x }, down: r.chance(0.2), body: lbody });
    if (e1) out.push({ k: "assign", name: loss, op: "+=", e: V(e1) });
    if (e0 && r.chance(0.5)) out.push({ k: "assign", name: loss, op: "+=", e: bin("*", V(e0), V(e0)) });
    // the loss reaches the result: returned, or added to a name the final `return` sees
    if (this.scopes.length === 1) this.mustUse.push(loss);
    else {
      const top = this.assignable().filter((v) => this.scopes[0]!.includes(v));
      const targets = top.length ? top : this.assignable().filter((v) => !this.scopes[this.scopes.length - 1]!.includes(v));
      if (targets.length) {
        const t = r.pick(targets);
        out.push({ k: "assign", name: t.name, op: "+=", e: { k: "math", fn: "tanh", args: [V(loss)] } });
        this.mustUse.push(t.name);
      }
    }
    return out;
  }

  /**
   * `let acc = 0; for (let i = 0; i < a.length; i++) acc += p.c * a[i] + Math.sin(q.c * a[i]);`:
   * number fields of records read in a loop, so their adjoints accumulate there
   */
  private fieldLoop(): Stmt[] {
    const r = this.rng;
    this.budget--;
    const a = r.pick(this.fixedArrays());
    const acc = this.freshLocal();
    const i = this.freshCounter();
    const body: Stmt[] = [];
    const fields = this.recordFields();
    const F = (): Expr => ({ k: "var", name: r.pick(fields) });
    const node: Stmt = { k: "for", v: i, bound: { k: "trip", form: "len", max: 4, arr: a.path }, down: r.chance(0.2), body };
    this.depthNesting++;
    this.loopDepth++;
    this.ctl.push({ kind: "loop", node });
    this.inScope(() => {
      this.push({ name: i, kind: "counter", safeFor: a.group });
      const A = (): Expr => ({ k: "idx", arr: a.path, index: { k: "var", name: i } });
      const term = (): Expr => r.pick([
        () => ({ k: "bin", op: "*", a: F(), b: A() }) as Expr,
        () => ({ k: "math", fn: "sin", args: [{ k: "bin", op: "*", a: F(), b: A() }] }) as Expr,
        () => ({ k: "bin", op: "*", a: { k: "bin", op: "*", a: F(), b: F() }, b: A() }) as Expr,
        () => ({ k: "bin", op: "**", a: { k: "bin", op: "-", a: F(), b: A() }, b: num(2) }) as Expr,
        () => ({ k: "bin", op: "*", a: F(), b: this.bounded(1) }) as Expr,
      ])();
      let e = term();
      for (let t = r.range(0, 2); t > 0; t--) e = { k: "bin", op: r.chance(0.7) ? "+" : "-", a: e, b: term() };
      if (r.chance(0.2)) body.push(...this.notLast(this.noShadow(() => this.stmts(1))));
      body.push({ k: "assign", name: acc, op: r.chance(0.8) ? "+=" : "-=", e });
    });
    this.ctl.pop();
    this.loopDepth--;
    this.depthNesting--;
    this.push({ name: acc, kind: "local" });
    return [{ k: "let", name: acc, konst: false, init: num(0) }, node];
  }

  /** statements appended to a block begun elsewhere: a `let` there must not shadow a name the block already used */
  private noShadow<T>(gen: () => T): T {
    const saved = this.f;
    this.f = { ...saved, shadow: false };
    try { return gen(); } finally { this.f = saved; }
  }

  /** statements to be followed by others: a bare jump at their end goes behind a test */
  private notLast(list: Stmt[]): Stmt[] {
    const last = list[list.length - 1];
    if (last && (last.k === "break" || last.k === "continue" || last.k === "return")) list[list.length - 1] = { k: "if", c: this.bool(1), then: [last], else: null };
    return list;
  }

  /** locals (a stepping block's loss) the final `return` includes */
  private mustUse: string[] = [];

  private switchStmt(): Stmt[] {
    const r = this.rng;
    this.depthNesting++;
    const counters = this.counters();
    const fixed = this.fixedArrays();
    let disc: Expr;
    const form = r.weighted({ counter: counters.length ? 2 : 0, floor: 2, len: fixed.length ? 1 : 0 });
    if (form === "counter") disc = { k: "bin", op: "%", a: { k: "var", name: r.pick(counters).name }, b: { k: "num", v: 3 } };
    else if (form === "len") disc = { k: "bin", op: "%", a: len(r.pick(fixed).path), b: { k: "num", v: 4 } };
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
    // what a stepping block computed reaches the result (unless it went out of scope)
    for (const name of new Set(this.mustUse)) if (this.all().some((v) => v.name === name && (v.kind === "local" || v.kind === "param"))) e = { k: "bin", op: "+", a: e, b: { k: "var", name } };
    const vars = this.all().filter((v) => v.kind === "local" || v.kind === "param");
    for (let i = 0; i < 2 && vars.length; i++) {
      if (r.chance(0.6)) e = { k: "bin", op: r.pick(["+", "-", "*"] as NumOp[]), a: e, b: { k: "var", name: r.pick(vars).name } };
    }
    return { k: "return", e };
  }

  /** `return { s: …, t: … }` of a record-returning helper */
  recordReturn(t: RecType): Stmt {
    return { k: "retv", e: { k: "obj", fields: t.fields.map((f) => ({ name: f.name, e: this.num(2) })) } };
  }
}

interface Knobs { maxTrip: number; loopDepth: number }
interface Ctx { rng: Rng; f: Features; labels: Labels; names: Names; classes: Cls[]; k: Knobs; rec?: RecType }

function helperFn(c: Ctx, name: string, callable: Callable[], budget: number): Fn {
  const { rng } = c;
  const n = rng.range(1, 3);
  const params: Param[] = ["x", "y", "z"].slice(0, n).map((p) => ({ name: p, type: "number" }));
  if (rng.chance(0.4)) params.splice(rng.int(params.length + 1), 0, { name: "ws", type: "number[]" });
  if (c.rec && rng.chance(0.4)) params.splice(rng.int(params.length + 1), 0, { name: "q", type: c.rec });
  // two records of one type: a caller may pass one record for both (`g(p, p)`)
  if (c.rec && c.f.fieldAccum && rng.chance(0.3)) {
    params.splice(rng.int(params.length + 1), 0, { name: "r", type: c.rec });
    if (!params.some((p) => p.name === "q")) params.splice(rng.int(params.length + 1), 0, { name: "q", type: c.rec });
  }
  // an instance of a class (or of a subclass of it) to call methods on and read getters of
  if (c.classes.length && (c.f.subclasses || c.f.getters) && rng.chance(0.35)) params.splice(rng.int(params.length + 1), 0, { name: "o", type: { cls: rng.pick(c.classes).name } });
  if (c.f.defaults && rng.chance(0.35)) params.push({ name: "k", type: "number", def: rng.pick([2, 0.5, -1.5]) });
  const ret: RecType | undefined = c.f.records && rng.chance(0.3)
    ? { fields: ["s", "t", "m"].slice(0, rng.range(1, 3)).map((f) => ({ name: f, type: "number" as const })) }
    : undefined;
  const g = new FnGen(rng, c.f, callable, budget, c.labels, c.names, c.classes, c.k.maxTrip, c.k.loopDepth);
  g.declareParams(params);
  g.setRetNum(!ret);
  g.paramWrites = c.f.calleeWrites && rng.chance(0.08);
  const body = g.stmts(rng.range(1, 4));
  if (ret) {
    // a number `return` cannot end a record helper: drop a trailing one (no early returns are generated)
    while (body.length && ["return", "break", "continue"].includes(body[body.length - 1]!.k)) body.pop();
    body.push(g.recordReturn(ret));
  } else if (!(body.length && body[body.length - 1]!.k === "return")) body.push(g.finalReturn());
  return { name, params, body, ...(ret ? { ret } : {}) };
}

/** `name(x, n)`: returns at depth 0, else combines x with `name(…, n - 1)` */
function recursiveFn(c: Ctx, name: string, callable: Callable[]): Fn {
  const { rng } = c;
  const params: Param[] = [{ name: "x", type: "number" }, { name: "n", type: "number" }];
  if (rng.chance(0.3)) params.push({ name: "y", type: "number" });
  const fn: Fn = { name, params, body: [], depth: "n" };
  const g = new FnGen(rng, c.f, callable, 4, c.labels, c.names, c.classes, c.k.maxTrip, c.k.loopDepth);
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

// ---- withGradient rules: a smooth value expression and its symbolic partial derivatives ----

/** a smooth expression over `vars` (no branches, no ties): what a rule computes */
function smooth(rng: Rng, vars: string[], d: number): Expr {
  const leaf = (): Expr => (rng.chance(0.75) ? { k: "var", name: rng.pick(vars) } : num(rng.pick([0.5, 2, 1.5, -1, 3])));
  if (d <= 0 || rng.chance(0.2)) return leaf();
  const a = () => smooth(rng, vars, d - 1);
  switch (rng.weighted({ add: 3, mul: 3, sin: 1, cos: 1, tanh: 1, atan: 1, div: 1, log: 1, sqrt: 1, exp: 1, sq: 1 })) {
    case "add": return { k: "bin", op: rng.pick(["+", "-"] as NumOp[]), a: a(), b: a() };
    case "mul": return { k: "bin", op: "*", a: a(), b: a() };
    case "div": { const u = a(); return { k: "bin", op: "/", a: a(), b: { k: "bin", op: "+", a: num(1), b: { k: "bin", op: "*", a: u, b: structuredClone(u) } } }; }
    case "log": { const u = a(); return { k: "math", fn: "log", args: [{ k: "bin", op: "+", a: num(1), b: { k: "bin", op: "*", a: u, b: structuredClone(u) } }] }; }
    case "sqrt": { const u = a(); return { k: "math", fn: "sqrt", args: [{ k: "bin", op: "+", a: num(1), b: { k: "bin", op: "*", a: u, b: structuredClone(u) } }] }; }
    case "exp": return { k: "math", fn: "exp", args: [{ k: "math", fn: "sin", args: [a()] }] };
    case "sq": return { k: "bin", op: "**", a: a(), b: num(rng.pick([2, 3])) };
    case "sin": case "cos": case "tanh": case "atan": default: return { k: "math", fn: rng.pick(["sin", "cos", "tanh", "atan"]), args: [a()] };
  }
}

const isNum = (e: Expr, v: number) => e.k === "num" && e.v === v;
const add = (a: Expr, b: Expr): Expr => (isNum(a, 0) ? b : isNum(b, 0) ? a : { k: "bin", op: "+", a, b });
const sub = (a: Expr, b: Expr): Expr => (isNum(b, 0) ? a : isNum(a, 0) ? { k: "neg", a: b } : { k: "bin", op: "-", a, b });
const mul = (a: Expr, b: Expr): Expr => (isNum(a, 0) || isNum(b, 0) ? num(0) : isNum(a, 1) ? b : isNum(b, 1) ? a : { k: "bin", op: "*", a, b });
const div = (a: Expr, b: Expr): Expr => (isNum(a, 0) ? num(0) : { k: "bin", op: "/", a, b });

/** ∂e/∂x of an expression `smooth` builds */
export function deriv(e: Expr, x: string): Expr {
  const c = <T>(v: T) => structuredClone(v);
  switch (e.k) {
    case "num": return num(0);
    case "var": return num(e.name === x ? 1 : 0);
    case "neg": { const d = deriv(e.a, x); return isNum(d, 0) ? d : { k: "neg", a: d }; }
    case "bin": {
      const da = deriv(e.a, x), db = deriv(e.b, x);
      switch (e.op) {
        case "+": return add(da, db);
        case "-": return sub(da, db);
        case "*": return add(mul(da, c(e.b)), mul(c(e.a), db));
        case "/": return div(sub(mul(da, c(e.b)), mul(c(e.a), db)), { k: "bin", op: "*", a: c(e.b), b: c(e.b) });
        case "**": {
          const n = (e.b as { v: number }).v;
          return mul(mul(num(n), n === 2 ? c(e.a) : { k: "bin", op: "**", a: c(e.a), b: num(n - 1) }), da);
        }
      }
      break;
    }
    case "math": {
      const u = e.args[0]!;
      const du = deriv(u, x);
      if (isNum(du, 0)) return num(0);
      switch (e.fn) {
        case "sin": return mul({ k: "math", fn: "cos", args: [c(u)] }, du);
        case "cos": return mul({ k: "neg", a: { k: "math", fn: "sin", args: [c(u)] } }, du);
        case "tanh": return mul({ k: "bin", op: "-", a: num(1), b: { k: "bin", op: "**", a: { k: "math", fn: "tanh", args: [c(u)] }, b: num(2) } }, du);
        case "atan": return div(du, { k: "bin", op: "+", a: num(1), b: { k: "bin", op: "*", a: c(u), b: c(u) } });
        case "exp": return mul(c(e), du);
        case "log": return div(du, c(u));
        case "sqrt": return div(du, { k: "bin", op: "*", a: num(2), b: c(e) });
      }
    }
  }
  throw new Error(`no derivative for ${e.k}`);
}

function ruleDef(rng: Rng, name: string, arrays: boolean): Rule {
  if (arrays && rng.chance(0.35)) {
    const vars = rng.chance(0.5) ? ["w", "x"] : ["w", "x", "y"];
    const value = smooth(rng, vars, 2);
    return { name, params: [{ name: "ws", type: "number[]" }, ...vars.slice(1).map((n) => ({ name: n, type: "number" as const }))], value, partials: vars.map((v) => deriv(value, v)), sum: { w: "w" } };
  }
  const vars = ["x", "y"].slice(0, rng.range(1, 2));
  const value = smooth(rng, vars, 3);
  return { name, params: vars.map((n) => ({ name: n, type: "number" as const })), value, partials: vars.map((v) => deriv(value, v)) };
}

function classDef(c: Ctx, name: string): Cls {
  const { rng } = c;
  const ctor = ["u", "v"].slice(0, rng.range(1, 2));
  const init = rng.chance(0.6) || !c.f.classNoInit;
  const extra = init ? [{ name: "c", v: rng.pick([0.5, 1.5, -1, 2]) }] : [];
  // an array field (a parameter property) read through a getter
  const arrs = c.f.getters && rng.chance(0.35) ? ["w"] : undefined;
  const params = ["t"].slice(0, rng.range(0, 1));
  // a field the constructor body computes from its (parameter property) parameters
  let derived: { name: string; e: Expr }[] | undefined;
  if (rng.chance(0.5)) {
    const cg = new FnGen(rng, { ...c.f, incExpr: false }, [], 0, c.labels, c.names, [], c.k.maxTrip, c.k.loopDepth);
    cg.declareParams(ctor.map((n) => ({ name: n, type: "number" })));
    derived = [{ name: "d", e: cg.num(2) }];
  }
  const fields = [...ctor, ...extra.map((x) => x.name), ...(derived ?? []).map((x) => x.name)].map((n) => `this.${n}`);
  const getters: Getter[] = [];
  if (c.f.getters && rng.chance(0.6)) {
    const g = new FnGen(rng, { ...c.f, incExpr: false }, [], 0, c.labels, c.names, [], c.k.maxTrip, c.k.loopDepth);
    g.declareConsts(fields);
    const body: Expr = rng.chance(0.5) ? { k: "math", fn: "hypot", args: fields.slice(0, 2).map((n) => ({ k: "var", name: n }) as Expr) } : g.num(2);
    getters.push({ name: "norm", body: body.k === "math" && body.args.length < 2 ? { k: "math", fn: "hypot", args: [...body.args, num(1)] } : body });
  }
  if (arrs && rng.chance(0.8)) getters.push({ name: "data", arr: "w" });
  const reads = [...fields, ...getters.filter((x) => !x.arr).map((x) => `this.${x.name}`)];
  const method = (mname: string, ps: string[]): Method => {
    const g = new FnGen(rng, { ...c.f, incExpr: false }, [], 0, c.labels, c.names, [], c.k.maxTrip, c.k.loopDepth);
    g.declareConsts(reads);
    g.declareParams(ps.map((n) => ({ name: n, type: "number" })));
    return { name: mname, params: ps, body: g.num(3) };
  };
  const methods = [method("m", params)];
  // a second method, which a subclass can call without overriding it; now and then it calls `m`
  if (c.f.subclasses && rng.chance(0.5)) {
    const n = method("n", []);
    if (rng.chance(0.3)) n.body = { k: "bin", op: "+", a: n.body, b: { k: "mcall", obj: "this", method: "m", args: params.map(() => num(rng.pick([0.5, 2]))) } };
    methods.push(n);
  }
  return { name, ctor, ...(arrs ? { arrs } : {}), extra, ...(derived ? { derived } : {}), methods, ...(getters.length ? { getters } : {}) };
}

/**
 * `class name extends base`: `constructor(s0…, [sw,] public z) { super(…); this.e = …; }` with a
 * field initialiser over inherited fields, a method of its own reading inherited fields and
 * getters (sometimes calling an inherited method this class does not override), and now and then
 * an override of a base method or getter
 */
function subclassDef(c: Ctx, name: string, base: Cls, all: Cls[]): Cls {
  const { rng } = c;
  const baseParams = ctorParams(base);
  const plain = baseParams.map((x, i) => (x.arr ? { name: "sw", arr: true } : { name: `s${i}` }));
  const ctor = rng.chance(0.7) ? ["z"] : [];
  const nums = [...plain.filter((x) => !x.arr).map((x) => x.name), ...ctor];
  const gen = () => new FnGen(rng, { ...c.f, incExpr: false }, [], 0, c.labels, c.names, [], c.k.maxTrip, c.k.loopDepth);
  const overParams = () => { const g = gen(); g.declareParams(nums.map((n) => ({ name: n, type: "number" }))); return g; };
  const superArgs: Arg[] = baseParams.map((x, i) => (x.arr ? { k: "arr", name: "sw" } : rng.chance(0.5) ? { k: "var", name: `s${i}` } : overParams().num(1)));
  const inherited = numFields(all, base).map((n) => `this.${n}`);
  const inits = rng.chance(0.5) || !ctor.length ? [{ name: "g", e: (() => { const g = gen(); g.declareConsts(inherited); return g.num(2); })() }] : undefined;
  const derived = rng.chance(0.3) ? [{ name: "e", e: overParams().num(2) }] : undefined;
  const own = [...ctor, ...(inits ?? []).map((x) => x.name), ...(derived ?? []).map((x) => x.name)].map((n) => `this.${n}`);
  const baseGetters = chain(all, base).flatMap((x) => x.getters ?? []).filter((g) => !g.arr);
  const baseMethods = chain(all, base).flatMap((x) => x.methods);
  const reads = [...inherited, ...own, ...baseGetters.map((g) => `this.${g.name}`)];
  const body = (d: number, ps: string[], not?: string) => { const g = gen(); g.declareConsts(reads.filter((n) => n !== `this.${not}`)); g.declareParams(ps.map((n) => ({ name: n, type: "number" }))); return g.num(d); };
  const methods: Method[] = [];
  const getters: Getter[] = [];
  // an override: calling it through the base type is BP1020
  let overridden: string | undefined;
  if (rng.chance(0.35)) {
    const options = [...baseMethods.map((m) => m.name), ...baseGetters.map((g) => g.name)];
    overridden = rng.pick(options);
    const m = baseMethods.find((x) => x.name === overridden);
    if (m) methods.push({ name: m.name, params: [...m.params], body: body(2, m.params) });
    // (not reading itself)
    else getters.push({ name: overridden, body: body(2, [], overridden) });
  }
  const ps = rng.chance(0.4) ? ["t"] : [];
  const q: Method = { name: "q", params: ps, body: body(3, ps) };
  // an inherited method this class does not override (a call of an overridden one is fine here too:
  // the static type of `this` is this class)
  const callable = baseMethods.filter((m) => m.name !== overridden || rng.chance(0.3));
  if (callable.length && rng.chance(0.6)) {
    const m = rng.pick(callable);
    q.body = { k: "bin", op: rng.pick(["+", "*", "-"] as NumOp[]), a: q.body, b: { k: "mcall", obj: "this", method: m.name, args: m.params.map(() => body(1, ps)) } };
  }
  methods.unshift(q);
  if (c.f.getters && rng.chance(0.3)) getters.push({ name: "size", body: body(2, []) });
  return {
    name, base: base.name, ctor, plain, superArgs, extra: [], ...(inits ? { inits } : {}), ...(derived ? { derived } : {}),
    methods, ...(getters.length ? { getters } : {}),
  };
}

function recordType(rng: Rng, f: Features): RecType {
  // a simulation's parameters: spring constants and a damping coefficient
  if (f.fieldAccum && rng.chance(0.4)) {
    const fields: { name: string; type: Type }[] = [{ name: "k", type: "number[]" }, { name: "c", type: "number" }];
    if (rng.chance(0.3)) fields.push({ name: "d", type: "number" });
    if (rng.chance(0.2)) fields.push({ name: "s", type: { fields: [{ name: "k", type: "number" }] } });
    return { fields };
  }
  const pool = ["a", "b", "w", "s", "m"];
  const n = rng.range(2, 3);
  const names = pool.sort(() => rng.next() - 0.5).slice(0, n);
  const fields = names.map((name): { name: string; type: Type } => {
    const k = rng.weighted({ num: 4, arr: 3, rec: 2 });
    if (k === "num") return { name, type: "number" };
    if (k === "arr") return { name, type: "number[]" };
    return { name, type: { fields: [{ name: "k", type: "number" }, ...(rng.chance(0.5) ? [{ name: "z", type: (rng.chance(0.5) ? "number" : "number[]") as Type }] : [])] } };
  });
  return { fields };
}

export function generateProgram(seed: number, index: number, opts: GenOptions = {}): Program {
  const rng = new Rng(programSeed(seed, index));
  const f: Features = { ...ALL_FEATURES, ...opts.features };
  const size = opts.size ?? 14;
  const knobs: Knobs = { maxTrip: opts.maxTrip ?? 4, loopDepth: opts.loopDepth ?? 2 };
  const c: Ctx = { rng, f, labels: new Labels(), names: new Names(), classes: [], k: knobs };
  const rules: Rule[] = [];
  const helpers: Fn[] = [];
  const callable: Callable[] = [];
  if (f.rules) {
    const nRules = rng.weighted({ 0: 1, 1: 3, 2: 1 } as Record<string, number>);
    for (let i = 0; i < Number(nRules); i++) {
      const r = ruleDef(rng, `wg${i}`, f.arrayRules);
      rules.push(r);
      callable.push({ name: r.name, params: r.params });
    }
  }
  if (f.classes && rng.chance(0.5)) {
    c.classes.push(classDef(c, "C0"));
    if (f.subclasses && rng.chance(0.6)) c.classes.push(subclassDef(c, "C1", c.classes[0]!, c.classes));
  }
  if (f.records && rng.chance(0.5)) c.rec = recordType(rng, f);
  if (f.helpers) {
    const nHelpers = rng.weighted({ 0: 1, 1: 2, 2: 2, 3: 1 } as Record<string, number>);
    const recAt = f.recursion && rng.chance(0.35) ? rng.int(Number(nHelpers) + 1) : -1;
    for (let i = 0; i <= Number(nHelpers); i++) {
      if (i === recAt) {
        const fn = recursiveFn(c, `rec${i}`, [...callable]);
        helpers.push(fn);
        callable.push({ name: fn.name, params: fn.params, depth: fn.depth });
      }
      if (i < Number(nHelpers)) {
        const fn = helperFn(c, `h${i}`, [...callable], rng.range(2, Math.max(3, Math.floor(size / 3))));
        helpers.push(fn);
        callable.push({ name: fn.name, params: fn.params, ret: fn.ret });
      }
    }
  }
  const nNum = rng.range(2, 4);
  const params: Param[] = ["a", "b", "c", "d"].slice(0, nNum).map((p) => ({ name: p, type: "number" }));
  params.splice(rng.int(params.length + 1), 0, { name: "xs", type: "number[]" });
  if (c.rec) params.splice(rng.int(params.length + 1), 0, { name: "p", type: c.rec });
  // a long array (30–40 elements) that only stepping blocks use: their whole saved ranges are read in place
  const long = f.stepping && rng.chance(0.1);
  if (long) params.splice(rng.int(params.length + 1), 0, { name: "x0", type: "number[]" });
  const g = new FnGen(rng, f, callable, rng.range(Math.ceil(size / 2), size), c.labels, c.names, c.classes, knobs.maxTrip, knobs.loopDepth);
  g.paramWrites = f.paramWrites && rng.chance(0.3);
  g.declareParams(params);
  if (long) g.declareLong("x0");
  const body = g.stmts(100);
  // the long array is there for a stepping block: one at the end when none used it
  if (long && !JSON.stringify(body).includes('"x0"')) {
    const last = body[body.length - 1];
    const ret = last?.k === "return" ? body.pop() as Stmt & { k: "return" } : undefined;
    body.push(...g.steppingOver("x0"));
    if (ret) body.push(g.addMustUse(ret));
  }
  if (!(body.length && body[body.length - 1]!.k === "return")) body.push(g.finalReturn());
  return {
    id: `${seed}:${index}`,
    ...(rules.length ? { rules } : {}),
    ...(c.classes.length ? { classes: c.classes } : {}),
    helpers,
    main: { name: "main", params, body },
    ...(long ? { long: ["x0"] } : {}),
  };
}
