// npm run example:rnn — an Elman RNN learns to continue noisy sine waves of random frequency and
// phase, over sequences of 10 to 40 steps. Prints the held-out error beside two references;
// saves examples/rnn/loss.svg and examples/rnn/prediction.svg.
import { Random } from "backprop-ts";
import { examplesPath, groupMeans, numberArg } from "../lib/cli.js";
import { saveLineChart } from "../lib/plot.js";
import { TrainingProgress } from "../lib/progress.js";
import { NOISE, makeSequence, persistenceMse, predictions, trainRnn } from "./model.js";

const o = {
  hidden: numberArg("hidden", 16),
  steps: numberArg("steps", 300),
  batchSize: numberArg("batch", 16),
  lr: numberArg("lr", 0.01),
  seed: numberArg("seed", 1),
  minLength: 10,
  maxLength: 40,
  clip: 1,
};
console.log(`rnn: hidden ${o.hidden}, ${o.steps} Adam steps on batches of ${o.batchSize} sequences of ${o.minLength}–${o.maxLength} steps`);
const evalEvery = 25;
const progress = new TrainingProgress({ label: "rnn", epochs: o.steps / evalEvery, stepsPerEpoch: evalEvery, unit: "timesteps", period: "round" });
let k = 0;
const run = trainRnn({
  ...o,
  onStep: (loss, points) => {
    progress.step(loss, points);
    if (++k % evalEvery === 0) progress.epoch(k / evalEvery, `Adam step ${k}  batch mse ${loss.toFixed(4)}`);
  },
}, evalEvery);
progress.stop();
const final = run.testLoss.at(-1)![1];
console.log(
  `held-out mse ${final.toFixed(4)} on ${run.test.length} sequences; predicting "same as last value" gives ${persistenceMse(run.test).toFixed(4)}; the noise alone is ${(NOISE ** 2).toFixed(4)}`,
);

const loss = saveLineChart(
  examplesPath("rnn", "loss.svg"),
  [
    { name: "train", points: groupMeans(run.trainLoss, 5).map((l, i) => [(i + 1) * 5, l]) },
    { name: "held-out", points: run.testLoss },
  ],
  { title: "RNN on noisy sine waves: next-value error", x: "Adam step", y: "mean squared error" },
);
const xs = makeSequence(new Random(7), 40);
const ys = predictions(run.params, xs);
const pred = saveLineChart(
  examplesPath("rnn", "prediction.svg"),
  [
    { name: "observed", points: xs.map((v, t) => [t, v]), kind: "dots" },
    { name: "predicted", points: ys.map((v, t) => [t + 1, v]) },
  ],
  { title: "One held-out sequence: the RNN's next-value predictions", x: "time step", y: "value", logY: false, height: 280 },
);
console.log(`pictures: ${loss}, ${pred}`);
