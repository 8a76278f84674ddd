// Human-readable shapes for error messages, and the cotangent check generated code runs on values
// that come from user code (pullbacks of withGradient rules, vjp cotangents).
// Notation: `number[3]` is an array of 3 numbers; dimensions read in indexing order, so `m[i][j]`
// of `number[2][3]` has i < 2, j < 3; mixed arrays print as tuples: `[number, undefined]`.
import { ARRAY, CUSTOM, F32, F64, FREE, INERT, NUMBER, RECORD, isPlain, kindOf } from "./kind.js";

const MAX_ITEMS = 8;

/** The shape of any value, e.g. `number`, `number[3]`, `Float64Array[3]`, `{ w: number[2], b: number }`. */
export function describeShape(x: unknown): string {
  return describe(x, false) ?? "undefined";
}

/** The shape of the gradient of `value` (fields that carry no numbers left out). */
export function describeGradShape(value: unknown): string {
  return describe(value, true) ?? "undefined";
}

/**
 * Throws when `grad` cannot be the gradient (or cotangent) of `value`. `what` names it, e.g.
 * "pullback of 'f': cotangent for argument 1". undefined/null is always accepted (the free zero);
 * a gradient for a value that carries no numbers is ignored, so it is accepted too.
 */
export function checkShape(value: unknown, grad: unknown, what: string): void {
  if (!fits(value, grad)) {
    throw new Error(`backprop-ts: ${what} has shape ${describeShape(grad)}, expected ${describeGradShape(value)}`);
  }
}

function fits(value: unknown, grad: unknown): boolean {
  if (grad === undefined || grad === null) return true;
  switch (kindOf(value)) {
    case NUMBER:
      return typeof grad === "number";
    case F64:
      return grad instanceof Float64Array && grad.length === (value as Float64Array).length;
    case F32:
      return grad instanceof Float32Array && grad.length === (value as Float32Array).length;
    case ARRAY: {
      const v = value as unknown[];
      if (!Array.isArray(grad) || grad.length !== v.length) return false;
      for (let i = 0; i < v.length; i++) if (!fits(v[i], grad[i])) return false;
      return true;
    }
    case CUSTOM:
      // the class's Backprop owns the inner layout; only a non-object is certainly wrong
      return typeof grad === "object";
    case RECORD: {
      const gk = kindOf(grad);
      if (gk !== RECORD && gk !== CUSTOM) return false;
      const v = value as Record<string, unknown>;
      for (const k of Object.keys(grad)) {
        const g = (grad as Record<string, unknown>)[k];
        if (g === undefined) continue;
        if (!Object.prototype.hasOwnProperty.call(v, k) || !fits(v[k], g)) return false;
      }
      return true;
    }
    default: // FREE, INERT: carries no numbers, any gradient is ignored
      return true;
  }
}

/** Shape as base type plus array dimensions, so nested homogeneous arrays print as `number[2][3]`. */
interface Parts {
  base: string;
  dims: number[];
}

function describe(x: unknown, asGrad: boolean): string | undefined {
  const p = parts(x, asGrad);
  return p && p.base + p.dims.map((d) => `[${d}]`).join("");
}

// undefined result = "no gradient" in asGrad mode
function parts(x: unknown, asGrad: boolean): Parts | undefined {
  switch (kindOf(x)) {
    case NUMBER:
      return { base: "number", dims: [] };
    case FREE:
      return asGrad ? undefined : { base: x === null ? "null" : "undefined", dims: [] };
    case F64:
      return { base: "Float64Array", dims: [(x as Float64Array).length] };
    case F32:
      return { base: "Float32Array", dims: [(x as Float32Array).length] };
    case ARRAY:
      return arrayParts(x as unknown[], asGrad);
    case CUSTOM:
      return { base: className(x as object), dims: [] };
    case RECORD:
      return recordParts(x as Record<string, unknown>, asGrad);
    case INERT:
    default:
      if (asGrad) return undefined;
      return { base: typeof x === "object" ? className(x as object) : typeof x, dims: [] };
  }
}

function arrayParts(xs: unknown[], asGrad: boolean): Parts {
  if (xs.length === 0) return { base: "[]", dims: [] };
  const items = Array.from(xs, (x) => describe(x, asGrad) ?? "undefined");
  const first = parts(xs[0], asGrad);
  if (first && items.every((s) => s === items[0])) return { base: first.base, dims: [xs.length, ...first.dims] };
  if (!first && items.every((s) => s === "undefined")) return { base: "undefined", dims: [xs.length] };
  const shown = items.slice(0, MAX_ITEMS);
  if (items.length > MAX_ITEMS) shown.push(`… ${items.length - MAX_ITEMS} more`);
  return { base: `[${shown.join(", ")}]`, dims: [] };
}

function recordParts(x: Record<string, unknown>, asGrad: boolean): Parts | undefined {
  const keys = Object.keys(x);
  const fields: string[] = [];
  for (const k of keys) {
    // mirrors zeroLike: an undefined field's gradient is a number
    const s = asGrad && x[k] === undefined ? "number" : describe(x[k], asGrad);
    if (s !== undefined) fields.push(`${k}: ${s}`);
  }
  // mirrors zeroLike: a record whose fields carry no numbers has no gradient (an empty plain one does)
  if (asGrad && fields.length === 0 && !(isPlain(x) && keys.length === 0)) return undefined;
  if (fields.length > MAX_ITEMS) fields.splice(MAX_ITEMS, fields.length - MAX_ITEMS, "…");
  const body = fields.length === 0 ? "{}" : `{ ${fields.join(", ")} }`;
  return { base: isPlain(x) ? body : `${className(x)} ${body}`, dims: [] };
}

function className(x: object): string {
  const ctor = (x as { constructor?: { name?: unknown } }).constructor;
  return typeof ctor?.name === "string" && ctor.name ? ctor.name : "object";
}

