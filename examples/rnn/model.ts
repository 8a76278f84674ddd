// A recurrent network over sequences of different lengths: an Elman cell
//   h_t = tanh(Wx · x_t + Wh · h_{t-1} + bh),   ŷ_t = Wy · h_t + by
// unrolled over each sequence, learning to predict the next value of noisy sine waves whose
// frequency and phase it must infer from what it has seen. The parameters are a record of
// matrices and vectors; the loop over time has a different trip count for every sequence.
import { Random, adam, clipByNorm, glorotUniform, valueAndGrad, zeros } from "backprop-ts";

export interface Rnn {
  /** input → hidden, H×1 */
  wx: number[][];
  /** hidden → hidden, H×H */
  wh: number[][];
  bh: number[];
  /** hidden → output, 1×H */
  wy: number[][];
  by: number[];
}

export function initRnn(rng: Random, hidden: number): Rnn {
  return {
    wx: glorotUniform(rng, [hidden, 1]),
    wh: glorotUniform(rng, [hidden, hidden]),
    bh: zeros([hidden]),
    wy: glorotUniform(rng, [1, hidden]),
    by: zeros([1]),
  };
}

/** m · v for a matrix given as rows. */
function matVec(m: number[][], v: number[]): number[] {
  const out: number[] = [];
  for (const row of m) {
    let s = 0;
    for (let j = 0; j < v.length; j++) s += row[j] * v[j];
    out.push(s);
  }
  return out;
}

/** One step of the cell: the next hidden state. */
export function cell(p: Rnn, h: number[], x: number): number[] {
  const a = matVec(p.wh, h);
  return a.map((ai, i) => Math.tanh(ai + p.wx[i][0] * x + p.bh[i]));
}

/** The prediction of x_{t+1} after reading x_0 … x_t, for every t. */
export function predictions(p: Rnn, xs: number[]): number[] {
  let h: number[] = p.bh.map(() => 0);
  const ys: number[] = [];
  for (let t = 0; t < xs.length - 1; t++) {
    h = cell(p, h, xs[t]);
    ys.push(matVec(p.wy, h)[0] + p.by[0]);
  }
  return ys;
}

/** Mean squared error of the next-value predictions over every step of every sequence. */
export function loss(p: Rnn, batch: number[][]): number {
  let s = 0;
  let n = 0;
  for (const xs of batch) {
    const ys = predictions(p, xs);
    for (let t = 0; t < ys.length; t++) {
      const e = ys[t] - xs[t + 1];
      s += e * e;
      n++;
    }
  }
  return s / n;
}

export const lossAndGrad = valueAndGrad(loss, 0);

export const NOISE = 0.05;

/** A sine of random frequency and phase, `length` samples, with N(0, NOISE²) noise. */
export function makeSequence(rng: Random, length: number): number[] {
  const f = rng.uniform(0.15, 0.45);
  const phase = rng.uniform(0, 2 * Math.PI);
  return Array.from({ length }, (_, t) => Math.sin(f * t + phase) + rng.normal(0, NOISE));
}

/** `count` sequences with lengths uniform in [minLength, maxLength]. */
export function makeSequences(rng: Random, count: number, minLength: number, maxLength: number): number[][] {
  return Array.from({ length: count }, () => makeSequence(rng, minLength + rng.int(maxLength - minLength + 1)));
}

/** The error of predicting "the same as the last value": what the network must beat. */
export function persistenceMse(batch: number[][]): number {
  let s = 0, n = 0;
  for (const xs of batch) for (let t = 0; t + 1 < xs.length; t++) (s += (xs[t + 1]! - xs[t]!) ** 2), n++;
  return s / n;
}

export interface RnnOptions {
  hidden: number;
  steps: number;
  batchSize: number;
  lr: number;
  seed: number;
  minLength: number;
  maxLength: number;
  /** gradient norm clip (exploding gradients through time) */
  clip: number;
  onStep?: (loss: number, points: number) => void;
}

export interface RnnRun {
  params: Rnn;
  trainLoss: number[];
  /** [step, held-out mse] every `evalEvery` steps */
  testLoss: [number, number][];
  test: number[][];
}

/** Adam on fresh random minibatches; a fixed held-out set of 64 sequences is scored along the way. */
export function trainRnn(o: RnnOptions, evalEvery = 25): RnnRun {
  const rng = new Random(o.seed);
  const test = makeSequences(new Random(o.seed + 1000), 64, o.minLength, o.maxLength);
  let params = initRnn(rng, o.hidden);
  const opt = adam({ lr: o.lr });
  const run: RnnRun = { params, trainLoss: [], testLoss: [], test };
  for (let step = 0; step < o.steps; step++) {
    if (step % evalEvery === 0) run.testLoss.push([step, loss(params, test)]);
    const batch = makeSequences(rng, o.batchSize, o.minLength, o.maxLength);
    const { value, grad } = lossAndGrad(params, batch);
    params = opt.step(params, clipByNorm(grad, o.clip));
    run.trainLoss.push(value);
    o.onStep?.(value, batch.reduce((s, xs) => s + xs.length - 1, 0));
  }
  run.testLoss.push([o.steps, loss(params, test)]);
  run.params = params;
  return run;
}
