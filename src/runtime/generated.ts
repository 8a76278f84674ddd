// Helpers that only generated code calls (not part of the user-facing API).
import { checkShape } from "./shape.js";

/** A deep copy of arrays, typed arrays and plain records, so a gradient call never mutates its inputs. */
export function cloneValue<T>(x: T): T {
  if (x === null || typeof x !== "object") return x;
  if (x instanceof Float64Array || x instanceof Float32Array) return x.slice() as T;
  if (Array.isArray(x)) return x.map(cloneValue) as T;
  const out = Object.create(Object.getPrototypeOf(x)) as Record<string, unknown>;
  for (const k of Object.keys(x)) out[k] = cloneValue((x as Record<string, unknown>)[k]);
  return out as T;
}

/** Checks what a withGradient rule's pullback returned: one gradient per argument, each shaped like it. */
export function ruleGradients(name: string, grads: unknown, args: unknown[]): unknown[] {
  if (!Array.isArray(grads)) throw new Error(`backprop-ts: the pullback of withGradient function '${name}' returned ${grads === null ? "null" : typeof grads}; it must return an array with one gradient per argument (${args.length}).`);
  if (grads.length !== args.length) throw new Error(`backprop-ts: the pullback of withGradient function '${name}' returned ${grads.length} gradient(s) for ${args.length} argument(s).`);
  for (let i = 0; i < args.length; i++) checkShape(args[i], grads[i], `the pullback of withGradient function '${name}': gradient for argument ${i}`);
  return grads;
}
