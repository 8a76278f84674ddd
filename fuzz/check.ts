// Runs inside a worker, next to the generated code: checks each program's generated gradient at
// random points against forward-mode dual numbers (interp.ts) and central finite differences, and
// checks valueAndGrad/vjp/wrt, determinism, input mutation, and optimize on vs off.
import { isRec, type Input, type Program, type Type } from "./ast.js";
import { evaluate, forwardGradient } from "./interp.js";
import { badSpots, copyArgs, coords, emptied, getAt, leaves, mapLeaves, rebuild, sameShape, withAt, type Coord } from "./values.js";
import { Rng, programSeed } from "./rng.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

export interface Entry {
  f: (...a: Any[]) => number;
  g: (...a: Any[]) => Any;
  vg: (...a: Any[]) => { value: number; grad: Any };
  /** vjp and wrt sites exist for some programs only (they cost build time) */
  vj?: (...a: Any[]) => { value: number; pullback: (dy: number) => Any };
  g0?: (...a: Any[]) => Any;
  gw?: (...a: Any[]) => Any;
}

export type Outcome = "clean" | "rejected" | "fail" | "skipped" | "invalid";

export interface Result {
  name: string;
  outcome: Outcome;
  /** failure class (stable short name) */
  cls?: string;
  detail?: string;
  /** points at which the gradient was checked */
  points?: number;
  /** the arguments of the failing check */
  args?: Input[];
}

export interface CheckOptions {
  /** smooth points to check per program */
  points: number;
  /** attempts to find a smooth, finite point */
  tries: number;
  /** longest array argument (default 4) */
  maxLen?: number;
  /** also check points where an intermediate value is NaN or ±Infinity (skipped by default) */
  nonfinite?: boolean;
}

const TIGHT = 1e-7;
const LOOSE = 1e-4;

/**
 * A program with a Float32Array rounds what it stores there to single precision: its finite
 * differences need a step far above that rounding (1e-2 rather than 1e-5), and its gradient (whose
 * shadow arrays are Float32Arrays too) agrees with forward mode to single precision only.
 */
const usesF32 = (p: Program): boolean => JSON.stringify(p).includes('"f32":true');
const tightFor = (p: Program) => (usesF32(p) ? 1e-5 : TIGHT);
const MAX_ABS = 1e8;

class Fail extends Error {
  args?: Input[];
  constructor(readonly cls: string, message: string) { super(message); }
}

const fmt = (x: unknown): string => JSON.stringify(x, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v));
const same = (a: number, b: number) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

const flat = (g: Any): number[] => leaves(g);

/** largest |a - b| / (1 + scale), over every entry (every one `mask` keeps); Infinity on shape mismatch */
function distance(a: Any, b: Any, mask?: boolean[]): number {
  const x = flat(a), y = flat(b);
  if (x.length !== y.length) return Infinity;
  const scale = 1 + Math.max(0, ...y.map(Math.abs).filter(Number.isFinite), ...x.map(Math.abs).filter(Number.isFinite));
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    if (mask && !mask[i]) continue;
    if (same(x[i]!, y[i]!)) continue;
    const d = Math.abs(x[i]! - y[i]!) / scale;
    worst = Math.max(worst, Number.isNaN(d) ? Infinity : d);
  }
  return worst;
}

function identical(a: Any, b: Any): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => identical(x, b[i]));
  }
  if ((typeof a === "object" && a !== null) || (typeof b === "object" && b !== null)) {
    if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
    const ka = Object.keys(a).sort(), kb = Object.keys(b).sort();
    return ka.join() === kb.join() && ka.every((k) => identical(a[k], b[k]));
  }
  return same(a, b);
}

const copy = copyArgs;

function sample(t: Type, rng: Rng, maxLen: number): Input {
  if (t === "number[]") return Array.from({ length: rng.range(1, maxLen) }, () => rng.next() * 4 - 2);
  if (isRec(t)) return Object.fromEntries(t.fields.map((f) => [f.name, sample(f.type, rng, maxLen)]));
  return rng.next() * 4 - 2;
}

function samplePoint(p: Program, rng: Rng, maxLen: number): Input[] {
  return p.main.params.map((prm) => (p.long?.includes(prm.name) && prm.type === "number[]"
    ? Array.from({ length: rng.range(32, 36) }, () => rng.next() * 4 - 2)
    : sample(prm.type, rng, maxLen)));
}

const shifted = (args: Input[], c: Coord, h: number): Input[] => withAt(args, c, (x) => x + h);
const coordValue = getAt;
const shape = rebuild;

/** Why this point is unusable for checking (so another is drawn), or undefined. */
interface Reference {
  /** central differences with the smaller step */
  fd: Any;
  /** |difference between the two steps| per entry: how far the differences can be trusted */
  fdErr: number[];
  fwd: Any;
  /** per entry: whether it was checked (a long array's are sampled); absent: all were */
  mask?: boolean[];
}

/**
 * The coordinates whose derivative is checked: all, except in a long array (Program.long, 30–40
 * elements), where the first two, the last two and two others are (finite differences and forward
 * mode take one pass per coordinate).
 */
function checkedCoords(p: Program, args: Input[], rng: Rng): ((c: Coord) => boolean) | undefined {
  if (!p.long?.length) return undefined;
  const keep = new Map<number, Set<number>>();
  p.main.params.forEach((prm, i) => {
    const a = args[i];
    if (!p.long!.includes(prm.name) || !Array.isArray(a)) return;
    const n = a.length;
    const picked = new Set([0, 1, n - 2, n - 1]);
    for (let k = 0; k < 2; k++) picked.add(rng.int(n));
    keep.set(i, picked);
  });
  return (c) => { const k = keep.get(c.param); return !k || (c.path.length === 1 && k.has(c.path[0] as number)); };
}

function unsmooth(p: Program, f: Entry["f"], args: Input[], o: CheckOptions, checked?: (c: Coord) => boolean): { why: string } | Reference {
  const value = f(...copy(args));
  if (!Number.isFinite(value) || Math.abs(value) > MAX_ABS) return { why: "value out of range" };
  const base = evaluate(p, args);
  if (!same(base.value.v, value)) throw new Fail("harness", `interpreter value ${base.value.v} ≠ compiled value ${value} at ${fmt(args)}`);
  // an overflowed intermediate that does not reach the result: the adjoint multiplies 0 by ∞ (NaN)
  if (base.nonfinite && !o.nonfinite) return { why: "non-finite intermediate value" };
  const fd: number[] = [];
  const fdErr: number[] = [];
  for (const c of coords(args)) {
    if (checked && !checked(c)) { fd.push(NaN); fdErr.push(0); continue; }
    const h = (usesF32(p) ? 1e-2 : 1e-5) * Math.max(1, Math.abs(coordValue(args, c)));
    // same sequence of decisions on both sides: the point is inside one smooth piece
    for (const s of [h, -h, h / 10, -h / 10]) {
      const t = evaluate(p, shifted(args, c, s)).trace;
      if (t.length !== base.trace.length || t.some((x, i) => !same(x, base.trace[i]!))) return { why: "near a branch boundary" };
    }
    const at = (s: number) => f(...shifted(args, c, s));
    const d1 = (at(h) - at(-h)) / (2 * h);
    const d2 = (at(h / 10) - at(-h / 10)) / (h / 5);
    if (!Number.isFinite(d1) || !Number.isFinite(d2)) return { why: "non-finite differences" };
    if (Math.abs(d1 - d2) > 1e-3 * (1 + Math.abs(d1))) return { why: "finite differences unstable" };
    fd.push(d2);
    fdErr.push(Math.abs(d1 - d2));
  }
  const fwd = forwardGradient(p, args, checked);
  if (fwd.nonsmooth) return { why: "tie in max/min/abs/comparison" };
  const mask = checked ? coords(args).map(checked) : undefined;
  const fl = flat(fwd.grad);
  if (fl.some((x, i) => (!mask || mask[i]) && (!Number.isFinite(x) || Math.abs(x) > MAX_ABS))) return { why: "gradient out of range" };
  return { fd: shape(args, fd), fdErr, fwd: fwd.grad, ...(mask ? { mask } : {}) };
}

function call<T>(cls: string, what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new Fail(cls, `${what} threw: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
}

/** like distance, against finite differences: each entry may be off by twice its step disagreement */
function fdDistance(a: Any, ref: Reference): number {
  const x = flat(a), y = flat(ref.fd);
  if (x.length !== y.length) return Infinity;
  const scale = 1 + Math.max(0, ...y.map(Math.abs).filter(Number.isFinite), ...x.map(Math.abs).filter(Number.isFinite));
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    if (ref.mask && !ref.mask[i]) continue;
    const d = Math.max(0, Math.abs(x[i]! - y[i]!) - 2 * ref.fdErr[i]!) / scale;
    worst = Math.max(worst, Number.isNaN(d) ? Infinity : d);
  }
  return worst;
}

function checkAt(p: Program, opt: Entry, noopt: Entry | undefined, args: Input[], ref: Reference): void {
  const n = p.main.params.length;
  const TIGHT = tightFor(p);
  const value = opt.f(...copy(args));
  const before = fmt(args);
  const a1 = copy(args);
  // one declared parameter: grad returns its gradient alone (SPEC)
  const wrap = (x: Any) => (n === 1 ? [x] : x);
  // the value first: a forward sweep that computes something else explains any gradient after it
  const a2 = copy(args);
  const vg = call("grad-throws", "valueAndGrad(main)", () => opt.vg(...a2));
  if (!same(vg.value, value)) throw new Fail("value", `valueAndGrad(main)(${before}).value is ${vg.value}, main returns ${value}`);
  if (fmt(a2) !== before) throw new Fail("mutation", `valueAndGrad(main) mutated its arguments`);
  if (noopt) {
    const vn = call("grad-throws", "valueAndGrad(main) built with optimize: false", () => noopt.vg(...copy(args)));
    if (!same(vn.value, value)) throw new Fail("value", `(optimize: false) valueAndGrad(main)(${before}).value is ${vn.value}, main returns ${value}`);
  }

  const g = wrap(call("grad-throws", "grad(main)", () => opt.g(...a1)));
  if (fmt(a1) !== before) throw new Fail("mutation", `grad(main) mutated its arguments: ${before} became ${fmt(a1)}`);
  if (!Array.isArray(g) || g.length !== n || g.some((x, i) => !sameShape(x, args[i]!)))
    throw new Fail("shape", `grad(main) at ${before} returned ${fmt(g)}, not one gradient per parameter shaped like it`);

  // to rounding, not to the bit: with the value not needed, grad may run an independent loop's
  // adjoint forwards and sum the same terms in another order (README, test/fuzz/regressions/)
  if (distance(wrap(vg.grad), g) > TIGHT) throw new Fail("value-and-grad", `valueAndGrad(main).grad ${fmt(vg.grad)} ≠ grad(main) ${fmt(g)} at ${before}`);

  const dFwd = distance(g, ref.fwd, ref.mask);
  const dFd = fdDistance(g, ref);
  const fwdFd = fdDistance(ref.fwd, ref);
  if (dFwd > TIGHT || dFd > LOOSE) {
    const detail = `at ${before}: grad ${fmt(g)}, forward mode ${fmt(ref.fwd)}, finite differences ${fmt(ref.fd)}`;
    if (dFwd > TIGHT && fwdFd <= LOOSE) throw new Fail("wrong-gradient", detail);
    if (dFwd > TIGHT && dFd <= LOOSE) throw new Fail("harness", `forward mode disagrees with grad and finite differences ${detail}`);
    if (dFwd > TIGHT) throw new Fail("wrong-gradient", `(all three disagree) ${detail}`);
    throw new Fail("gradient-vs-fd", `grad agrees with forward mode but not with finite differences ${detail}`);
  }


  const again = wrap(call("grad-throws", "grad(main), second call", () => opt.g(...copy(args))));
  if (!identical(again, g)) throw new Fail("nondeterministic", `grad(main) at ${before} gave ${fmt(g)}, then ${fmt(again)}`);

  if (opt.g0 && opt.gw) {
    const g0 = call("grad-throws", "grad(main, 0)", () => opt.g0!(...copy(args)));
    if (distance(g0, g[0]) > TIGHT) throw new Fail("wrt", `grad(main, 0) = ${fmt(g0)} but grad(main)[0] = ${fmt(g[0])} at ${before}`);
    const gw = call("grad-throws", `grad(main, [${n - 1}, 0])`, () => opt.gw!(...copy(args)));
    if (distance(gw, [g[n - 1], g[0]]) > TIGHT) throw new Fail("wrt", `grad(main, [${n - 1}, 0]) = ${fmt(gw)} but grad(main) = ${fmt(g)} at ${before}`);
  }

  if (opt.vj) {
    const a3 = copy(args);
    const vj = call("grad-throws", "vjp(main)", () => opt.vj!(...a3));
    if (!same(vj.value, value)) throw new Fail("value", `vjp(main)(${before}).value is ${vj.value}, main returns ${value}`);
    const pb = wrap(call("grad-throws", "vjp(main).pullback(2.5)", () => vj.pullback(2.5)));
    if (distance(pb, mapLeaves(g, (y) => 2.5 * y)) > TIGHT)
      throw new Fail("vjp", `vjp(main).pullback(2.5) = ${fmt(pb)}, 2.5 × grad = ${fmt(g)} × 2.5 at ${before}`);
    if (fmt(a3) !== before) throw new Fail("mutation", `vjp(main) mutated its arguments: ${before} became ${fmt(a3)}`);
  }

  if (noopt) {
    const gn = wrap(call("grad-throws", "grad(main) built with optimize: false", () => noopt.g(...copy(args))));
    if (distance(gn, g) > TIGHT) throw new Fail("opt-vs-noopt", `grad(main) is ${fmt(g)} optimized, ${fmt(gn)} with optimize: false, at ${before}`);
  }
}

/**
 * IEEE values and odd shapes (issue 6): with NaN, ±Infinity or an empty array among the
 * arguments, the generated code gives main's value and does not throw where main does not, and
 * the next ordinary call still gives the same gradient (nothing poisoned).
 */
function robustness(p: Program, opt: Entry, args: Input[]): void {
  const base = fmt(args);
  const g0 = opt.g(...copy(args));
  const variants: Input[][] = [];
  const spots = badSpots(args);
  for (const c of spots.nums) for (const bad of [NaN, Infinity, -Infinity]) variants.push(withAt(args, c, () => bad));
  for (const c of spots.arrays) variants.push(emptied(args, c));
  for (const v of variants) {
    let want: number;
    try { want = opt.f(...copy(v)); } catch { continue; }
    let got: { value: number };
    try { got = opt.vg(...copy(v)); } catch (e) {
      const f = new Fail("ieee-throws", `valueAndGrad(main)(${fmt(v)}) threw ${e instanceof Error ? e.message : String(e)}; main returns ${want}`);
      f.args = v;
      throw f;
    }
    if (!same(got.value, want)) {
      const f = new Fail("ieee-value", `valueAndGrad(main)(${fmt(v)}).value is ${got.value}, main returns ${want}`);
      f.args = v;
      throw f;
    }
    const again = opt.g(...copy(args));
    if (!identical(again, g0)) throw new Fail("poisoned", `after valueAndGrad(main)(${fmt(v)}), grad(main)(${base}) changed from ${fmt(g0)} to ${fmt(again)}`);
  }
}

export function checkProgram(name: string, p: Program, opt: Entry, noopt: Entry | undefined, o: CheckOptions): Result {
  let h = 0x811c9dc5;
  for (const ch of p.id) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  const rng = new Rng(programSeed(0x5eed, h >>> 0));
  let good = 0;
  let current: Input[] | undefined;
  const whys = new Map<string, number>();
  // a program with a long array costs a few times more per point: half as many
  const points = p.long?.length ? Math.ceil(o.points / 2) : o.points;
  try {
    const given = p.points ?? [];
    for (let t = 0; t < o.tries + given.length && good < points + given.length; t++) {
      const args = t < given.length ? copy(given[t]!) : samplePoint(p, rng, o.maxLen ?? 4);
      current = args;
      let ref: ReturnType<typeof unsmooth>;
      try {
        ref = unsmooth(p, opt.f, args, o, checkedCoords(p, args, rng));
      } catch (e) {
        if (e instanceof Fail) throw e;
        return { name, outcome: "invalid", cls: "plain-throws", detail: `main or the interpreter threw at ${fmt(args)}: ${e instanceof Error ? e.message : String(e)}` };
      }
      if ("why" in ref) { whys.set(ref.why, (whys.get(ref.why) ?? 0) + 1); continue; }
      checkAt(p, opt, noopt, args, ref);
      good++;
    }
  } catch (e) {
    if (e instanceof Fail) return { name, outcome: e.cls === "harness" ? "invalid" : "fail", cls: e.cls, detail: e.message, points: good, args: current };
    return { name, outcome: "fail", cls: "checker", detail: String(e) };
  }
  if (good === 0) return { name, outcome: "skipped", detail: [...whys].map(([w, k]) => `${w} ×${k}`).join(", ") };
  try {
    robustness(p, opt, current!);
  } catch (e) {
    if (e instanceof Fail) return { name, outcome: "fail", cls: e.cls, detail: e.message, points: good, args: e.args };
    throw e;
  }
  return { name, outcome: "clean", points: good };
}
