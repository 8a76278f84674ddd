// Each example's core, on a small budget with a fixed seed, must learn: its loss falls below a
// stated bound (and its accuracy rises above one). The full-size runs are `npm run example:*`.
import { describe, expect, it } from "vitest";
import { Random } from "backprop-ts";
import { NOISE, TRUE, fitLinear, makeData } from "../../examples/linear/model.js";
import { fitIris, loadIris } from "../../examples/iris/model.js";
import { loadMnist, train as trainMnist } from "../../examples/mnist/model.js";
import { persistenceMse, trainRnn } from "../../examples/rnn/model.js";
import { GUESS, TRUTH, fitLaunch, misfit, observe } from "../../examples/projectile/model.js";

describe("examples learn", () => {
  it("linear regression: 100 steps reach the noise floor and the true weights", () => {
    const run = fitLinear(makeData(new Random(1), 100), 100, 0.5);
    const final = run.losses.at(-1)!;
    console.log(`linear: mse ${run.losses[0]!.toFixed(3)} → ${final.toFixed(5)}`);
    expect(final).toBeLessThan(1.5 * NOISE ** 2);
    run.params.w.forEach((w, j) => expect(Math.abs(w - TRUE.w[j]!)).toBeLessThan(0.1));
    expect(Math.abs(run.params.b - TRUE.b)).toBeLessThan(0.1);
  });

  it("iris: 150 full-batch Adam steps classify ≥ 90% of the held-out flowers", () => {
    const run = fitIris(loadIris(), 150, 0.05);
    console.log(`iris: loss ${run.trainLoss[0]!.toFixed(3)} → ${run.trainLoss.at(-1)!.toFixed(4)}, held-out accuracy ${run.testAccuracy}`);
    expect(run.trainLoss.at(-1)!).toBeLessThan(0.15);
    expect(run.testAccuracy).toBeGreaterThanOrEqual(0.9);
  });

  it("mnist: 5 epochs on 800 digits, 32 hidden units: held-out accuracy ≥ 80%", () => {
    const data = loadMnist(0.2, 100);
    const run = trainMnist(data, { hidden: 32, epochs: 5, batchSize: 32, lr: 0.003, seed: 1 });
    console.log(`mnist: epoch losses ${run.epochLoss.map((l) => l.toFixed(3)).join(", ")}; held-out accuracy ${run.testAccuracy.join(", ")}`);
    expect(data.train.xs.length).toBe(800);
    expect(data.test.xs.length).toBe(200);
    expect(run.epochLoss.at(-1)!).toBeLessThan(0.4);
    expect(run.testAccuracy.at(-1)!).toBeGreaterThanOrEqual(0.8);
  });

  it("rnn: 80 steps halve the error of predicting 'same as last value'", () => {
    const run = trainRnn({ hidden: 8, steps: 80, batchSize: 8, lr: 0.02, seed: 1, minLength: 10, maxLength: 30, clip: 1 }, 40);
    const final = run.testLoss.at(-1)![1];
    const baseline = persistenceMse(run.test);
    console.log(`rnn: held-out mse ${run.testLoss[0]![1].toFixed(4)} → ${final.toFixed(4)} (persistence ${baseline.toFixed(4)})`);
    expect(final).toBeLessThan(0.5 * baseline);
  });

  it("projectile: 1200 Adam steps through the simulation recover speed, angle and drag", () => {
    const obs = observe(TRUTH, new Random(1));
    const run = fitLaunch(obs, 1200, 0.05);
    const p = run.params;
    console.log(`projectile: misfit ${run.losses[0]!.toFixed(2)} → ${run.losses.at(-1)!.toFixed(4)}; ${JSON.stringify(p)}`);
    expect(misfit(GUESS, obs)).toBeGreaterThan(10);
    expect(run.losses.at(-1)!).toBeLessThan(0.5);
    expect(Math.abs(p.angle - TRUTH.angle)).toBeLessThan((2 * Math.PI) / 180);
    expect(Math.abs(p.speed - TRUTH.speed)).toBeLessThan(2);
    expect(Math.abs(p.drag - TRUTH.drag)).toBeLessThan(0.02);
  });
});
