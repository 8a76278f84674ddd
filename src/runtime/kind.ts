// One classification of run-time values, shared by the zero/add helpers and the shape checks so
// they agree on what carries a gradient.
import { backpropOf } from "./backprop.js";

/** undefined or null: the free zero, "no gradient yet". */
export const FREE = 0;
export const NUMBER = 1;
export const F64 = 2;
export const F32 = 3;
export const ARRAY = 4;
/** instance of a class with a Backprop */
export const CUSTOM = 5;
/** plain object or class instance without a Backprop: handled field by field */
export const RECORD = 6;
/** carries no numbers: string, boolean, function, symbol, bigint, integer typed arrays, Map, Date, … */
export const INERT = 7;

export type Kind = typeof FREE | typeof NUMBER | typeof F64 | typeof F32 | typeof ARRAY | typeof CUSTOM | typeof RECORD | typeof INERT;

export function kindOf(x: unknown): Kind {
  if (typeof x === "number") return NUMBER;
  if (x === undefined || x === null) return FREE;
  if (typeof x !== "object") return INERT;
  if (Array.isArray(x)) return ARRAY;
  if (x instanceof Float64Array) return F64;
  if (x instanceof Float32Array) return F32;
  const proto = Object.getPrototypeOf(x);
  if (proto === Object.prototype || proto === null) return RECORD;
  if (ArrayBuffer.isView(x) || x instanceof ArrayBuffer) return INERT;
  if (backpropOf(x)) return CUSTOM;
  if (isBuiltinInert(x)) return INERT;
  return RECORD;
}

function isBuiltinInert(x: object): boolean {
  return (
    x instanceof Map || x instanceof Set || x instanceof WeakMap || x instanceof WeakSet ||
    x instanceof Date || x instanceof RegExp || x instanceof Promise
  );
}

/** True for a plain `{}` record (not a class instance). */
export function isPlain(x: object): boolean {
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}
