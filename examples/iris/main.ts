// npm run example:iris — softmax (multinomial logistic) regression on the iris flowers; prints the
// held-out accuracy and the learnt weights; saves examples/iris/loss.svg.
import { examplesPath, numberArg } from "../lib/cli.js";
import { saveLineChart } from "../lib/plot.js";
import { TrainingProgress } from "../lib/progress.js";
import { fitIris, loadIris } from "./model.js";

const steps = numberArg("steps", 300);
const data = loadIris();
console.log(`iris: ${data.train.xs.length} training and ${data.test.xs.length} held-out flowers, species ${data.species.join(", ")}`);
const progress = new TrainingProgress({ label: "iris", epochs: 1, stepsPerEpoch: steps, unit: "steps" });
const run = fitIris(data, steps, numberArg("lr", 0.05), (loss) => progress.step(loss));
progress.epoch(1, `train loss ${run.trainLoss.at(-1)!.toFixed(4)}  held-out loss ${run.testLoss.at(-1)!.toFixed(4)}`);
progress.stop();
console.log(`accuracy: training ${(run.trainAccuracy * 100).toFixed(1)}%, held-out ${(run.testAccuracy * 100).toFixed(1)}% (${Math.round(run.testAccuracy * data.test.xs.length)}/${data.test.xs.length})`);
const names = ["sepal length", "sepal width", "petal length", "petal width"];
data.species.forEach((s, k) =>
  console.log(`  ${s.padEnd(10)} ${run.params.w[k]!.map((v, j) => `${v >= 0 ? "+" : ""}${v.toFixed(2)}·${names[j]}`).join(" ")} ${run.params.b[k]! >= 0 ? "+" : ""}${run.params.b[k]!.toFixed(2)}`),
);
const file = saveLineChart(
  examplesPath("iris", "loss.svg"),
  [
    { name: "training", points: run.trainLoss.map((l, i) => [i, l]) },
    { name: "held-out", points: run.testLoss.map((l, i) => [i, l]) },
  ],
  { title: `Iris, softmax regression: ${(run.testAccuracy * 100).toFixed(0)}% held-out accuracy`, x: "step (full batch)", y: "cross-entropy" },
);
console.log(`loss curve: ${file}`);
