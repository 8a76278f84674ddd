// A differentiable simulation: a ball launched with some speed and angle flies through air with
// quadratic drag (a = -k·|v|·v - g). From noisy observations of where it was, recover the launch
// speed, the angle and the drag coefficient by gradient descent *through the time-stepping loop*:
// `grad` differentiates the whole simulation, every step of it.
import { Random, adam, valueAndGrad } from "backprop-ts";

export interface Launch {
  /** m/s */
  speed: number;
  /** radians above the horizon */
  angle: number;
  /** k in a = -k·|v|·v, 1/m */
  drag: number;
}

export const G = 9.81;
export const DT = 0.02;

/** Positions [x, y] after each of `steps` time steps (semi-implicit Euler, step DT). */
export function fly(p: Launch, steps: number): [number, number][] {
  let x = 0;
  let y = 0;
  let vx = p.speed * Math.cos(p.angle);
  let vy = p.speed * Math.sin(p.angle);
  const path: [number, number][] = [];
  for (let i = 0; i < steps; i++) {
    const v = Math.sqrt(vx * vx + vy * vy);
    vx -= DT * p.drag * v * vx;
    vy -= DT * (p.drag * v * vy + G);
    x += DT * vx;
    y += DT * vy;
    path.push([x, y]);
  }
  return path;
}

export interface Observation {
  /** time step of the observation (1 = after the first step) */
  step: number;
  x: number;
  y: number;
}

/** Mean squared distance between the simulated and the observed positions. */
export function misfit(p: Launch, obs: Observation[]): number {
  const path = fly(p, obs[obs.length - 1].step);
  let s = 0;
  for (const o of obs) {
    const [x, y] = path[o.step - 1];
    s += (x - o.x) ** 2 + (y - o.y) ** 2;
  }
  return s / obs.length;
}

export const misfitAndGrad = valueAndGrad(misfit, 0);

export const TRUTH: Launch = { speed: 20, angle: (50 * Math.PI) / 180, drag: 0.05 };
export const GUESS: Launch = { speed: 12, angle: (30 * Math.PI) / 180, drag: 0.005 };

/** Where the ball is every `every` steps until it lands, with N(0, noise²) errors in x and y. */
export function observe(truth: Launch, rng: Random, every = 5, noise = 0.2): Observation[] {
  const path = fly(truth, 2000);
  const obs: Observation[] = [];
  for (let i = every; i <= path.length && path[i - 1]![1] >= 0; i += every) {
    obs.push({ step: i, x: path[i - 1]![0] + rng.normal(0, noise), y: path[i - 1]![1] + rng.normal(0, noise) });
  }
  return obs;
}

/** Horizontal distance at which the ball comes back to y = 0 (linear interpolation between steps). */
export function range(p: Launch): number {
  const path = fly(p, 5000);
  for (let i = 1; i < path.length; i++) {
    const [x0, y0] = path[i - 1]!, [x1, y1] = path[i]!;
    if (y0 >= 0 && y1 < 0) return x0 + ((x1 - x0) * y0) / (y0 - y1);
  }
  return NaN;
}

export interface FitRun {
  params: Launch;
  losses: number[];
  path: Launch[];
}

/** Adam from GUESS; the three parameters have different scales, which Adam's per-number steps absorb. */
export function fitLaunch(obs: Observation[], steps: number, lr: number, onStep?: (loss: number) => void): FitRun {
  let p: Launch = { ...GUESS };
  const opt = adam({ lr });
  const losses: number[] = [];
  const path: Launch[] = [];
  for (let t = 0; t < steps; t++) {
    const { value, grad } = misfitAndGrad(p, obs);
    losses.push(value);
    path.push({ ...p });
    onStep?.(value);
    p = opt.step(p, grad);
  }
  losses.push(misfit(p, obs));
  return { params: p, losses, path };
}
