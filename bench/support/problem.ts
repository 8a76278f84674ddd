// What a benchmark problem exports: its inputs at a given size and one runner per implementation.
// Every gradient runner returns the gradient in the shape `grad` gives (peers: one flat typed array
// per differentiated argument, in the same order), so `flatten` lines them up for comparison.
import type { Jax, Tfjs } from "./peers.js";

export type { Jax, Tfjs };
export type Runner = () => unknown;

export interface Instance {
  /** row label, e.g. "rosenbrock n=1e3" */
  label: string;
  /** the function the user wrote, on these inputs */
  objective: () => number;
  /** `grad(objective)` as the transformer generated it; undefined when the site was not transformed */
  generated: Runner | undefined;
  /** gradient derived and written by hand (bench/hand/) */
  hand: Runner;
  /** runtime scalar tape (bench/tape/) */
  tape: Runner;
  /** TensorFlow.js (CPU backend), given the loaded module; float32 */
  tfjs?: (tf: Tfjs) => Runner;
  /** jax-js `jit(grad(f))` on the wasm backend, given the loaded (initialised) module; float64 */
  jax?: (jax: Jax) => Runner;
  /** the differentiated arguments, in order (the finite-difference check perturbs them in place) */
  wrt: unknown[];
}

export interface Problem {
  name: string;
  /** problem sizes to run, each its own table row */
  sizes: number[];
  setup(size: number): Instance;
}

/** Every number in a gradient-shaped value, depth first (arrays in order, record keys sorted). */
export function flatten(value: unknown, out: number[] = []): number[] {
  if (typeof value === "number") out.push(value);
  else if (ArrayBuffer.isView(value)) {
    const a = value as unknown as ArrayLike<number>;
    for (let i = 0; i < a.length; i++) out.push(Number(a[i]));
  } else if (Array.isArray(value)) for (const v of value) flatten(v, out);
  else if (value && typeof value === "object") {
    const rec = value as Record<string, unknown>;
    for (const k of Object.keys(rec).sort()) flatten(rec[k], out);
  }
  return out;
}

/** Visit every number slot of the differentiated inputs, in `flatten` order, as get/set pairs. */
export function slots(value: unknown, out: { get(): number; set(v: number): void }[] = []): typeof out {
  if (ArrayBuffer.isView(value) || Array.isArray(value)) {
    const a = value as unknown as number[];
    for (let i = 0; i < a.length; i++) {
      if (typeof a[i] === "number") out.push({ get: () => a[i]!, set: (v) => (a[i] = v) });
      else slots(a[i], out);
    }
  } else if (value && typeof value === "object") {
    const rec = value as Record<string, unknown>;
    for (const k of Object.keys(rec).sort()) {
      if (typeof rec[k] === "number") out.push({ get: () => rec[k] as number, set: (v) => (rec[k] = v) });
      else slots(rec[k], out);
    }
  }
  return out;
}

/** One number out of a result, cheaply (folded into the checksum so no result is dead code). */
export function pick(value: unknown): number {
  for (let v = value, depth = 0; depth < 8; depth++) {
    if (typeof v === "number") return v;
    if (ArrayBuffer.isView(v)) return Number((v as unknown as ArrayLike<number>)[0] ?? 0);
    if (Array.isArray(v)) v = v[v.length - 1];
    else if (v && typeof v === "object") v = Object.values(v)[0];
    else return 0;
  }
  return 0;
}
