// Gradient-descent optimizers over heterogeneous parameter trees: SGD, momentum, Adam.
//
//   const opt = adam({ lr: 1e-3 });
//   for (…) params = opt.step(params, grad(loss, 0)(params, batch));
//
// `step` updates the parameters IN PLACE — every number inside an array, typed array, record or
// class instance is overwritten where it is — and returns the same tree. A bare number has no
// place to be written to, so `step(3, g)` returns the new number: always use the return value
// (`params = opt.step(params, g)`) and the code works for every kind of parameter.
//
// An optimizer keeps per-number state (velocities, moments) shaped like the parameters, made on the
// first step. The tree's shape must stay the same from step to step (a changed length throws).
// Gradients may hold undefined (the free zero of `grad`'s results) where nothing flowed: it counts
// as a zero gradient.
import type { Grad } from "../types.js";
import { ARRAY, CUSTOM, F32, F64, NUMBER, RECORD, kindOf } from "../kind.js";

type Vec = number[] | Float64Array | Float32Array;
type Rec = Record<string, unknown>;

/** A learning rate, or a schedule giving it for step t = 1, 2, … */
export type LearningRate = number | ((t: number) => number);

export interface Optimizer {
  /** Updates `params` in place with `grads` (shaped like `params`, as `grad` returns) and returns it. */
  step<T>(params: T, grads: Grad<T>): T;
  /** Steps taken so far. */
  readonly t: number;
  /** Forgets the state (velocities, moments, step count). */
  reset(): void;
}

export interface SgdOptions {
  lr: LearningRate;
  /** L2 penalty added to the gradient: g + weightDecay · p (default 0). */
  weightDecay?: number;
}

export interface MomentumOptions extends SgdOptions {
  /** Velocity decay (default 0.9). */
  beta?: number;
  /** Nesterov's look-ahead form (default false). */
  nesterov?: boolean;
}

export interface AdamOptions {
  /** default 1e-3 */
  lr?: LearningRate;
  /** default 0.9 */
  beta1?: number;
  /** default 0.999 */
  beta2?: number;
  /** default 1e-8 */
  eps?: number;
  /** decoupled weight decay, as AdamW: p -= lr · weightDecay · p (default 0) */
  weightDecay?: number;
}

/**
 * The update of one numeric leaf (an array of numbers or a typed array; a lone number arrives as a
 * Float64Array of length 1): `p` and its gradient `g`, and `state`, the optimizer's slots for it.
 */
type Kernel = (p: Vec, g: ArrayLike<number>, state: Float64Array[], lr: number, t: number) => void;

/** Plain gradient descent: p -= lr · (g + weightDecay · p). */
export function sgd(options: SgdOptions): Optimizer {
  const wd = options.weightDecay ?? 0;
  return makeOptimizer(options.lr, 0, (p, g, _s, lr) => {
    for (let i = 0; i < p.length; i++) p[i] = p[i]! - lr * (g[i]! + wd * p[i]!);
  });
}

/** Gradient descent with momentum: v = beta · v + g; p -= lr · v (Nesterov: p -= lr · (g + beta · v)). */
export function momentum(options: MomentumOptions): Optimizer {
  const wd = options.weightDecay ?? 0;
  const beta = options.beta ?? 0.9;
  const nesterov = options.nesterov ?? false;
  return makeOptimizer(options.lr, 1, (p, g, [v], lr) => {
    for (let i = 0; i < p.length; i++) {
      const gi = g[i]! + wd * p[i]!;
      const vi = beta * v![i]! + gi;
      v![i] = vi;
      p[i] = p[i]! - lr * (nesterov ? gi + beta * vi : vi);
    }
  });
}

/** Adam (Kingma & Ba 2015), with bias correction; `weightDecay` makes it AdamW. */
export function adam(options: AdamOptions = {}): Optimizer {
  const b1 = options.beta1 ?? 0.9;
  const b2 = options.beta2 ?? 0.999;
  const eps = options.eps ?? 1e-8;
  const wd = options.weightDecay ?? 0;
  return makeOptimizer(options.lr ?? 1e-3, 2, (p, g, [m, v], lr, t) => {
    const c1 = 1 / (1 - b1 ** t);
    const c2 = 1 / (1 - b2 ** t);
    for (let i = 0; i < p.length; i++) {
      const gi = g[i]!;
      const mi = b1 * m![i]! + (1 - b1) * gi;
      const vi = b2 * v![i]! + (1 - b2) * gi * gi;
      m![i] = mi;
      v![i] = vi;
      p[i] = p[i]! - lr * ((mi * c1) / (Math.sqrt(vi * c2) + eps) + wd * p[i]!);
    }
  });
}

// ── The driver: walks parameters, gradients and state together ─────────────────────────────────

/** State of a numeric leaf: one Float64Array per slot. */
class Leaf {
  constructor(readonly slots: Float64Array[]) {}
}
/** State of an array that holds more than numbers, or of a record / class instance. */
class Node {
  constructor(readonly kids: Map<string | number, State>) {}
}
type State = Leaf | Node | undefined;

function makeOptimizer(lr: LearningRate, slots: number, kernel: Kernel): Optimizer {
  let state: State;
  let t = 0;
  const one = new Float64Array(1);
  const gOne = new Float64Array(1);
  let zeros = new Float64Array(0);
  const zerosOf = (n: number) => (zeros.length >= n ? zeros : (zeros = new Float64Array(n)));
  const newLeaf = (n: number) => new Leaf(Array.from({ length: slots }, () => new Float64Array(n)));

  /** Updates p (returns the new value for a number), with the state at this place. */
  function visit(p: unknown, g: unknown, s: State, rate: number, path: string): { value: unknown; state: State } {
    const kind = kindOf(p);
    switch (kind) {
      case NUMBER: {
        const leaf = s instanceof Leaf ? s : newLeaf(1);
        if (g !== undefined && g !== null && typeof g !== "number") throw mismatch(path, "a number", g);
        one[0] = p as number;
        gOne[0] = typeof g === "number" ? g : 0;
        kernel(one, gOne, leaf.slots, rate, t);
        return { value: one[0], state: leaf };
      }
      case F64:
      case F32:
        return { value: p, state: vector(p as Vec, g, s, rate, path) };
      case ARRAY: {
        const a = p as unknown[];
        if (isNumbers(a)) return { value: p, state: vector(a as number[], g, s, rate, path) };
        const ga = gradArray(g, a.length, path);
        const node = s instanceof Node ? s : new Node(new Map());
        for (let i = 0; i < a.length; i++) {
          const r = visit(a[i], ga?.[i], node.kids.get(i), rate, `${path}[${i}]`);
          if (r.state) node.kids.set(i, r.state);
          if (r.value !== a[i]) a[i] = r.value;
        }
        return { value: p, state: node };
      }
      case RECORD:
      case CUSTOM: {
        const o = p as Rec;
        if (g !== undefined && g !== null && typeof g !== "object") throw mismatch(path, "an object", g);
        const go = g as Rec | undefined | null;
        const node = s instanceof Node ? s : new Node(new Map());
        for (const k of Object.keys(o)) {
          const r = visit(o[k], go?.[k], node.kids.get(k), rate, `${path}.${k}`);
          if (r.state) node.kids.set(k, r.state);
          if (r.value !== o[k]) o[k] = r.value;
        }
        return { value: p, state: node };
      }
      default: // no numbers: nothing to update
        return { value: p, state: undefined };
    }
  }

  function vector(p: Vec, g: unknown, s: State, rate: number, path: string): Leaf {
    const n = p.length;
    let leaf: Leaf;
    if (s instanceof Leaf) {
      if (s.slots.length && s.slots[0]!.length !== n) {
        throw new Error(`backprop-ts/train: parameter ${path || "(root)"} changed length from ${s.slots[0]!.length} to ${n} between steps`);
      }
      leaf = s;
    } else {
      leaf = newLeaf(n);
    }
    let gv: ArrayLike<number>;
    if (g === undefined || g === null) gv = zerosOf(n);
    else if ((Array.isArray(g) || g instanceof Float64Array || g instanceof Float32Array) && g.length === n) {
      gv = g as ArrayLike<number>;
      if (Array.isArray(g) && !isNumbers(g)) gv = (g as unknown[]).map((v) => (typeof v === "number" ? v : 0));
    } else throw mismatch(path, `${n} numbers`, g);
    kernel(p, gv, leaf.slots, rate, t);
    return leaf;
  }

  return {
    step<T>(params: T, grads: Grad<T>): T {
      t++;
      const rate = typeof lr === "function" ? lr(t) : lr;
      const r = visit(params, grads, state, rate, "");
      state = r.state;
      return r.value as T;
    },
    get t() {
      return t;
    },
    reset() {
      state = undefined;
      t = 0;
    },
  };
}

function isNumbers(a: unknown[]): boolean {
  for (let i = 0; i < a.length; i++) if (typeof a[i] !== "number") return false;
  return true;
}

function gradArray(g: unknown, n: number, path: string): unknown[] | undefined {
  if (g === undefined || g === null) return undefined;
  if (!Array.isArray(g) || g.length !== n) throw mismatch(path, `an array of ${n}`, g);
  return g;
}

function mismatch(path: string, expected: string, g: unknown): Error {
  const got = Array.isArray(g) ? `an array of ${g.length}` : g instanceof Float64Array || g instanceof Float32Array ? `${g.constructor.name}(${g.length})` : typeof g;
  return new Error(`backprop-ts/train: gradient at ${path || "(root)"} should be ${expected}, got ${got}`);
}
