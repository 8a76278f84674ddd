// Small helpers shared by the examples' command-line entry points.
import { join } from "node:path";

/** `--name value` from the command line as a number, or `fallback`. */
export function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v)) throw new Error(`--${name} needs a number`);
  return v;
}

/** A file in the examples folder (examples/run.mjs sets BACKPROP_EXAMPLES_DIR; else ./examples). */
export function examplesPath(...parts: string[]): string {
  return join(process.env.BACKPROP_EXAMPLES_DIR ?? join(process.cwd(), "examples"), ...parts);
}

/** Mean of consecutive groups of `size` values: a readable curve from noisy minibatch losses. */
export function groupMeans(xs: number[], size: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < xs.length; i += size) {
    const g = xs.slice(i, i + size);
    out.push(g.reduce((a, b) => a + b, 0) / g.length);
  }
  return out;
}
