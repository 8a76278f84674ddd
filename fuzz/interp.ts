// An interpreter over the fuzzer's AST with forward-mode dual numbers: the second, independent
// way to get a derivative (one pass per input). It also records every discrete decision taken
// (comparisons, abs/max/min choices, floor/round results, % quotients): two points with the same
// trace lie on the same smooth piece, which tells the checker where finite differences are valid.
// Arrays, records, class instances and closures are modelled with JavaScript's reference
// semantics (an alias shares, `slice` copies, a closure sees later writes of what it captures);
// a `withGradient` rule's derivative is its hand-written pullback, not its value's.
import { ctorParams, findMember, type Arg, type BExpr, type Cls, type Expr, type Fn, type Getter, type Input, type Program, type Rule, type Stmt, type VExpr } from "./ast.js";
import { isV } from "./print.js";
import { coords, rebuild, type Coord } from "./values.js";

export type { Input } from "./ast.js";

/** a dual number: value and derivative along the seeded direction */
export interface D { v: number; d: number }

export interface EvalResult {
  value: D;
  /** discrete decisions, in order */
  trace: number[];
  /** a tie (max/min/abs/comparison) where one-sided derivatives differ: no unique derivative */
  nonsmooth: boolean;
  /** some intermediate value was NaN or ±Infinity (reverse mode then meets 0 · ∞) */
  nonfinite: boolean;
}

export class InterpError extends Error {}

/** a record or class instance */
class Rec { constructor(readonly f: Map<string, Val>, readonly cls?: string) {} }
/** a local function with the scopes it was declared in */
class Clo { constructor(readonly fn: Stmt & { k: "fn" }, readonly scopes: Map<string, Val>[]) {} }
type Val = D | D[] | Rec | Clo;
type Completion = { t: "normal" } | { t: "break"; label?: string } | { t: "continue"; label?: string } | { t: "return"; v: Val };
const NORMAL: Completion = { t: "normal" };

const MAX_STEPS = 2_000_000;
const MAX_DEPTH = 200;

/**
 * Evaluates `p.main` at `args`. `seed` picks the input number whose derivative is carried (a
 * parameter and a path of fields and indices in it). Without a seed every derivative is 0.
 */
export function evaluate(p: Program, args: Input[], seed?: Coord): EvalResult {
  const fns = new Map<string, Fn>();
  for (const f of [...p.helpers, p.main]) fns.set(f.name, f);
  const rules = new Map<string, Rule>((p.rules ?? []).map((r) => [r.name, r]));
  const classes = new Map<string, Cls>((p.classes ?? []).map((c) => [c.name, c]));
  const trace: number[] = [];
  /** the arrays that are Float32Arrays */
  const f32s = new WeakSet<D[]>();
  let nonsmooth = false;
  let nonfinite = false;
  let steps = 0;
  let depth = 0;

  const dual = (v: number, d = 0): D => {
    if (!Number.isFinite(v)) nonfinite = true;
    return { v, d };
  };
  const decide = (x: number) => { trace.push(x); };

  function callFn(f: Fn, argv: Val[]): Val {
    if (++depth > MAX_DEPTH) throw new InterpError("recursion too deep");
    const env = new Map<string, Val>();
    f.params.forEach((prm, i) => env.set(prm.name, argv[i] ?? dual(prm.def ?? NaN)));
    const c = block(f.body, [env]);
    depth--;
    if (c.t !== "return") throw new InterpError(`${f.name} ended without return`);
    return c.v;
  }

  function callClo(c: Clo, argv: Val[]): D {
    if (++depth > MAX_DEPTH) throw new InterpError("recursion too deep");
    const env = new Map<string, Val>();
    c.fn.params.forEach((prm, i) => env.set(prm.name, argv[i]!));
    const r = block(c.fn.body, [...c.scopes, env]);
    depth--;
    if (r.t !== "return") throw new InterpError(`${c.fn.name} ended without return`);
    return num(r.v);
  }

  /** a rule: the value from its value expression, the derivative from its pullback */
  function callRule(r: Rule, argv: Val[]): D {
    const at = (vals: [string, number][]) => [new Map<string, Val>(vals.map(([n, v]) => [n, dual(v)]))];
    if (!r.sum) {
      const env = at(r.params.map((prm, i) => [prm.name, num(argv[i]!).v]));
      const v = expr(r.value, env).v;
      let d = 0;
      r.partials.forEach((pe, i) => { const a = num(argv[i]!); if (a.d !== 0) d += expr(pe, env).v * a.d; });
      return dual(v, d);
    }
    const ws = arr(argv[0]!);
    const rest = r.params.slice(1).map((prm, i) => [prm.name, num(argv[i + 1]!)] as const);
    let s = 0, d = 0;
    for (const w of ws) {
      const env = at([[r.sum.w, w.v], ...rest.map(([n, x]): [string, number] => [n, x.v])]);
      s += expr(r.value, env).v;
      if (w.d !== 0) d += expr(r.partials[0]!, env).v * w.d;
      rest.forEach(([, x], i) => { if (x.d !== 0) d += expr(r.partials[i + 1]!, env).v * x.d; });
    }
    return dual(s, d);
  }

  function lookup(scopes: Map<string, Val>[], name: string): Val {
    const [head, ...fields] = name.split(".");
    let v: Val | undefined;
    for (let i = scopes.length - 1; i >= 0 && v === undefined; i--) v = scopes[i]!.get(head!);
    if (v === undefined) throw new InterpError(`unbound ${head}`);
    for (const f of fields) {
      if (v instanceof Rec && !v.f.has(f) && v.cls) {
        // a getter, found from the instance's own class up (JavaScript's prototype chain)
        const m = findMember(classes, classes.get(v.cls)!, f);
        if (m?.getter) { v = getter(v, m.getter); continue; }
      }
      if (!(v instanceof Rec) || !v.f.has(f)) throw new InterpError(`no field ${f} in ${name}`);
      v = v.f.get(f)!;
    }
    return v;
  }
  function getter(self: Rec, g: Getter): Val {
    if (g.arr) {
      const a = self.f.get(g.arr);
      if (a === undefined) throw new InterpError(`no field ${g.arr}`);
      return a;
    }
    if (++depth > MAX_DEPTH) throw new InterpError("recursion too deep");
    const v = expr(g.body!, [new Map<string, Val>([["this", self]])]);
    depth--;
    return v;
  }
  function setVar(scopes: Map<string, Val>[], name: string, v: D): void {
    const dot = name.lastIndexOf(".");
    if (dot >= 0) {
      const obj = lookup(scopes, name.slice(0, dot));
      if (!(obj instanceof Rec)) throw new InterpError(`${name}: not a record`);
      // assigning to a getter without a setter throws in strict code
      if (!obj.f.has(name.slice(dot + 1)) && obj.cls) throw new InterpError(`${name}: a getter or no field`);
      obj.f.set(name.slice(dot + 1), v);
      return;
    }
    for (let i = scopes.length - 1; i >= 0; i--) if (scopes[i]!.has(name)) { scopes[i]!.set(name, v); return; }
    throw new InterpError(`unbound ${name}`);
  }
  const num = (x: Val): D => { if (Array.isArray(x) || x instanceof Rec || x instanceof Clo) throw new InterpError("not a number"); return x; };
  const arr = (x: Val): D[] => { if (!Array.isArray(x)) throw new InterpError("not an array"); return x; };

  function binop(op: string, a: D, b: D): D {
    switch (op) {
      case "+": return dual(a.v + b.v, a.d + b.d);
      case "-": return dual(a.v - b.v, a.d - b.d);
      case "*": return dual(a.v * b.v, a.d * b.v + a.v * b.d);
      case "/": return dual(a.v / b.v, a.d / b.v - (a.v * b.d) / (b.v * b.v));
      case "%": {
        const q = Math.trunc(a.v / b.v);
        decide(q);
        return dual(a.v % b.v, a.d - (b.d === 0 ? 0 : q * b.d));
      }
      case "**": return pow(a, b, a.v ** b.v);
    }
    throw new InterpError(`operator ${op}`);
  }

  function pow(a: D, b: D, v: number): D {
    let d = 0;
    if (a.d !== 0) d += (b.v === 0 ? 0 : b.v * a.v ** (b.v - 1)) * a.d;
    if (b.d !== 0) d += (a.v === 0 ? 0 : v * Math.log(a.v)) * b.d;
    return dual(v, d);
  }

  function math(fn: string, xs: D[]): D {
    const [a, b] = xs as [D, D];
    switch (fn) {
      case "sin": return dual(Math.sin(a.v), Math.cos(a.v) * a.d);
      case "cos": return dual(Math.cos(a.v), -Math.sin(a.v) * a.d);
      case "exp": { const e = Math.exp(a.v); return dual(e, e * a.d); }
      case "log": return dual(Math.log(a.v), a.d / a.v);
      case "sqrt": { const s = Math.sqrt(a.v); return dual(s, a.d / (2 * s)); }
      case "tanh": { const t = Math.tanh(a.v); return dual(t, (1 - t * t) * a.d); }
      case "atan": return dual(Math.atan(a.v), a.d / (1 + a.v * a.v));
      case "abs": {
        const s = Math.sign(a.v);
        decide(s);
        if (a.v === 0 && a.d !== 0) nonsmooth = true;
        return dual(Math.abs(a.v), s === 0 ? 0 : s * a.d);
      }
      case "max": case "min": {
        const firstWins = fn === "max" ? a.v >= b.v : a.v <= b.v;
        decide(firstWins ? 1 : 0);
        if (a.v === b.v && a.d !== b.d) nonsmooth = true;
        const v = fn === "max" ? Math.max(a.v, b.v) : Math.min(a.v, b.v);
        return dual(v, firstWins ? a.d : b.d);
      }
      case "hypot": {
        const h = Math.hypot(...xs.map((x) => x.v));
        if (h === 0) { decide(0); if (xs.some((x) => x.d !== 0)) nonsmooth = true; return dual(h, 0); }
        return dual(h, xs.reduce((s, x) => s + x.v * x.d, 0) / h);
      }
      case "pow": return pow(a, b, Math.pow(a.v, b.v));
      case "floor": case "round": case "ceil": case "trunc": case "sign": {
        const v = (Math[fn] as (x: number) => number)(a.v);
        decide(v);
        return dual(v, 0);
      }
    }
    throw new InterpError(`Math.${fn}`);
  }

  const argVal = (a: Arg, scopes: Map<string, Val>[]): Val => (a.k === "arr" ? lookup(scopes, a.name) : expr(a, scopes));

  function expr(e: Expr, scopes: Map<string, Val>[]): D {
    if (++steps > MAX_STEPS) throw new InterpError("too many steps");
    switch (e.k) {
      case "num": return dual(e.v);
      case "var": return num(lookup(scopes, e.name));
      case "len": return dual(arr(lookup(scopes, e.arr)).length);
      case "idx": {
        const a = arr(lookup(scopes, e.arr));
        const i = expr(e.index, scopes).v;
        decide(i);
        const el = a[i as number];
        // out of range reads `undefined`, which arithmetic turns into NaN
        return el ?? dual(NaN, NaN);
      }
      case "nullish": {
        // `arr[i] ?? b`: b where the read falls outside the array (a typed array or a number[]
        // without holes holds no other undefined or null)
        if (e.a.k !== "idx") return expr(e.a, scopes);
        const a = arr(lookup(scopes, e.a.arr));
        const i = expr(e.a.index, scopes).v;
        decide(i);
        const el = a[i as number];
        return el ?? expr(e.b, scopes);
      }
      case "neg": { const a = expr(e.a, scopes); return dual(-a.v, -a.d); }
      case "bin": { const a = expr(e.a, scopes); const b = expr(e.b, scopes); return binop(e.op, a, b); }
      case "math": return math(e.fn, e.args.map((x) => expr(x, scopes)));
      case "cond": return bool(e.c, scopes) ? expr(e.a, scopes) : expr(e.b, scopes);
      case "call": {
        let local: Val | undefined;
        for (let i = scopes.length - 1; i >= 0 && local === undefined; i--) local = scopes[i]!.get(e.fn);
        if (local instanceof Clo) return callClo(local, e.args.map((a) => argVal(a, scopes)));
        const r = rules.get(e.fn);
        if (r) return callRule(r, e.args.map((a) => argVal(a, scopes)));
        const f = fns.get(e.fn);
        if (!f) throw new InterpError(`no function ${e.fn}`);
        return num(callFn(f, e.args.map((a) => argVal(a, scopes))));
      }
      case "mcall": {
        const self = lookup(scopes, e.obj);
        const c = self instanceof Rec && self.cls ? classes.get(self.cls) : undefined;
        // dynamic dispatch: the method of the instance's own class or the nearest base declaring it
        const m = c ? findMember(classes, c, e.method)?.method : undefined;
        if (!m) throw new InterpError(`no method ${e.obj}.${e.method}`);
        const argv = e.args.map((a) => expr(a, scopes));
        const env = new Map<string, Val>([["this", self]]);
        m.params.forEach((n, i) => env.set(n, argv[i]!));
        if (++depth > MAX_DEPTH) throw new InterpError("recursion too deep");
        const v = expr(m.body, [env]);
        depth--;
        return v;
      }
      case "reduce": {
        const a = arr(lookup(scopes, e.arr));
        let acc = expr(e.init, scopes);
        a.forEach((v, j) => {
          const env = new Map<string, Val>([[e.acc, acc], [e.v, v]]);
          if (e.i) env.set(e.i, dual(j));
          acc = expr(e.body, [...scopes, env]);
        });
        return acc;
      }
      case "inc": {
        const old = num(lookup(scopes, e.name));
        const next = dual(e.op === "++" ? old.v + 1 : old.v - 1, old.d);
        setVar(scopes, e.name, next);
        return e.prefix ? next : old;
      }
      case "trip": {
        switch (e.form) {
          case "const": return dual(e.max);
          case "len": return dual(arr(lookup(scopes, e.arr!)).length);
          case "floor": case "round": {
            const x = Math.abs(expr(e.e!, scopes).v);
            const v = Math.min(e.max, e.form === "floor" ? Math.floor(x) : Math.round(x));
            decide(v);
            return dual(v);
          }
          case "prefix": {
            const v = Math.min(expr(e.e!, scopes).v, arr(lookup(scopes, e.arr!)).length);
            decide(v);
            return dual(v);
          }
        }
      }
    }
  }

  /** a Float32Array rounds every element it stores (its derivative is the identity's, as `Math.fround`'s) */
  function typed(a: D[], f32?: boolean): D[] {
    if (!f32) return a;
    f32s.add(a);
    for (let j = 0; j < a.length; j++) a[j] = dual(Math.fround(a[j]!.v), a[j]!.d);
    return a;
  }
  const store = (a: D[], i: number, x: D) => { a[i] = f32s.has(a) ? dual(Math.fround(x.v), x.d) : x; };

  function size(n: number): number {
    if (!(Number.isInteger(n) && n >= 0 && n < 1e6)) throw new InterpError(`array length ${n}`);
    return n;
  }

  function value(e: VExpr, scopes: Map<string, Val>[]): Val {
    switch (e.k) {
      case "ref": return lookup(scopes, e.name);
      case "obj": return new Rec(new Map(e.fields.map((f) => [f.name, isV(f.e) ? value(f.e, scopes) : expr(f.e, scopes)])));
      case "empty": return [];
      case "zeros": return Array.from({ length: size(expr(e.n, scopes).v) }, () => dual(0));
      case "f64": return typed(Array.from({ length: size(expr(e.n, scopes).v) }, () => dual(0)), e.f32);
      case "slice": return [...arr(lookup(scopes, e.arr))];
      case "f64from": return typed(arr(lookup(scopes, e.arr)).map((x) => x), e.f32);
      case "map": {
        const a = arr(lookup(scopes, e.arr));
        return a.map((v, j) => {
          const env = new Map<string, Val>([[e.v, v]]);
          if (e.i) env.set(e.i, dual(j));
          return expr(e.body, [...scopes, env]);
        });
      }
      case "callv": {
        const f = fns.get(e.fn);
        if (!f) throw new InterpError(`no function ${e.fn}`);
        return callFn(f, e.args.map((a) => argVal(a, scopes)));
      }
      case "new": {
        const c = classes.get(e.cls);
        if (!c) throw new InterpError(`no class ${e.cls}`);
        return construct(c, e.args.map((a) => argVal(a, scopes)), c.name);
      }
    }
  }

  /**
   * `new` of `c` (or, from a subclass's `super(…)`, its base part) with `newTarget`'s prototype:
   * super first, then field initialisers (ES2022 classes define them before parameter
   * properties are assigned), parameter properties, the constructor body
   */
  function construct(c: Cls, argv: Val[], newTarget: string): Rec {
    if (++depth > MAX_DEPTH) throw new InterpError("recursion too deep");
    const params = new Map<string, Val>(ctorParams(c).map((x, i) => [x.name, argv[i]!]));
    let self: Rec;
    if (c.base) {
      const base = classes.get(c.base);
      if (!base) throw new InterpError(`no class ${c.base}`);
      self = construct(base, (c.superArgs ?? []).map((a) => argVal(a, [params])), newTarget);
    } else self = new Rec(new Map(), newTarget);
    const at = [params, new Map<string, Val>([["this", self]])];
    for (const x of c.extra) self.f.set(x.name, dual(x.v));
    for (const x of c.inits ?? []) self.f.set(x.name, expr(x.e, at));
    for (const x of ctorParams(c)) if (x.prop) self.f.set(x.name, params.get(x.name)!);
    for (const x of c.derived ?? []) self.f.set(x.name, expr(x.e, at));
    depth--;
    return self;
  }

  function bool(b: BExpr, scopes: Map<string, Val>[]): boolean {
    switch (b.k) {
      case "bool": return b.v;
      case "not": return !bool(b.a, scopes);
      case "and": return bool(b.a, scopes) && bool(b.b, scopes);
      case "or": return bool(b.a, scopes) || bool(b.b, scopes);
      case "cmp": {
        const x = expr(b.a, scopes), y = expr(b.b, scopes);
        let r: boolean;
        switch (b.op) {
          case "<": r = x.v < y.v; break;
          case "<=": r = x.v <= y.v; break;
          case ">": r = x.v > y.v; break;
          case ">=": r = x.v >= y.v; break;
          case "===": r = x.v === y.v; break;
          case "!==": r = x.v !== y.v; break;
        }
        decide(r ? 1 : 0);
        // on the boundary of an ordering test the branch taken depends on the direction
        if (x.v === y.v && x.d !== y.d && b.op !== "===" && b.op !== "!==") nonsmooth = true;
        return r;
      }
    }
  }

  function block(list: Stmt[], scopes: Map<string, Val>[]): Completion {
    const inner = [...scopes, new Map<string, Val>()];
    for (const s of list) {
      const c = stmt(s, inner);
      if (c.t !== "normal") return c;
    }
    return NORMAL;
  }

  /** after one loop body: stop the loop (with a completion to pass on), or go on */
  function afterBody(c: Completion, label: string | undefined): Completion | "next" {
    if (c.t === "normal") return "next";
    if (c.t === "break") return !c.label || c.label === label ? NORMAL : c;
    if (c.t === "continue") return !c.label || c.label === label ? "next" : c;
    return c;
  }

  function stmt(s: Stmt, scopes: Map<string, Val>[]): Completion {
    if (++steps > MAX_STEPS) throw new InterpError("too many steps");
    const top = scopes[scopes.length - 1]!;
    switch (s.k) {
      case "let": top.set(s.name, expr(s.init, scopes)); return NORMAL;
      case "letv": top.set(s.name, value(s.init, scopes)); return NORMAL;
      case "fn": top.set(s.name, new Clo(s, scopes)); return NORMAL;
      case "assign": {
        if (s.op === "=") { setVar(scopes, s.name, expr(s.e, scopes)); return NORMAL; }
        const old = num(lookup(scopes, s.name)); // JS reads the target before the right side
        const r = expr(s.e, scopes);
        setVar(scopes, s.name, binop(s.op.slice(0, -1), old, r));
        return NORMAL;
      }
      case "setidx": {
        const a = arr(lookup(scopes, s.arr));
        const i = expr(s.index, scopes).v;
        decide(i);
        if (!(Number.isInteger(i) && i >= 0 && i < a.length)) throw new InterpError(`write out of range: ${s.arr}[${i}], length ${a.length}`);
        if (s.op === "=") { store(a, i, expr(s.e, scopes)); return NORMAL; }
        const old = a[i]!;
        const r = expr(s.e, scopes);
        store(a, i, binop(s.op.slice(0, -1), old, r));
        return NORMAL;
      }
      case "push": {
        const a = arr(lookup(scopes, s.arr));
        a.push(expr(s.e, scopes));
        return NORMAL;
      }
      case "forEach": {
        const a = arr(lookup(scopes, s.arr));
        const n = a.length; // forEach visits the elements present when it starts
        for (let j = 0; j < n && j < a.length; j++) {
          const env = new Map<string, Val>([[s.v, a[j]!]]);
          if (s.i) env.set(s.i, dual(j));
          const c = block(s.body, [...scopes, env]);
          if (c.t !== "normal") throw new InterpError(`${c.t} out of a forEach callback`);
        }
        return NORMAL;
      }
      case "inc": {
        const old = num(lookup(scopes, s.name));
        setVar(scopes, s.name, dual(s.op === "++" ? old.v + 1 : old.v - 1, old.d));
        return NORMAL;
      }
      case "return": return { t: "return", v: expr(s.e, scopes) };
      case "retv": return { t: "return", v: value(s.e, scopes) };
      case "break": return { t: "break", label: s.label };
      case "continue": return { t: "continue", label: s.label };
      case "if": {
        if (bool(s.c, scopes)) return block(s.then, scopes);
        return s.else ? block(s.else, scopes) : NORMAL;
      }
      case "for": {
        const loop = new Map<string, Val>();
        const ls = [...scopes, loop];
        if (s.down) loop.set(s.v, dual(expr(s.bound, ls).v - 1));
        else loop.set(s.v, dual(0));
        for (;;) {
          const i = num(loop.get(s.v)!).v;
          const go = s.down ? i >= 0 : i < expr(s.bound, ls).v;
          decide(go ? 1 : 0);
          if (!go) return NORMAL;
          // each iteration has its own copy of the loop variable (let semantics); a closure
          // declared in the body is called only within its iteration
          const r = afterBody(block(s.body, ls), s.label);
          if (r !== "next") return r;
          const now = num(loop.get(s.v)!).v;
          loop.set(s.v, dual(s.down ? now - 1 : now + 1));
        }
      }
      case "forOf": {
        const a = arr(lookup(scopes, s.arr));
        // an array iterator: the element at each index below the current length
        for (let j = 0; ; j++) {
          const go = j < a.length;
          decide(go ? 1 : 0);
          if (!go) return NORMAL;
          const r = afterBody(block(s.body, [...scopes, new Map<string, Val>([[s.v, a[j]!]])]), s.label);
          if (r !== "next") return r;
        }
      }
      case "while": case "do": {
        top.set(s.v, dual(0));
        const test = (): boolean => {
          const k = num(lookup(scopes, s.v)).v;
          let go = k < expr(s.bound, scopes).v;
          decide(go ? 1 : 0);
          if (go && s.extra) go = bool(s.extra, scopes);
          return go;
        };
        if (s.k === "while" && !test()) return NORMAL;
        for (;;) {
          const k = num(lookup(scopes, s.v));
          setVar(scopes, s.v, dual(k.v + 1));
          const r = afterBody(block(s.body, scopes), s.label);
          if (r !== "next") return r;
          if (!test()) return NORMAL;
        }
      }
      case "switch": {
        const d = expr(s.disc, scopes).v;
        let entry = s.cases.findIndex((c) => c.test !== null && c.test === d);
        if (entry < 0) entry = s.cases.findIndex((c) => c.test === null);
        decide(entry);
        if (entry < 0) return NORMAL;
        for (let i = entry; i < s.cases.length; i++) {
          const c = block(s.cases[i]!.body, scopes);
          if (c.t === "break" && (!c.label || c.label === s.label)) return NORMAL;
          if (c.t !== "normal") return c;
        }
        return NORMAL;
      }
    }
  }

  const seeded = (param: number, path: (string | number)[]) =>
    seed !== undefined && seed.param === param && seed.path.length === path.length && seed.path.every((x, i) => x === path[i]);
  const toVal = (x: Input, param: number, path: (string | number)[]): Val => {
    if (Array.isArray(x)) return x.map((v, j) => dual(v, seeded(param, [...path, j]) ? 1 : 0));
    if (typeof x === "object") return new Rec(new Map(Object.keys(x).map((k) => [k, toVal(x[k]!, param, [...path, k])])));
    return dual(x, seeded(param, path) ? 1 : 0);
  };
  const argv: Val[] = p.main.params.map((_, i) => toVal(args[i]!, i, []));
  const value0 = num(callFn(p.main, argv));
  return { value: value0, trace, nonsmooth, nonfinite };
}

/** Forward-mode gradient: one pass per input number, shaped like backprop-ts's (one per parameter). */
export function forwardGradient(p: Program, args: Input[], checked?: (c: Coord) => boolean): { grad: Input[]; nonsmooth: boolean } {
  let nonsmooth = false;
  const partials = coords(args).map((c) => {
    // a coordinate left unchecked gets no pass (its entry is masked out by the checker)
    if (checked && !checked(c)) return NaN;
    const r = evaluate(p, args, c);
    nonsmooth ||= r.nonsmooth;
    return r.value.d;
  });
  return { grad: rebuild(args, partials), nonsmooth };
}
