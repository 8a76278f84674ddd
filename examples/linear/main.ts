// npm run example:linear — fits y = w · x + b to noisy points by gradient descent on grad(mse, 0),
// then prints the fitted parameters beside the true ones; saves examples/linear/loss.svg.
import { Random } from "backprop-ts";
import { examplesPath, numberArg } from "../lib/cli.js";
import { saveLineChart } from "../lib/plot.js";
import { TrainingProgress } from "../lib/progress.js";
import { NOISE, TRUE, fitLinear, makeData } from "./model.js";

const steps = numberArg("steps", 200);
const data = makeData(new Random(numberArg("seed", 1)), 200);
const progress = new TrainingProgress({ label: "linear", epochs: 1, stepsPerEpoch: steps, unit: "steps" });
const run = fitLinear(data, steps, numberArg("lr", 0.5));
run.losses.slice(1).forEach((l) => progress.step(l));
progress.epoch(1, `mse ${run.losses.at(-1)!.toFixed(5)} (noise variance ${(NOISE ** 2).toFixed(4)})`);
progress.stop();
const fmt = (xs: number[]) => `[${xs.map((v) => v.toFixed(3)).join(", ")}]`;
console.log(`fitted w = ${fmt(run.params.w)}, b = ${run.params.b.toFixed(3)}`);
console.log(`true   w = ${fmt(TRUE.w)}, b = ${TRUE.b.toFixed(3)}`);
const file = saveLineChart(
  examplesPath("linear", "loss.svg"),
  [{ name: "mse", points: run.losses.map((l, i) => [i, l]) }],
  { title: "Linear regression: mean squared error by gradient step", x: "step", y: "mean squared error" },
);
console.log(`loss curve: ${file}`);
