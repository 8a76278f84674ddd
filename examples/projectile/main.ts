// npm run example:projectile — recovers the launch speed, angle and drag of a ball from noisy
// sightings, by gradient descent through the time-stepping simulation (115 steps of 20 ms); saves
// examples/projectile/loss.svg and examples/projectile/trajectory.svg.
import { Random } from "backprop-ts";
import { examplesPath, numberArg } from "../lib/cli.js";
import { saveLineChart } from "../lib/plot.js";
import { TrainingProgress } from "../lib/progress.js";
import { GUESS, TRUTH, fitLaunch, fly, observe, range, type Launch } from "./model.js";

const steps = numberArg("steps", 3000);
const obs = observe(TRUTH, new Random(numberArg("seed", 1)));
console.log(`projectile: ${obs.length} noisy sightings over ${obs.at(-1)!.step} time steps; fitting speed, angle and drag`);
const progress = new TrainingProgress({ label: "projectile", epochs: 1, stepsPerEpoch: steps, unit: "steps" });
const run = fitLaunch(obs, steps, numberArg("lr", 0.05), (l) => progress.step(l));
progress.epoch(1, `misfit ${run.losses.at(-1)!.toFixed(4)} m²`);
progress.stop();
const show = (p: Launch) =>
  `speed ${p.speed.toFixed(2)} m/s, angle ${((p.angle * 180) / Math.PI).toFixed(2)}°, drag ${p.drag.toFixed(4)} /m, lands at ${range(p).toFixed(2)} m`;
console.log(`start  ${show(GUESS)}`);
console.log(`fitted ${show(run.params)}`);
console.log(`truth  ${show(TRUTH)}`);

const loss = saveLineChart(
  examplesPath("projectile", "loss.svg"),
  [{ name: "misfit", points: run.losses.map((l, i) => [i, l]) }],
  { title: "Fitting launch speed, angle and drag through the simulation", x: "Adam step", y: "mean squared misfit (m²)" },
);
const curve = (p: Launch) => {
  const path = fly(p, 2000);
  const end = path.findIndex(([, y]) => y < 0);
  return [[0, 0] as [number, number], ...path.slice(0, end < 0 ? path.length : end + 1)];
};
const traj = saveLineChart(
  examplesPath("projectile", "trajectory.svg"),
  [
    { name: "sightings", points: obs.map((o) => [o.x, o.y]), kind: "dots" },
    { name: "start", points: curve(GUESS) },
    { name: `step ${Math.round(steps / 10)}`, points: curve(run.path[Math.round(steps / 10)]!) },
    { name: "fitted", points: curve(run.params) },
  ],
  { title: "Trajectories: the initial guess, on the way, fitted", x: "distance (m)", y: "height (m)", logY: false, height: 300 },
);
console.log(`pictures: ${loss}, ${traj}`);
