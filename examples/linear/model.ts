// Linear regression by gradient descent: y ≈ w · x + b, mean squared error. The parameters are a
// record of an array and a number; `grad` gives a gradient of the same shape.
import { Random, grad, sgd } from "backprop-ts";

export interface Linear {
  w: number[];
  b: number;
}

export function predict(p: Linear, x: number[]): number {
  let y = p.b;
  for (let j = 0; j < x.length; j++) y += p.w[j] * x[j];
  return y;
}

export function mse(p: Linear, xs: number[][], ys: number[]): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) {
    const e = predict(p, xs[i]) - ys[i];
    s += e * e;
  }
  return s / xs.length;
}

export const dmse = grad(mse, 0);

/** The truth the data is drawn from, and the noise on it. */
export const TRUE: Linear = { w: [2, -3, 0.5], b: 1 };
export const NOISE = 0.1;

/** `n` points x ~ U(-1, 1)³, y = TRUE(x) + N(0, NOISE²). */
export function makeData(rng: Random, n: number): { xs: number[][]; ys: number[] } {
  const xs: number[][] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = TRUE.w.map(() => rng.uniform(-1, 1));
    xs.push(x);
    ys.push(predict(TRUE, x) + rng.normal(0, NOISE));
  }
  return { xs, ys };
}

export interface LinearRun {
  params: Linear;
  losses: number[];
}

/** Full-batch gradient descent from zero. */
export function fitLinear(data: { xs: number[][]; ys: number[] }, steps: number, lr: number): LinearRun {
  let p: Linear = { w: TRUE.w.map(() => 0), b: 0 };
  const opt = sgd({ lr });
  const losses: number[] = [];
  for (let t = 0; t < steps; t++) {
    losses.push(mse(p, data.xs, data.ys));
    p = opt.step(p, dmse(p, data.xs, data.ys));
  }
  losses.push(mse(p, data.xs, data.ys));
  return { params: p, losses };
}
