// What "backprop-ts" resolves to in the benchmark bundles: the real runtime, except that the
// stacks generated code takes (`$bp.takeF64Stack()`) can be swapped, after timing,
// for subclasses that record how many entries each stack held at most. Until `probeStacks(true)`
// the classes are the runtime's own, so the timed code is exactly what users run.
// (The runtime does not expose a high-water mark; this is the bench's own instrument.)
import * as rt from "../../src/runtime/index.js";

export * from "../../src/runtime/index.js";

export interface StackUse {
  kind: "f64" | "i32" | "obj";
  /** most entries held at once */
  maxEntries: number;
  /** bytes of the backing store at the end (typed arrays double on overflow) */
  capacityBytes: number;
}

let created: { kind: StackUse["kind"]; stack: { maxEntries: number; capacityBytes(): number } }[] = [];

class ProbeF64Stack extends rt.F64Stack {
  maxEntries = 0;
  constructor(capacity?: number) {
    super(capacity);
    created.push({ kind: "f64", stack: this });
  }
  override push(v: number): void {
    super.push(v);
    if (this.length > this.maxEntries) this.maxEntries = this.length;
  }
  override pushRange(arr: ArrayLike<number>, lo: number, hi: number): void {
    super.pushRange(arr, lo, hi);
    if (this.length > this.maxEntries) this.maxEntries = this.length;
  }
  capacityBytes(): number {
    return ((this as unknown as { data: Float64Array }).data?.length ?? 0) * 8;
  }
}

class ProbeI32Stack extends rt.I32Stack {
  maxEntries = 0;
  constructor(capacity?: number) {
    super(capacity);
    created.push({ kind: "i32", stack: this });
  }
  override push(v: number): void {
    super.push(v);
    if (this.length > this.maxEntries) this.maxEntries = this.length;
  }
  capacityBytes(): number {
    return ((this as unknown as { data: Int32Array }).data?.length ?? 0) * 4;
  }
}

class ProbeObjStack<T> extends rt.ObjStack<T> {
  maxEntries = 0;
  constructor() {
    super();
    created.push({ kind: "obj", stack: this });
  }
  override push(v: T): void {
    super.push(v);
    if (this.length > this.maxEntries) this.maxEntries = this.length;
  }
  capacityBytes(): number {
    return ((this as unknown as { items: unknown[] }).items?.length ?? 0) * 8;
  }
}

// eslint-disable-next-line prefer-const
export let F64Stack: typeof rt.F64Stack = rt.F64Stack;
// eslint-disable-next-line prefer-const
export let I32Stack: typeof rt.I32Stack = rt.I32Stack;
// eslint-disable-next-line prefer-const
export let ObjStack: typeof rt.ObjStack = rt.ObjStack;

// generated code takes its stacks from the runtime's pools: probing hands out fresh probes instead
// eslint-disable-next-line prefer-const
export let takeF64Stack: typeof rt.takeF64Stack = rt.takeF64Stack;
// eslint-disable-next-line prefer-const
export let takeI32Stack: typeof rt.takeI32Stack = rt.takeI32Stack;
// eslint-disable-next-line prefer-const
export let takeObjStack: typeof rt.takeObjStack = rt.takeObjStack;

/** Swap the instrumented stacks in (or out) for the next calls of generated code. */
export function probeStacks(on: boolean): void {
  F64Stack = on ? ProbeF64Stack : rt.F64Stack;
  I32Stack = on ? ProbeI32Stack : rt.I32Stack;
  ObjStack = on ? ProbeObjStack : rt.ObjStack;
  takeF64Stack = on ? () => new ProbeF64Stack() : rt.takeF64Stack;
  takeI32Stack = on ? () => new ProbeI32Stack() : rt.takeI32Stack;
  takeObjStack = on ? () => new ProbeObjStack<unknown>() : rt.takeObjStack;
  created = [];
}

/** Stacks created since the last `probeStacks`/`takeStackUse`, with what each held at most. */
export function takeStackUse(): StackUse[] {
  const out = created.map(({ kind, stack }) => ({ kind, maxEntries: stack.maxEntries, capacityBytes: stack.capacityBytes() }));
  created = [];
  return out;
}
