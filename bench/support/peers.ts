// The slices of the TensorFlow.js and jax-js APIs the benchmark uses, typed structurally.
// bench/ is inside the root tsconfig.json, whose Program Vitest's backprop plugin and
// `npm run typecheck` build: importing the libraries' own typings (≈800 .d.ts files) would slow
// every test run by seconds. These interfaces keep the peer code checked without that cost.

/** A tf.Tensor (float32 on the CPU backend). */
export interface TfTensor {
  readonly shape: number[];
  add(b: TfTensor | number): TfTensor;
  sub(b: TfTensor | number): TfTensor;
  mul(b: TfTensor | number): TfTensor;
  div(b: TfTensor | number): TfTensor;
  neg(): TfTensor;
  square(): TfTensor;
  sum(axis?: number): TfTensor;
  mean(axis?: number): TfTensor;
  slice(begin: number | number[], size?: number | number[]): TfTensor;
  reshape(shape: number[]): TfTensor;
  matMul(b: TfTensor, transposeA?: boolean, transposeB?: boolean): TfTensor;
  dataSync(): Float32Array;
  dispose(): void;
}

type TfData = number[] | number[][] | Float32Array | Int32Array;

/** The `@tensorflow/tfjs` module. */
export interface Tfjs {
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  scalar(v: number): TfTensor;
  tensor1d(v: TfData, dtype?: "float32" | "int32"): TfTensor;
  tensor2d(v: TfData, shape?: [number, number]): TfTensor;
  zeros(shape: number[]): TfTensor;
  tidy<T>(fn: () => T): T;
  grad(f: (x: TfTensor) => TfTensor): (x: TfTensor) => TfTensor;
  grads(f: (...args: TfTensor[]) => TfTensor): (args: TfTensor[]) => TfTensor[];
  sigmoid(x: TfTensor): TfTensor;
  tanh(x: TfTensor): TfTensor;
  log(x: TfTensor): TfTensor;
  logSumExp(x: TfTensor, axis?: number): TfTensor;
  oneHot(indices: TfTensor, depth: number): TfTensor;
  concat(xs: TfTensor[], axis?: number): TfTensor;
}

/** A jax-js Array. Reference counted: every use consumes one reference; `.ref` adds one. */
export interface JaxArray {
  readonly ref: JaxArray;
  readonly shape: number[];
  add(b: JaxArray | number): JaxArray;
  sub(b: JaxArray | number): JaxArray;
  mul(b: JaxArray | number): JaxArray;
  div(b: JaxArray | number): JaxArray;
  sum(axis?: number): JaxArray;
  mean(axis?: number): JaxArray;
  slice(...index: (number | [] | [number] | [number, number] | null)[]): JaxArray;
  reshape(shape: number[]): JaxArray;
  transpose(): JaxArray;
  dataSync(): Float32Array | Float64Array;
  dispose(): void;
}

type JaxDtype = { readonly __jaxDtype?: never } | string;

/** The `@jax-js/jax` module. */
export interface Jax {
  init(...devices: string[]): Promise<string[]>;
  defaultDevice(device: string): void;
  // jit/grad are generic over pytrees; the problems declare the shape of their arguments.
  jit<F extends (...args: never[]) => unknown>(f: F): F;
  grad<A extends unknown[], G>(f: (first: G, ...rest: A) => JaxArray): (first: G, ...rest: A) => { [K in keyof G]: JaxArray };
  numpy: {
    float64: JaxDtype;
    array(data: Float64Array | number[], opts?: { dtype?: JaxDtype }): JaxArray;
    zeros(shape: number[], opts?: { dtype?: JaxDtype }): JaxArray;
    matmul(a: JaxArray, b: JaxArray): JaxArray;
    tanh(x: JaxArray): JaxArray;
    exp(x: JaxArray): JaxArray;
    log(x: JaxArray): JaxArray;
    subtract(a: JaxArray | number, b: JaxArray | number): JaxArray;
    divide(a: JaxArray | number, b: JaxArray | number): JaxArray;
    concatenate(xs: JaxArray[]): JaxArray;
  };
  nn: {
    logsumexp(x: JaxArray, axis?: number): JaxArray;
  };
}
