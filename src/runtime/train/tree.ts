// Functions over parameter trees: any value SPEC lets a gradient have — numbers, arrays (nested,
// any length), Float64Array/Float32Array, tuples, records, class instances — the same value kinds
// as `grad` (the classification is the runtime's own, kind.ts).
//
// Conventions, shared by every function here:
// - Every result is a new tree; inputs are never mutated. Containers are rebuilt (a class instance
//   keeps its prototype, so its methods still work); values that carry no numbers (strings,
//   booleans, functions, integer typed arrays, …) are kept as they are, by reference.
// - undefined/null inside a gradient is the free zero ("no gradient here"), as in `grad`'s results:
//   `addTree(a, undefined)` is a copy of `a`, `dotTree(a, undefined)` is 0.
// - Shapes must otherwise agree; a mismatch throws and names the path (`.layers[2].w`).
import { ARRAY, CUSTOM, F32, F64, FREE, INERT, NUMBER, RECORD, kindOf } from "../kind.js";

type Rec = Record<string, unknown>;

/** An empty array that V8 stores unboxed (doubles): pushing numbers keeps it fast. */
export function doubleArray(): number[] {
  const a = [0.5];
  a.pop();
  return a;
}

/** A new container shaped like `x` (same prototype for class instances). */
function blank(x: object): Rec {
  return Object.create(Object.getPrototypeOf(x)) as Rec;
}

/** A copy of `x` with `f` applied to every number in it (typed arrays element by element). */
export function mapTree<T>(x: T, f: (v: number) => number): T {
  return map(x, f) as T;
}

function map(x: unknown, f: (v: number) => number): unknown {
  switch (kindOf(x)) {
    case NUMBER:
      return f(x as number);
    case F64:
    case F32: {
      const a = x as Float64Array | Float32Array;
      const out = a instanceof Float64Array ? new Float64Array(a.length) : new Float32Array(a.length);
      for (let i = 0; i < a.length; i++) out[i] = f(a[i]!);
      return out;
    }
    case ARRAY: {
      const a = x as unknown[];
      const out: unknown[] = doubleArray();
      for (let i = 0; i < a.length; i++) {
        const v = a[i];
        out.push(typeof v === "number" ? f(v) : map(v, f));
      }
      return out;
    }
    case RECORD:
    case CUSTOM: {
      const r = x as Rec;
      const out = blank(r);
      for (const k of Object.keys(r)) out[k] = map(r[k], f);
      return out;
    }
    default: // FREE, INERT
      return x;
  }
}

/**
 * A tree shaped like `a` with `f(x, y)` for every pair of numbers at the same place in `a` and `b`.
 * Where `b` has undefined (the free zero), `f(x, 0)`.
 */
export function zipTree<T>(a: T, b: unknown, f: (x: number, y: number) => number): T {
  return zip(a, b, f, "") as T;
}

function zip(a: unknown, b: unknown, f: (x: number, y: number) => number, path: string): unknown {
  const kb = kindOf(b);
  if (kb === FREE || kb === INERT) return map(a, (x) => f(x, 0));
  const ka = kindOf(a);
  switch (ka) {
    case NUMBER:
      if (kb !== NUMBER) throw mismatch(a, b, path);
      return f(a as number, b as number);
    case F64:
    case F32: {
      const x = a as Float64Array | Float32Array, y = b as Float64Array | Float32Array;
      if ((kb !== F64 && kb !== F32 && kb !== ARRAY) || y.length !== x.length) throw mismatch(a, b, path);
      const out = x instanceof Float64Array ? new Float64Array(x.length) : new Float32Array(x.length);
      for (let i = 0; i < x.length; i++) out[i] = f(x[i]!, y[i]!);
      return out;
    }
    case ARRAY: {
      const x = a as unknown[], y = b as unknown[];
      if (kb !== ARRAY || y.length !== x.length) throw mismatch(a, b, path);
      const out: unknown[] = doubleArray();
      for (let i = 0; i < x.length; i++) {
        const p = x[i], q = y[i];
        out.push(typeof p === "number" && typeof q === "number" ? f(p, q) : zip(p, q, f, `${path}[${i}]`));
      }
      return out;
    }
    case RECORD:
    case CUSTOM: {
      if (kb !== RECORD && kb !== CUSTOM) throw mismatch(a, b, path);
      const x = a as Rec, y = b as Rec;
      const out = blank(x);
      for (const k of Object.keys(x)) out[k] = zip(x[k], y[k], f, `${path}.${k}`);
      return out;
    }
    case FREE:
      // a is the free zero: the result has b's shape
      return map(b, (v) => f(0, v));
    default: // INERT
      return a;
  }
}

/** `a + b`, number by number. undefined on either side is zero (so the result has the other's shape). */
export function addTree<T>(a: T, b: T | undefined): T {
  return zipTree(a, b, (x, y) => x + y);
}

/** `a - b`, number by number. */
export function subTree<T>(a: T, b: T | undefined): T {
  return zipTree(a, b, (x, y) => x - y);
}

/** `s · x`, number by number. */
export function scaleTree<T>(x: T, s: number): T {
  return mapTree(x, (v) => v * s);
}

/** A tree shaped like `x` with every number 0 (typed arrays zeroed; values without numbers kept). */
export function zerosLike<T>(x: T): T {
  return mapTree(x, () => 0);
}

/** A deep copy of every container and number in `x` (values without numbers are shared). */
export function cloneTree<T>(x: T): T {
  return mapTree(x, (v) => v);
}

/** Calls `f` on every number in `x`, in a fixed order (fields in key order, elements by index). */
export function forEachNumber(x: unknown, f: (v: number) => void): void {
  switch (kindOf(x)) {
    case NUMBER:
      f(x as number);
      return;
    case F64:
    case F32:
    case ARRAY: {
      const a = x as ArrayLike<unknown>;
      for (let i = 0; i < a.length; i++) {
        const v = a[i];
        if (typeof v === "number") f(v);
        else forEachNumber(v, f);
      }
      return;
    }
    case RECORD:
    case CUSTOM: {
      const r = x as Rec;
      for (const k of Object.keys(r)) forEachNumber(r[k], f);
      return;
    }
    default:
  }
}

/** How many numbers `x` holds (the parameter count of a model). */
export function countNumbers(x: unknown): number {
  let n = 0;
  forEachNumber(x, () => n++);
  return n;
}

/** Σ a·b over every pair of numbers at the same place (undefined on either side counts as zero). */
export function dotTree(a: unknown, b: unknown): number {
  let s = 0;
  zip(a, b, (x, y) => {
    s += x * y;
    return 0;
  }, "");
  return s;
}

/** The Euclidean norm of all the numbers in `x` together (the "global norm" of a gradient). */
export function normTree(x: unknown): number {
  let s = 0;
  forEachNumber(x, (v) => (s += v * v));
  return Math.sqrt(s);
}

/** `g` scaled down so its global norm is at most `maxNorm` (`g` itself, uncopied, if it already is). */
export function clipByNorm<T>(g: T, maxNorm: number): T {
  const n = normTree(g);
  return n > maxNorm ? scaleTree(g, maxNorm / n) : g;
}

/** The largest |v| over the numbers in `x` (0 for a tree without numbers). */
export function maxAbsTree(x: unknown): number {
  let m = 0;
  forEachNumber(x, (v) => (m = Math.max(m, Math.abs(v))));
  return m;
}

function mismatch(a: unknown, b: unknown, path: string): Error {
  return new Error(
    `backprop-ts/train: trees of different shapes${path ? ` at ${path}` : ""}: ${brief(a)} and ${brief(b)}`,
  );
}

function brief(x: unknown): string {
  switch (kindOf(x)) {
    case NUMBER:
      return "number";
    case F64:
      return `Float64Array(${(x as Float64Array).length})`;
    case F32:
      return `Float32Array(${(x as Float32Array).length})`;
    case ARRAY:
      return `array(${(x as unknown[]).length})`;
    case RECORD:
    case CUSTOM:
      return "object";
    default:
      return String(x);
  }
}
