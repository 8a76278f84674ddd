// Tapes for generated code: values and control decisions saved by the forward sweep and read back,
// last first, by the adjoint sweep. Typed arrays keep hot loops free of boxing and allocation
// (closures per operation are the 100x cliff DESIGN.md warns about); capacity doubles on overflow
// so the steady state allocates nothing.
import { emptyPop } from "./errors.js";

const INITIAL_CAPACITY = 64;
// Below this many elements a plain loop copies a typed array range faster than `set` through a
// subarray view (the view is an allocation, ~25 ns, more than copying 64 doubles one by one).
const VIEW_WORTHWHILE = 64;
// popView keeps a view (about 100 bytes) per saved range for reuse: for shorter ranges the copy
// is cheap and the views would hold more memory than the ranges themselves.
const SMALLEST_VIEW = 32;

/** Stack of numbers (saved values), backed by a growable Float64Array. */
export class F64Stack {
  private data: Float64Array;
  private top = 0;
  /** how many pushRange ranges are on the stack: the next one's slot in `views` */
  private ranges = 0;
  /** popView's views, by range slot: a gradient called again pushes the same ranges at the same places */
  private views: (Float64Array | undefined)[] = [];
  /** where each view starts in `data` (kept apart: reading a view's byteOffset or buffer is slow) */
  private viewStarts: number[] = [];

  constructor(capacity: number = INITIAL_CAPACITY) {
    this.data = new Float64Array(Math.max(1, capacity));
  }

  get length(): number {
    return this.top;
  }

  push(v: number): void {
    if (this.top === this.data.length) this.grow();
    this.data[this.top++] = v;
  }

  pop(): number {
    if (this.top === 0) emptyPop("F64Stack");
    return this.data[--this.top]!;
  }

  /**
   * Saves `arr[lo..hi)` (clamped to the array; bounds rounded up; NaN bounds save the whole array)
   * in one copy: the elements a loop with independent iterations is about to overwrite, restored by
   * `popRange` after its adjoint. Called once per pass of an outer loop, so its fixed cost counts:
   * a whole typed array is copied without a subarray view, a short range by a loop.
   */
  pushRange(arr: ArrayLike<number>, lo: number, hi: number): void {
    const length = arr.length;
    const from = lo > 0 ? Math.ceil(lo) : 0;
    const to = hi < length ? Math.ceil(hi) : length;
    const count = to > from ? to - from : 0;
    let top = this.top;
    while (top + count + 2 > this.data.length) this.grow();
    const data = this.data;
    if (ArrayBuffer.isView(arr) && (count === length || count > VIEW_WORTHWHILE)) {
      const typed = arr as Float64Array;
      data.set(count === length ? typed : typed.subarray(from, to), top);
    } else for (let k = 0; k < count; k++) data[top + k] = arr[from + k]!;
    top += count;
    data[top] = from;
    data[top + 1] = count;
    this.top = top + 2;
    if (this.ranges++ === this.views.length) { // kept dense
      this.views.push(undefined);
      this.viewStarts.push(-1);
    }
  }

  /** Writes back the elements the matching `pushRange` saved. */
  popRange(arr: { [k: number]: number; length: number }): void {
    let top = this.top;
    if (top < 2) emptyPop("F64Stack");
    const data = this.data;
    // `| 0`: both are array indices (below 2^31), and integer indexing is the fast path
    const count = data[top - 1]! | 0;
    const from = data[top - 2]! | 0;
    top -= count + 2;
    if (count > VIEW_WORTHWHILE && ArrayBuffer.isView(arr)) (arr as unknown as Float64Array).set(data.subarray(top, top + count), from);
    else for (let k = 0; k < count; k++) arr[from + k] = data[top + k]!;
    this.top = top;
    this.ranges--;
  }

  /**
   * Pops what `pushRange(arr, …)` saved without writing it back, when that was all of `arr` (of at
   * least SMALLEST_VIEW elements): the adjoint then reads the returned view of the saved elements
   * in place of `arr`, which keeps its later contents. A view is made once per range slot and
   * reused while the stack's buffer stays, so a gradient called in a loop allocates none. Any other
   * range is written back (popRange) and `arr` itself returned, after `current` (the view read so
   * far, or `arr`) is copied into it: either way, reading the result reads the saved values.
   */
  popView<A extends Float64Array | Float32Array>(arr: A, current: A | Float64Array): A | Float64Array {
    const top = this.top;
    if (top < 2) emptyPop("F64Stack");
    const data = this.data;
    const count = data[top - 1]! | 0;
    if ((data[top - 2]! | 0) !== 0 || count !== arr.length || count < SMALLEST_VIEW) {
      // the elements outside the range must be as the adjoint last read them
      if (current !== arr) arr.set(current);
      this.popRange(arr);
      return arr;
    }
    const start = top - count - 2;
    this.top = start;
    const slot = --this.ranges;
    let view = this.views[slot];
    if (view === undefined || this.viewStarts[slot] !== start || view.length !== count) {
      this.views[slot] = view = data.subarray(start, start + count);
      this.viewStarts[slot] = start;
    }
    return view;
  }

  clear(): void {
    this.top = 0;
    this.ranges = 0;
  }

  // Kept out of push so push stays small enough to inline.
  private grow(): void {
    const next = new Float64Array(this.data.length * 2);
    next.set(this.data);
    this.data = next;
    this.views.fill(undefined); // views of the old buffer would keep it alive
  }
}

/** Stack of small integers (loop counts, branch and exit ids), backed by a growable Int32Array. */
export class I32Stack {
  private data: Int32Array;
  private top = 0;

  constructor(capacity: number = INITIAL_CAPACITY) {
    this.data = new Int32Array(Math.max(1, capacity));
  }

  get length(): number {
    return this.top;
  }

  push(v: number): void {
    if (this.top === this.data.length) this.grow();
    this.data[this.top++] = v;
  }

  pop(): number {
    if (this.top === 0) emptyPop("I32Stack");
    return this.data[--this.top]!;
  }

  clear(): void {
    this.top = 0;
  }

  private grow(): void {
    const next = new Int32Array(this.data.length * 2);
    next.set(this.data);
    this.data = next;
  }
}

/** Stack of arbitrary values (saved objects, arrays, pullbacks), backed by a plain array. */
export class ObjStack<T> {
  private items: (T | undefined)[] = [];
  private top = 0;

  get length(): number {
    return this.top;
  }

  push(v: T): void {
    // Reuse slots left by earlier pops instead of growing, so the array stays dense.
    if (this.top === this.items.length) this.items.push(v);
    else this.items[this.top] = v;
    this.top++;
  }

  pop(): T {
    if (this.top === 0) emptyPop("ObjStack");
    const v = this.items[--this.top] as T;
    this.items[this.top] = undefined; // drop the reference so the GC can reclaim it
    return v;
  }

  clear(): void {
    this.items.length = 0;
    this.top = 0;
  }
}

// Generated code takes its stacks from these pools and gives them back when the call returns, so
// a gradient called in a training loop reuses grown buffers instead of reallocating them per call.
// A call that throws never gives its stacks back: they are simply dropped, the pools stay clean.
const POOL_LIMIT = 16;
const f64Pool: F64Stack[] = [];
const i32Pool: I32Stack[] = [];
const objPool: ObjStack<unknown>[] = [];

export function takeF64Stack(): F64Stack {
  return f64Pool.pop() ?? new F64Stack();
}
export function takeI32Stack(): I32Stack {
  return i32Pool.pop() ?? new I32Stack();
}
export function takeObjStack(): ObjStack<unknown> {
  return objPool.pop() ?? new ObjStack<unknown>();
}
/** Returns stacks to their pools (emptied; an ObjStack drops its references). */
export function releaseStacks(...stacks: (F64Stack | I32Stack | ObjStack<unknown>)[]): void {
  for (const s of stacks) {
    s.clear();
    const pool = (s instanceof F64Stack ? f64Pool : s instanceof I32Stack ? i32Pool : objPool) as unknown[];
    if (pool.length < POOL_LIMIT) pool.push(s);
  }
}
