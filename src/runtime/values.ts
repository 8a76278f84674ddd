// Zero and sum of heterogeneous gradients, for what code generation cannot resolve statically
// (arrays of unknown length, records, class instances, user types with a Backprop).
// Conventions: undefined/null is the free zero ("no gradient yet") and is never materialised;
// values carrying no numbers (strings, booleans, …) count as zero too; shapes must otherwise match.
import { backpropOf, type Backprop } from "./backprop.js";
import { ARRAY, CUSTOM, F32, F64, FREE, INERT, NUMBER, RECORD, isPlain, kindOf } from "./kind.js";
import { describeShape } from "./shape.js";
import type { Grad } from "./types.js";

type Rec = Record<string, unknown>;
const hasOwn = Object.prototype.hasOwnProperty;

/**
 * A zero gradient shaped like `x`: 0 for a number, a zeroed typed array of the same kind and length,
 * an array of zeros of the same length, an object of the fields that carry numbers (or the class's
 * Backprop zero); undefined for values that carry no numbers. A record's field holding undefined
 * counts as a number (0): generated code adds into the fields its static type says are numbers.
 */
export function zeroLike<T>(x: T): Grad<T> {
  return zero(x) as Grad<T>;
}

/**
 * The sum of two gradients. Does not mutate; the result may share parts with its inputs.
 * undefined is the free zero: addGrad(undefined, b) is b.
 */
export function addGrad<T>(a: T, b: T): T {
  if (typeof a === "number" && typeof b === "number") return (a + b) as T;
  try {
    return add(a, b) as T;
  } catch (e) {
    throw e instanceof Mismatch ? mismatchError(e) : e;
  }
}

/**
 * Accumulates `g` into `acc` in place where possible (typed arrays, arrays, records, recursively)
 * and returns the accumulator, which callers must use (numbers and Backprop values are replaced,
 * not mutated). `acc` must be owned by the caller (made by zeroLike or returned by addInto): parts
 * of `g` are copied, never aliased, so later accumulation cannot write into `g`.
 */
export function addInto<T>(acc: T, g: T): T {
  if (typeof acc === "number" && typeof g === "number") return (acc + g) as T;
  try {
    return into(acc, g) as T;
  } catch (e) {
    throw e instanceof Mismatch ? mismatchError(e) : e;
  }
}

/**
 * n zeros, as unboxed doubles from the start: one fractional store turns the small-integer array
 * into doubles here (one copy), and V8's allocation site remembers it, so later calls allocate
 * doubles directly. Left to the adjoint's first `+=`, the transition happened inside the hot loop,
 * and whether the optimised loop expected it varied from process to process (Rosenbrock 1e3 at
 * 1.1x or 1.5x the hand-written gradient; the MLP's 128 weight rows 1.6x slower).
 */
function numberZeros(n: number): number[] {
  const zeros = new Array<number>(n).fill(0);
  if (n > 0) {
    zeros[0] = 0.5;
    zeros[0] = 0;
  }
  return zeros;
}

/**
 * The zero gradient of a value typed `number[]`: generated code knows the type, so no walk over
 * the elements (a not-yet-assigned `let xs!: number[]` is still undefined: zeroLike's answer).
 */
export function zeroNumbers(xs: number[]): number[] {
  return Array.isArray(xs) ? numberZeros(xs.length) : (zero(xs) as number[]);
}

function zero(x: unknown): unknown {
  switch (kindOf(x)) {
    case NUMBER:
      return 0;
    case F64:
      return new Float64Array((x as Float64Array).length);
    case F32:
      return new Float32Array((x as Float32Array).length);
    case ARRAY: {
      const xs = x as unknown[];
      if (xs.length > 0 && xs.every((v) => typeof v === "number")) return numberZeros(xs.length);
      const out: unknown[] = [];
      for (let i = 0; i < xs.length; i++) out.push(zero(xs[i]));
      return out;
    }
    case CUSTOM:
      return backpropOf(x as object)!.zero(x);
    case RECORD: {
      const r = x as Rec;
      const out: Rec = {};
      let any = false;
      const keys = Object.keys(r);
      for (const k of keys) {
        // a field holding undefined may be a number that is not there (`{ s: ws[0] }` with ws = []):
        // its zero is 0, so the adjoint has a number to add into (`dr.s += g`)
        const z = r[k] === undefined ? 0 : zero(r[k]);
        if (z !== undefined) {
          out[k] = z;
          any = true;
        }
      }
      // no field carries numbers → no gradient; but an empty plain object ({} or an empty
      // dictionary) stays an object, as its type says
      return any || (keys.length === 0 && isPlain(r)) ? out : undefined;
    }
    default:
      return undefined;
  }
}

/** kindOf, with values that carry no numbers read as the free zero */
function gradKind(x: unknown) {
  const k = kindOf(x);
  return k === INERT ? FREE : k;
}

function customOf(a: unknown, b: unknown): Backprop<any> {
  return (typeof a === "object" && a !== null && backpropOf(a)) || backpropOf(b as object)!;
}

function add(a: unknown, b: unknown): unknown {
  if (typeof a === "number" && typeof b === "number") return a + b;
  const ka = gradKind(a);
  const kb = gradKind(b);
  if (kb === FREE) return ka === FREE ? undefined : a;
  if (ka === FREE) return b;
  if (ka === CUSTOM || kb === CUSTOM) return customOf(a, b).add(a, b);
  if (ka !== kb) throw new Mismatch(a, b);
  switch (ka) {
    case F64:
    case F32: {
      const x = a as Float64Array, y = b as Float64Array;
      if (x.length !== y.length) throw new Mismatch(a, b);
      const out = ka === F64 ? new Float64Array(x.length) : new Float32Array(x.length);
      for (let i = 0; i < x.length; i++) out[i] = x[i]! + y[i]!;
      return out;
    }
    case ARRAY: {
      const x = a as unknown[], y = b as unknown[];
      if (x.length !== y.length) throw new Mismatch(a, b);
      const out: unknown[] = [];
      let i = 0;
      try {
        for (; i < x.length; i++) out.push(add(x[i], y[i]));
      } catch (e) {
        throw within(e, `[${i}]`);
      }
      return out;
    }
    default: { // RECORD
      const x = a as Rec, y = b as Rec;
      const out: Rec = {};
      let k = "";
      try {
        for (k of Object.keys(x)) {
          const s = hasOwn.call(y, k) ? add(x[k], y[k]) : gradOrUndefined(x[k]);
          if (s !== undefined) out[k] = s;
        }
        for (k of Object.keys(y)) {
          if (hasOwn.call(x, k)) continue;
          const s = gradOrUndefined(y[k]);
          if (s !== undefined) out[k] = s;
        }
      } catch (e) {
        throw within(e, `.${k}`);
      }
      return out;
    }
  }
}

function gradOrUndefined(x: unknown): unknown {
  return gradKind(x) === FREE ? undefined : x;
}

function into(acc: unknown, g: unknown): unknown {
  if (typeof acc === "number" && typeof g === "number") return acc + g;
  const kg = gradKind(g);
  if (kg === FREE) return gradKind(acc) === FREE ? undefined : acc;
  const ka = gradKind(acc);
  if (ka === FREE) return copy(g);
  if (ka === CUSTOM || kg === CUSTOM) return customOf(acc, g).add(acc, g);
  if (ka !== kg) throw new Mismatch(acc, g);
  switch (ka) {
    case F64:
    case F32: {
      const x = acc as Float64Array, y = g as Float64Array;
      if (x.length !== y.length) throw new Mismatch(acc, g);
      for (let i = 0; i < x.length; i++) x[i]! += y[i]!;
      return acc;
    }
    case ARRAY: {
      const x = acc as unknown[], y = g as unknown[];
      if (x.length !== y.length) throw new Mismatch(acc, g);
      let i = 0;
      try {
        for (; i < x.length; i++) {
          const p = x[i], q = y[i];
          x[i] = typeof p === "number" && typeof q === "number" ? p + q : into(p, q);
        }
      } catch (e) {
        throw within(e, `[${i}]`);
      }
      return acc;
    }
    default: { // RECORD
      const x = acc as Rec, y = g as Rec;
      let k = "";
      try {
        for (k of Object.keys(y)) {
          const q = y[k];
          if (gradKind(q) === FREE) continue;
          x[k] = hasOwn.call(x, k) ? into(x[k], q) : copy(q);
        }
      } catch (e) {
        throw within(e, `.${k}`);
      }
      return acc;
    }
  }
}

/** A deep copy of a gradient that addInto may later mutate (Backprop values are immutable by contract). */
function copy(g: unknown): unknown {
  switch (gradKind(g)) {
    case NUMBER:
    case CUSTOM:
      return g;
    case F64:
    case F32:
      return (g as Float64Array).slice();
    case ARRAY: {
      const ys = g as unknown[];
      const out: unknown[] = [];
      for (let i = 0; i < ys.length; i++) out.push(copy(ys[i]));
      return out;
    }
    case RECORD: {
      const y = g as Rec;
      const out: Rec = {};
      for (const k of Object.keys(y)) {
        const c = copy(y[k]);
        if (c !== undefined) out[k] = c;
      }
      return out;
    }
    default:
      return undefined;
  }
}

/** Internal: two gradients of different shapes met; `path` says where, from the top. */
class Mismatch {
  path = "";
  constructor(readonly a: unknown, readonly b: unknown) {}
}

function within(e: unknown, step: string): unknown {
  if (e instanceof Mismatch) e.path = step + e.path;
  return e;
}

function mismatchError(m: Mismatch): Error {
  const where = m.path ? ` (at ${m.path})` : "";
  return new Error(
    `backprop-ts: cannot add gradients of different shapes: ${describeShape(m.a)} and ${describeShape(m.b)}${where}`,
  );
}
