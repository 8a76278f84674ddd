// Parameter initialisers. A shape lists dimensions in indexing order: [rows, cols] makes a matrix
// `w` with `w[i][j]`, i < rows, j < cols. Weight matrices follow the [out, in] convention
// (`y[i] = Σ_j w[i][j] · x[j]`), so fan-out is shape[0] and fan-in the product of the rest.
//
// Storage picks the innermost container: "array" (default) gives number[], number[][], …;
// "float64"/"float32" give typed arrays for the last dimension: [n] → Float64Array(n),
// [rows, cols] → Float64Array[] of rows. (For one flat row-major buffer pass [rows * cols] and the
// fans in `options`.)
import { doubleArray } from "./tree.js";
import type { Random } from "./random.js";

export type Storage = "array" | "float64" | "float32";

type LeafOf<K extends Storage> = K extends "float64" ? Float64Array : K extends "float32" ? Float32Array : number[];

/** The value made for shape S with storage K: number[] for [n], number[][] for [m, n], … */
export type Tensor<S extends readonly number[], K extends Storage = "array"> =
  S extends readonly [number] ? LeafOf<K>
  : S extends readonly [number, ...infer R extends readonly number[]] ? Tensor<R, K>[]
  : unknown;

/** A seeded generator (`new Random(seed)`) or any function giving numbers uniform in [0, 1). */
export type Source = Random | (() => number);

export interface FanOptions {
  /** override the fan-in (inputs per unit) read from the shape */
  fanIn?: number;
  /** override the fan-out read from the shape */
  fanOut?: number;
}

function next01(rng: Source): () => number {
  return typeof rng === "function" ? rng : () => rng.next();
}

/** A tensor of the given shape with every number from `fill()` (called in row-major order). */
export function tensor<const S extends readonly number[], K extends Storage = "array">(
  shape: S,
  fill: () => number,
  storage: K = "array" as K,
): Tensor<S, K> {
  if (shape.length === 0) throw new Error("backprop-ts/train: a shape needs at least one dimension");
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new Error(`backprop-ts/train: bad dimension ${d} in shape [${shape.join(", ")}]`);
  }
  return build(shape, 0, fill, storage) as Tensor<S, K>;
}

function build(shape: readonly number[], d: number, fill: () => number, storage: Storage): unknown {
  const n = shape[d]!;
  if (d === shape.length - 1) {
    if (storage === "array") {
      const out = doubleArray();
      for (let i = 0; i < n; i++) out.push(fill());
      return out;
    }
    const out = storage === "float64" ? new Float64Array(n) : new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = fill();
    return out;
  }
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) out.push(build(shape, d + 1, fill, storage));
  return out;
}

/** All zeros. */
export function zeros<const S extends readonly number[], K extends Storage = "array">(shape: S, storage?: K): Tensor<S, K> {
  return tensor(shape, () => 0, storage);
}

/** Uniform in [lo, hi). */
export function uniform<const S extends readonly number[], K extends Storage = "array">(
  rng: Source, shape: S, lo: number, hi: number, storage?: K,
): Tensor<S, K> {
  const u = next01(rng);
  return tensor(shape, () => lo + (hi - lo) * u(), storage);
}

/** Normal with the given mean and standard deviation (Box–Muller). */
export function normal<const S extends readonly number[], K extends Storage = "array">(
  rng: Source, shape: S, mean: number, std: number, storage?: K,
): Tensor<S, K> {
  const u = next01(rng);
  let spare: number | undefined;
  const gauss = () => {
    if (spare !== undefined) {
      const z = spare;
      spare = undefined;
      return z;
    }
    let a = 0;
    while (a === 0) a = u();
    const b = u();
    const r = Math.sqrt(-2 * Math.log(a));
    spare = r * Math.sin(2 * Math.PI * b);
    return r * Math.cos(2 * Math.PI * b);
  };
  return tensor(shape, () => mean + std * gauss(), storage);
}

/** Fan-in and fan-out of a weight of this shape ([out, in] convention). */
export function fans(shape: readonly number[], options: FanOptions = {}): { fanIn: number; fanOut: number } {
  const fanOut = options.fanOut ?? shape[0] ?? 1;
  const fanIn = options.fanIn ?? (shape.length === 1 ? shape[0]! : shape.slice(1).reduce((a, b) => a * b, 1));
  return { fanIn, fanOut };
}

/** Glorot/Xavier uniform: U(±√(6 / (fanIn + fanOut))), for tanh/sigmoid/linear layers. */
export function glorotUniform<const S extends readonly number[], K extends Storage = "array">(
  rng: Source, shape: S, storage?: K, options?: FanOptions,
): Tensor<S, K> {
  const { fanIn, fanOut } = fans(shape, options);
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return uniform(rng, shape, -limit, limit, storage);
}

/** He/Kaiming uniform: U(±√(6 / fanIn)), for ReLU layers. */
export function heUniform<const S extends readonly number[], K extends Storage = "array">(
  rng: Source, shape: S, storage?: K, options?: FanOptions,
): Tensor<S, K> {
  const { fanIn } = fans(shape, options);
  const limit = Math.sqrt(6 / fanIn);
  return uniform(rng, shape, -limit, limit, storage);
}

/** Glorot/Xavier normal: N(0, 2 / (fanIn + fanOut)). */
export function glorotNormal<const S extends readonly number[], K extends Storage = "array">(
  rng: Source, shape: S, storage?: K, options?: FanOptions,
): Tensor<S, K> {
  const { fanIn, fanOut } = fans(shape, options);
  return normal(rng, shape, 0, Math.sqrt(2 / (fanIn + fanOut)), storage);
}

/** He/Kaiming normal: N(0, 2 / fanIn). */
export function heNormal<const S extends readonly number[], K extends Storage = "array">(
  rng: Source, shape: S, storage?: K, options?: FanOptions,
): Tensor<S, K> {
  const { fanIn } = fans(shape, options);
  return normal(rng, shape, 0, Math.sqrt(2 / fanIn), storage);
}
