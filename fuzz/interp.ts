// An interpreter over the fuzzer's AST with forward-mode dual numbers: the second, independent
// way to get a derivative (one pass per input). It also records every discrete decision taken
// (comparisons, abs/max/min choices, floor/round results, % quotients): two points with the same
// trace lie on the same smooth piece, which tells the checker where finite differences are valid.
import type { Arg, BExpr, Expr, Fn, Program, Stmt } from "./ast.js";

/** a dual number: value and derivative along the seeded direction */
export interface D { v: number; d: number }

export type Input = number | number[];

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

type Val = D | D[];
type Completion = { t: "normal" } | { t: "break"; label?: string } | { t: "continue"; label?: string } | { t: "return"; v: D };
const NORMAL: Completion = { t: "normal" };

const MAX_STEPS = 2_000_000;
const MAX_DEPTH = 200;

/**
 * Evaluates `p.main` at `args`. `seed` picks the input whose derivative is carried: a parameter
 * index, and for the array parameter an element index. Without a seed every derivative is 0.
 */
export function evaluate(p: Program, args: Input[], seed?: { param: number; elem?: number }): EvalResult {
  const fns = new Map<string, Fn>();
  for (const f of [...p.helpers, p.main]) fns.set(f.name, f);
  const trace: number[] = [];
  let nonsmooth = false;
  let nonfinite = false;
  let steps = 0;
  let depth = 0;

  const dual = (v: number, d = 0): D => {
    if (!Number.isFinite(v)) nonfinite = true;
    return { v, d };
  };
  const decide = (x: number) => { trace.push(x); };

  function call(f: Fn, argv: Val[]): D {
    if (++depth > MAX_DEPTH) throw new InterpError("recursion too deep");
    const env = new Map<string, Val>();
    f.params.forEach((prm, i) => env.set(prm.name, argv[i]!));
    const c = block(f.body, [env]);
    depth--;
    if (c.t !== "return") throw new InterpError(`${f.name} ended without return`);
    return c.v;
  }

  function lookup(scopes: Map<string, Val>[], name: string): Val {
    for (let i = scopes.length - 1; i >= 0; i--) if (scopes[i]!.has(name)) return scopes[i]!.get(name)!;
    throw new InterpError(`unbound ${name}`);
  }
  function setVar(scopes: Map<string, Val>[], name: string, v: D): void {
    for (let i = scopes.length - 1; i >= 0; i--) if (scopes[i]!.has(name)) { scopes[i]!.set(name, v); return; }
    throw new InterpError(`unbound ${name}`);
  }
  const num = (x: Val): D => { if (Array.isArray(x)) throw new InterpError("array used as number"); return x; };
  const arr = (x: Val): D[] => { if (!Array.isArray(x)) throw new InterpError("number used as array"); return x; };

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
      case "neg": { const a = expr(e.a, scopes); return dual(-a.v, -a.d); }
      case "bin": { const a = expr(e.a, scopes); const b = expr(e.b, scopes); return binop(e.op, a, b); }
      case "math": return math(e.fn, e.args.map((x) => expr(x, scopes)));
      case "cond": return bool(e.c, scopes) ? expr(e.a, scopes) : expr(e.b, scopes);
      case "call": {
        const f = fns.get(e.fn);
        if (!f) throw new InterpError(`no function ${e.fn}`);
        const argv = e.args.map((a: Arg): Val => (a.k === "arr" ? arr(lookup(scopes, a.name)) : expr(a, scopes)));
        return call(f, argv);
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
        }
      }
    }
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
      case "assign": {
        if (s.op === "=") { setVar(scopes, s.name, expr(s.e, scopes)); return NORMAL; }
        const old = num(lookup(scopes, s.name)); // JS reads the target before the right side
        const r = expr(s.e, scopes);
        setVar(scopes, s.name, binop(s.op.slice(0, -1), old, r));
        return NORMAL;
      }
      case "inc": {
        const old = num(lookup(scopes, s.name));
        setVar(scopes, s.name, dual(s.op === "++" ? old.v + 1 : old.v - 1, old.d));
        return NORMAL;
      }
      case "return": return { t: "return", v: expr(s.e, scopes) };
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
          // each iteration has its own copy of the loop variable (let semantics); nothing captures it
          const r = afterBody(block(s.body, ls), s.label);
          if (r !== "next") return r;
          const now = num(loop.get(s.v)!).v;
          loop.set(s.v, dual(s.down ? now - 1 : now + 1));
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

  const argv: Val[] = p.main.params.map((prm, i) => {
    const a = args[i]!;
    if (prm.type === "number[]") {
      const xs = a as number[];
      return xs.map((x, j) => dual(x, seed && seed.param === i && seed.elem === j ? 1 : 0));
    }
    return dual(a as number, seed && seed.param === i ? 1 : 0);
  });
  const value = call(p.main, argv);
  return { value, trace, nonsmooth, nonfinite };
}

/** Forward-mode gradient: one pass per input, shaped like backprop-ts's (array per parameter). */
export function forwardGradient(p: Program, args: Input[]): { grad: (number | number[])[]; nonsmooth: boolean } {
  let nonsmooth = false;
  const grad = p.main.params.map((prm, i) => {
    if (prm.type === "number[]") {
      return (args[i] as number[]).map((_, j) => {
        const r = evaluate(p, args, { param: i, elem: j });
        nonsmooth ||= r.nonsmooth;
        return r.value.d;
      });
    }
    const r = evaluate(p, args, { param: i });
    nonsmooth ||= r.nonsmooth;
    return r.value.d;
  });
  return { grad, nonsmooth };
}
