// Type-level gradients: what the editor shows at each grad/valueAndGrad/vjp call site.
// Mirrors the run-time rules of zeroLike (values.ts); keep the two in step.

type IsAny<T> = 0 extends 1 & T ? true : false;

/** Values that carry no numbers: their gradient is `undefined`. */
type Inert =
  | string | boolean | null | undefined | symbol | bigint
  | ((...args: any[]) => any) | (abstract new (...args: any[]) => any)
  | Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array
  | DataView | ArrayBuffer
  | ReadonlyMap<any, any> | ReadonlySet<any> | WeakMap<any, any> | WeakSet<any> | Date | RegExp | PromiseLike<any>;

/**
 * The gradient type of `T`: number → number; Float64Array/Float32Array → the same kind; tuples and
 * arrays element-wise (same length); records and class instances → an object with the fields that
 * carry numbers; anything carrying no numbers → undefined; unions distribute; any → any.
 */
export type Grad<T> = IsAny<T> extends true ? any : GradOf<T>;

// T is naked here so unions distribute
type GradOf<T> =
  T extends number ? number
  // same buffer type argument, so Grad<Float64Array<ArrayBuffer>> is what `new Float64Array(n)` gives
  : T extends Float64Array<infer B> ? Float64Array<B>
  : T extends Float32Array<infer B> ? Float32Array<B>
  : T extends Inert ? undefined
  : T extends readonly unknown[] ? { -readonly [K in keyof T]: Grad<T[K]> }
  // inline (not an alias) so the editor shows the object type itself; no numeric field → undefined
  : T extends object ? [NumericKeys<T>] extends [never] ? undefined
    : { -readonly [K in keyof T as K extends NumericKeys<T> ? K : never]: Grad<T[K]> }
  : undefined;

/**
 * Whether a field keeps its place in a record's gradient. Shallow on purpose: a field is dropped
 * only if its own type carries no numbers (string, boolean, function, …); a nested record is kept
 * even if it has no numbers (its gradient type is then `undefined`). Looking deeper made TypeScript
 * give up ("excessively deep") when relating Grad<A> to Grad<B> for generic A, B, which it does for
 * any user type alias mentioning Grad.
 */
type CarriesNumbers<T> = IsAny<T> extends true ? true : true extends Carries<T> ? true : false;

// T naked: a union carries numbers if any member does
type Carries<T> = T extends Inert ? false : T extends object | number ? true : false;

/** Keys of a record whose values carry numbers (symbol keys never do: they are not enumerated). */
type NumericKeys<T> = {
  [K in keyof T]-?: K extends symbol ? never : CarriesNumbers<T[K]> extends true ? K : never;
}[keyof T];

/**
 * Gradients of every parameter, in order (labels kept, so the editor shows `[x: number, xs: number[]]`).
 * An optional or default parameter still has its slot (a zero when the argument is left out).
 */
export type GradsOf<P extends readonly unknown[]> = { -readonly [K in keyof P]-?: Grad<P[K]> };

/** Valid parameter indices of a parameter list `P` (0 | 1 | … for a fixed list). */
export type IndexOf<P extends readonly unknown[]> = number extends P["length"]
  ? number
  : { [K in keyof P]: K extends `${infer N extends number}` ? N : never }[number];

/** What `wrt` may be for a function with parameters `P`: one index, or a list of indices. */
export type WrtOf<P extends readonly unknown[]> = IndexOf<P> | readonly IndexOf<P>[];

type At<P, K> = K extends keyof P ? P[K] : undefined;

/**
 * What grad returns for parameters `P` and `wrt` W: one parameter and no wrt → its gradient;
 * no wrt → a tuple of all; an index → that gradient; a list of indices → a tuple of those.
 */
export type GradResult<P extends readonly unknown[], W = undefined> = Pick1<Required<P>, W>;

// P with optional (and default) parameters made required: `(x?: number)` declares one parameter
// whose gradient is a number (0 when the argument is left out), as the generated code returns.
type Pick1<P extends readonly unknown[], W> = [W] extends [undefined]
  ? P["length"] extends 1 ? Grad<P[0]> : GradsOf<P>
  : W extends number ? Grad<At<P, W>>
  : W extends readonly unknown[] ? { -readonly [I in keyof W]: Grad<At<P, W[I]>> }
  : never;

/** A custom derivative: `rule(...args)` returns the value and a pullback giving one gradient per argument. */
export type Rule<A extends unknown[] = any[], R = any> = (
  ...args: A
) => readonly [value: R, pullback: (dy: Grad<R>) => readonly unknown[]];
