// The examples' generated gradients agree with central finite differences, at a few coordinates
// of every parameter (so a training run that "learns" is learning from the right gradient).
import { describe, expect, it } from "vitest";
import { Random, forEachNumber } from "backprop-ts";
import { dmse, makeData, type Linear } from "../../examples/linear/model.js";
import { crossEntropy as irisLoss, lossAndGrad as irisGrad, loadIris, type Logistic } from "../../examples/iris/model.js";
import { initMlp, loadMnist, loss as mnistLoss, lossAndGrad as mnistGrad } from "../../examples/mnist/model.js";
import { initRnn, loss as rnnLoss, lossAndGrad as rnnGrad, makeSequences } from "../../examples/rnn/model.js";
import { GUESS, TRUTH, misfit, misfitAndGrad, observe } from "../../examples/projectile/model.js";

type Slot = { get(): number; set(v: number): void };

/** Every number in a parameter tree as a settable slot, in forEachNumber order. */
function slots(x: unknown): Slot[] {
  const out: Slot[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v) || v instanceof Float64Array || v instanceof Float32Array) {
      const a = v as number[];
      for (let i = 0; i < a.length; i++) {
        if (typeof a[i] === "number") out.push({ get: () => a[i]!, set: (n) => (a[i] = n) });
        else walk(a[i]);
      }
    } else if (v && typeof v === "object") {
      const r = v as Record<string, unknown>;
      for (const k of Object.keys(r)) {
        if (typeof r[k] === "number") out.push({ get: () => r[k] as number, set: (n) => (r[k] = n) });
        else walk(r[k]);
      }
    }
  };
  walk(x);
  return out;
}

function checkGradient<P>(params: P, f: (p: P) => number, g: unknown, picks: number, seed: number, tol = 1e-5): void {
  const s = slots(params);
  const gs: number[] = [];
  forEachNumber(g, (v) => gs.push(v));
  expect(gs.length).toBe(s.length);
  const rng = new Random(seed);
  for (let k = 0; k < picks; k++) {
    const i = rng.int(s.length);
    const x = s[i]!.get();
    const h = 1e-5 * Math.max(1, Math.abs(x));
    s[i]!.set(x + h);
    const up = f(params);
    s[i]!.set(x - h);
    const down = f(params);
    s[i]!.set(x);
    const fd = (up - down) / (2 * h);
    expect(Math.abs(gs[i]! - fd), `coordinate ${i}: grad ${gs[i]} vs finite difference ${fd}`).toBeLessThan(tol * Math.max(1, Math.abs(fd)));
  }
}

describe("example gradients match finite differences", () => {
  it("linear", () => {
    const d = makeData(new Random(2), 20);
    const p: Linear = { w: [0.3, -0.2, 0.1], b: 0.5 };
    checkGradient(p, (q) => d.xs.reduce((s, x, i) => s + (q.b + q.w.reduce((a, w, j) => a + w * x[j]!, 0) - d.ys[i]!) ** 2, 0) / d.xs.length, dmse(p, d.xs, d.ys), 4, 1);
  });

  it("iris", () => {
    const data = loadIris();
    const rng = new Random(3);
    const p: Logistic = { w: [0, 1, 2].map(() => [0, 1, 2, 3].map(() => rng.normal())), b: [0.1, -0.2, 0.3] };
    checkGradient(p, (q) => irisLoss(q, data.train.xs, data.train.labels), irisGrad(p, data.train.xs, data.train.labels).grad, 15, 2);
  });

  it("mnist", () => {
    const data = loadMnist(0.5, 4);
    const p = initMlp(new Random(4), 8);
    const xs = data.train.xs.slice(0, 6), ys = data.train.labels.slice(0, 6);
    checkGradient(p, (q) => mnistLoss(q, xs, ys), mnistGrad(p, xs, ys).grad, 40, 3);
  });

  it("rnn", () => {
    const p = initRnn(new Random(5), 5);
    const batch = makeSequences(new Random(6), 3, 4, 9);
    checkGradient(p, (q) => rnnLoss(q, batch), rnnGrad(p, batch).grad, 25, 4);
  });

  it("projectile", () => {
    const obs = observe(TRUTH, new Random(1));
    const p = { ...GUESS };
    checkGradient(p, (q) => misfit(q, obs), misfitAndGrad(p, obs).grad, 3, 5, 1e-4);
  });
});
