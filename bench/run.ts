// `npm run bench`: generated gradients against hand-written ones, a runtime tape, TensorFlow.js
// and jax-js, then what the transformer costs a build. Prints the tables and writes bench/RESULTS.md.
//
// bench/build.mjs bundles this file to bench/.out/run.mjs. Run without arguments it is the parent:
//   1. builds every bench/problems/*.ts with esbuild + our `backprop` plugin (from src/), each on
//      its own; a problem whose transform fails is rebuilt with `grad` stubbed out and reported as
//      "not yet supported: <diagnostic>" (its other implementations are still measured);
//   2. runs each problem × size in a fresh node process (`run.mjs --child NAME SIZE`): correctness
//      first, then timing, then the stack memory of one generated call;
//   3. measures build time: tsc vs tspc on a generated 50-file project, and the esbuild plugin's
//      warm per-file transform time;
//   4. prints the tables and the checksum of every timed result.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { flatten, pick, slots, type Instance, type Jax, type Problem, type Runner, type Tfjs } from "./support/problem.js";
import type { StackUse } from "./support/runtime.js";

const OUT = path.dirname(fileURLToPath(import.meta.url)); // bench/.out
const BENCH = path.dirname(OUT);
const ROOT = path.dirname(BENCH);
const ALL_PROBLEMS = ["rosenbrock", "rosenbrock-typed", "logistic", "mlp", "rnn", "simulation", "seed-map-reduce"];
// For working on the bench: BENCH_ONLY=mlp,rnn runs those problems; BENCH_NO_BUILD_TIME=1 skips step 3.
const PROBLEMS = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(",") : ALL_PROBLEMS;

// ── timing ──────────────────────────────────────────────────────────────────────────────────
const WARMUP_MS = 200; // run at least this long before measuring
const BATCH_MS = 60; // each timed batch repeats the call until it lasts at least this long
const BUDGET_MS = 600; // keep taking batches until this much time was spent measuring…
const MIN_BATCHES = 5; // …and at least this many batches
const MAX_BATCHES = 41;
const SLOW_MS = 1500; // a call slower than this (the tape on the MLP): its correctness call is its timing

let checksum = 0;
const now = () => performance.now();

interface Timing {
  /** median over batches of the time per call, ms */
  ms: number;
  batches: number;
  reps: number;
}

/** `firstMs`: how long an earlier (correctness) call of `fn` took, if there was one. */
function time(fn: () => unknown, firstMs = 0): Timing {
  if (firstMs > SLOW_MS) return { ms: firstMs, batches: 1, reps: 1 };
  let t0 = now();
  let calls = 0;
  do {
    checksum += pick(fn());
    calls++;
  } while (now() - t0 < WARMUP_MS);
  const estimate = (now() - t0) / calls;
  const reps = Math.max(1, Math.ceil(BATCH_MS / estimate));
  const minBatches = estimate > 500 ? 3 : MIN_BATCHES;
  const perCall: number[] = [];
  t0 = now();
  while (perCall.length < MAX_BATCHES && (perCall.length < minBatches || now() - t0 < BUDGET_MS)) {
    const b0 = now();
    for (let r = 0; r < reps; r++) checksum += pick(fn());
    perCall.push((now() - b0) / reps);
  }
  perCall.sort((a, b) => a - b);
  return { ms: perCall[perCall.length >> 1]!, batches: perCall.length, reps };
}

/**
 * The objective, the generated and the hand-written gradient timed together: one batch of each in
 * turn, round after round. Ratios are medians of per-round ratios, so they hold while other work
 * comes and goes on the machine (a shared 2-core machine slows whole phases, not single batches).
 */
function timeTogether(fns: Record<string, () => unknown>): { timings: Record<string, Timing>; ratio(a: string, b: string): number | undefined } {
  const names = Object.keys(fns);
  const reps: Record<string, number> = {};
  for (const k of names) {
    const t0 = now();
    let calls = 0;
    do {
      checksum += pick(fns[k]!());
      calls++;
    } while (now() - t0 < WARMUP_MS);
    reps[k] = Math.max(1, Math.ceil(BATCH_MS / ((now() - t0) / calls)));
  }
  const perCall: Record<string, number[]> = Object.fromEntries(names.map((k) => [k, []]));
  const t0 = now();
  for (let round = 0; round < MAX_BATCHES && (round < MIN_BATCHES || now() - t0 < BUDGET_MS * names.length); round++) {
    for (const k of names) {
      const b0 = now();
      for (let r = 0; r < reps[k]!; r++) checksum += pick(fns[k]!());
      perCall[k]!.push((now() - b0) / reps[k]!);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const timings = Object.fromEntries(names.map((k) => [k, { ms: median(perCall[k]!), batches: perCall[k]!.length, reps: reps[k]! }]));
  const ratio = (a: string, b: string) => (perCall[a] && perCall[b] ? median(perCall[a]!.map((x, i) => x / perCall[b]![i]!)) : undefined);
  return { timings, ratio };
}

// ── child: one problem at one size ──────────────────────────────────────────────────────────
type Impl = "generated" | "hand" | "tape" | "tfjs" | "jax";
const IMPLS: Impl[] = ["generated", "hand", "tape", "tfjs", "jax"];

interface Cell {
  ms?: number;
  batches?: number;
  reps?: number;
  /** normwise relative error against the hand-written gradient: max|g - h| / max|h| */
  err?: number;
  /** why there is no number */
  note?: string;
}

interface RowResult {
  problem: string;
  size: number;
  label: string;
  objective: Cell;
  cells: Record<Impl, Cell>;
  /** medians of per-round ratios (generated/objective, generated/hand, hand/objective), timed side by side */
  ratios: { overObjective?: number; overHand?: number; handOverObjective?: number };
  /** the hand-written gradient against central finite differences on a few coordinates */
  fdErr: number;
  stacks?: StackUse[];
  checksum: number;
}

interface ProblemModule {
  problem: Problem;
  probeStacks(on: boolean): void;
  takeStackUse(): StackUse[];
}

const relErr = (g: number[], h: number[]): number => {
  if (g.length !== h.length) return Infinity;
  let num = 0;
  let den = 0;
  for (let i = 0; i < h.length; i++) {
    const d = Math.abs(g[i]! - h[i]!);
    if (!(d <= num)) num = Number.isNaN(d) ? Infinity : d;
    den = Math.max(den, Math.abs(h[i]!));
  }
  return den === 0 ? num : num / den;
};

const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).split("\n")[0]!.slice(0, 160);

/** Central differences of the objective on `count` coordinates spread over the inputs. */
function finiteDifferenceError(inst: Instance, hand: number[], count = 8): number {
  const all = slots(inst.wrt);
  if (all.length !== hand.length) return Infinity;
  const scale = Math.max(...hand.map(Math.abs)) || 1;
  let worst = 0;
  for (let c = 0; c < count; c++) {
    const idx = Math.min(all.length - 1, Math.floor(((c + 0.5) * all.length) / count));
    const slot = all[idx]!;
    const x = slot.get();
    const h = 1e-6 * Math.max(1, Math.abs(x));
    slot.set(x + h);
    const up = inst.objective();
    slot.set(x - h);
    const down = inst.objective();
    slot.set(x);
    const fd = (up - down) / (2 * h);
    worst = Math.max(worst, Math.abs(fd - hand[idx]!) / Math.max(Math.abs(hand[idx]!), 1e-3 * scale));
  }
  return worst;
}

// Not literal specifiers, so TypeScript does not load the libraries' typings (see support/peers.ts).
const TFJS: string = "@tensorflow/tfjs";
const JAX: string = "@jax-js/jax";

async function loadPeer(kind: "tfjs" | "jax"): Promise<Tfjs | Jax> {
  if (kind === "tfjs") {
    const warn = console.warn; // tfjs greets Node users with an ad for tfjs-node
    console.warn = () => {};
    try {
      const tf = (await import(TFJS)) as Tfjs;
      await tf.setBackend("cpu");
      await tf.ready();
      return tf;
    } finally {
      console.warn = warn;
    }
  }
  // Node 20 has no Float16Array, which jax-js refers to at load time: a stand-in is enough for
  // float32/float64 work.
  const g = globalThis as { Float16Array?: unknown };
  if (g.Float16Array === undefined) g.Float16Array = class Float16Array extends Float32Array {};
  const jax = (await import(JAX)) as Jax;
  await jax.init("wasm");
  jax.defaultDevice("wasm");
  return jax;
}

async function child(name: string, size: number): Promise<RowResult> {
  const childStarted = now();
  const mod = (await import(pathToFileURL(path.join(OUT, "problems", `${name}.mjs`)).href)) as ProblemModule;
  const inst = mod.problem.setup(size);
  const hand = flatten(inst.hand());
  const fdErr = finiteDifferenceError(inst, hand);

  const runners: Partial<Record<Impl, Runner>> = { hand: inst.hand, tape: inst.tape };
  const cells = Object.fromEntries(IMPLS.map((k) => [k, {} as Cell])) as Record<Impl, Cell>;
  if (inst.generated) runners.generated = inst.generated;
  else cells.generated.note = "not yet supported";
  for (const kind of ["tfjs", "jax"] as const) {
    process.env.BENCH_VERBOSE && log(`  ${name} ${size}: loading ${kind} at ${((now() - childStarted) / 1000).toFixed(1)} s`);
    const make = inst[kind] as ((lib: Tfjs | Jax) => Runner) | undefined;
    if (!make) {
      cells[kind].note = "not expressible";
      continue;
    }
    try {
      runners[kind] = make(await loadPeer(kind));
    } catch (e) {
      cells[kind].note = `fails: ${message(e)}`;
    }
  }
  // correctness first
  const firstMs: Partial<Record<Impl, number>> = {};
  for (const k of IMPLS) {
    const run = runners[k];
    if (!run) continue;
    try {
      if (k === "jax" || k === "tfjs") run(); // jit compilation, kernel set-up: not part of the check's time
      const t0 = now();
      const g = run();
      firstMs[k] = now() - t0;
      cells[k].err = relErr(flatten(g), hand);
    } catch (e) {
      cells[k].note = `throws: ${message(e)}`;
      delete runners[k];
    }
  }
  const phase = (what: string) => process.env.BENCH_VERBOSE && log(`  ${name} ${size}: ${what} at ${((now() - childStarted) / 1000).toFixed(1)} s`);
  phase("checked");
  // objective, generated and hand-written side by side; the peers (much slower) one after another
  const together: Record<string, () => unknown> = { objective: inst.objective };
  if (runners.generated) together.generated = runners.generated;
  if (runners.hand) together.hand = runners.hand;
  const paired = timeTogether(together);
  const objective = paired.timings.objective!;
  const ratios = { overObjective: paired.ratio("generated", "objective"), overHand: paired.ratio("generated", "hand"), handOverObjective: paired.ratio("hand", "objective") };
  for (const k of ["generated", "hand"] as const) if (paired.timings[k]) Object.assign(cells[k], paired.timings[k]);
  for (const k of IMPLS) {
    const run = runners[k];
    if (!run || k === "generated" || k === "hand") continue;
    try {
      phase(`timing ${k}`);
      Object.assign(cells[k], time(run, firstMs[k]));
    } catch (e) {
      cells[k].note = `throws: ${message(e)}`;
    }
  }
  let stacks: StackUse[] | undefined;
  if (inst.generated) {
    mod.probeStacks(true);
    inst.generated();
    stacks = mod.takeStackUse();
    mod.probeStacks(false);
  }
  return { problem: name, size, label: inst.label, objective, cells, ratios, fdErr, stacks, checksum };
}

// ── parent: build, run, report ──────────────────────────────────────────────────────────────
interface BuiltProblem {
  name: string;
  sizes: number[];
  /** BP diagnostics of the grad site(s) when the transform failed */
  pending?: string[];
  buildError?: string;
}

async function buildProblems(): Promise<BuiltProblem[]> {
  const esbuild = await import("esbuild");
  const { backprop } = await import("../src/transformer/host/esbuild.js");
  // One plugin instance for every build: its Program is created once and reused.
  const plugin = backprop({ tsconfig: path.join(BENCH, "tsconfig.json") });
  const alias = (target: string): import("esbuild").Plugin => ({
    name: "bench-runtime",
    setup(b) {
      b.onResolve({ filter: /^backprop-ts$/ }, () => ({ path: path.join(BENCH, "support", target) }));
    },
  });
  const built: BuiltProblem[] = [];
  for (const name of PROBLEMS) {
    const entry = path.join(BENCH, "problems", `${name}.ts`);
    const options = (plugins: import("esbuild").Plugin[]): import("esbuild").BuildOptions => ({
      stdin: {
        contents: `export * from ${JSON.stringify(entry)};\nexport { probeStacks, takeStackUse } from "backprop-ts";\n`,
        resolveDir: BENCH,
        sourcefile: `${name}.entry.ts`,
        loader: "ts",
      },
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      outfile: path.join(OUT, "problems", `${name}.mjs`),
      absWorkingDir: ROOT,
      logLevel: "silent",
      plugins,
    });
    const t0 = now();
    const result: BuiltProblem = { name, sizes: [] };
    try {
      await esbuild.build(options([alias("runtime.ts"), plugin]));
    } catch (e) {
      const errors = (e as { errors?: { text: string }[] }).errors ?? [{ text: message(e) }];
      result.pending = errors.map((x) => x.text.replace(/^.*?(bench\/problems\/)/, "$1"));
      try {
        await esbuild.build(options([alias("untransformed.ts")]));
      } catch (e2) {
        result.buildError = message(e2);
      }
    }
    if (!result.buildError) {
      const mod = (await import(pathToFileURL(path.join(OUT, "problems", `${name}.mjs`)).href + `?t=${Date.now()}`)) as ProblemModule;
      result.sizes = mod.problem.sizes;
    }
    log(`built ${name} in ${Math.round(now() - t0)} ms${result.pending ? ` — not transformed: ${result.pending[0]}` : ""}${result.buildError ? ` — BUILD FAILED: ${result.buildError}` : ""}`);
    built.push(result);
  }
  return built;
}

function runChild(name: string, size: number): RowResult | string {
  const run = spawnSync(process.execPath, ["--max-old-space-size=8192", fileURLToPath(import.meta.url), "--child", name, String(size)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", process.env.BENCH_VERBOSE ? "inherit" : "pipe"],
    timeout: 240_000,
    maxBuffer: 64 << 20,
  });
  const line = run.stdout?.split("\n").find((l) => l.startsWith("BENCH_RESULT "));
  if (line) return JSON.parse(line.slice("BENCH_RESULT ".length)) as RowResult;
  return `child failed (${run.signal ?? `exit ${run.status}`}): ${(run.stderr || run.error?.message || "").trim().split("\n").slice(-3).join(" ")}`;
}

// ── build-time measurements ─────────────────────────────────────────────────────────────────
interface BuildTimes {
  files: number;
  /** CPU time of the compiler process, ms (least of BUILD_ROUNDS) */
  tsc: number;
  tspcPlain: number;
  tspc: number;
  /** `tsc` of a TypeScript patched in place by `ts-patch install`, without and with the transformer */
  patchedPlain: number;
  patched: number;
  /** CPU time inside the transformer itself (its per-file calls, summed), ms, and of its first
   * file, which plans the whole Program (both from the tspc run with the least CPU time) */
  transformerOwn: number;
  transformerFirstFile: number;
  /** wall time, ms (least of BUILD_ROUNDS) */
  tscWall: number;
  tspcWall: number;
  patchedPlainWall: number;
  patchedWall: number;
  transformed: boolean;
  esbuildCold: number;
  esbuildWarmPlain: number;
  esbuildWarm: number;
  esbuildEdit: number;
  error?: string;
}

const FILES = 50;
// Compiles are repeated, interleaved, and the least CPU time kept: the compiler's work is the same
// every run, and other work on a shared machine can only add to it (medians of 3 moved by ±15%).
const BUILD_ROUNDS = 7;

function projectFile(i: number): string {
  const prev = i > 0 ? `import { helper${i - 1} } from "./f${String(i - 1).padStart(2, "0")}.js";\n` : "";
  const call = i > 0 ? `helper${i - 1}(x)` : "x";
  return `import { grad } from "backprop-ts";
${prev}
export interface Params${i} { scale: number; weights: number[] }

export function helper${i}(x: number): number {
  return Math.sin(x) * ${i + 1} + x * x;
}

export function energy${i}(p: Params${i}, xs: number[]): number {
  let e = 0;
  for (let j = 0; j < xs.length; j++) {
    const x = xs[j] * p.scale + p.weights[j % p.weights.length];
    if (x > 0) e += Math.exp(-x) * ${call};
    else e -= Math.log1p(x * x);
  }
  let k = 0;
  while (k < 3) { e = e * 0.5 + Math.tanh(e); k++; }
  return e / xs.length;
}

export function describe${i}(p: Params${i}): string {
  return \`scale=\${p.scale.toFixed(2)} weights=\${p.weights.length}\`;
}

export const gradEnergy${i} = grad(energy${i}, 0);
`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

async function measureBuild(): Promise<BuildTimes> {
  const dir = path.join(os.tmpdir(), "backprop-bench-build");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, "src"), { recursive: true });
  fs.mkdirSync(path.join(dir, "node_modules"), { recursive: true });
  fs.symlinkSync(ROOT, path.join(dir, "node_modules", "backprop-ts"), "dir");
  for (let i = 0; i < FILES; i++) fs.writeFileSync(path.join(dir, "src", `f${String(i).padStart(2, "0")}.ts`), projectFile(i));
  const compilerOptions = {
    target: "ES2022",
    module: "ESNext",
    moduleResolution: "Bundler",
    strict: true,
    skipLibCheck: true,
    types: [],
    rootDir: "src",
    outDir: "out",
  };
  // The transformer, wrapped to sum the CPU time of its own per-file calls (a few process.cpuUsage
  // reads per file), which separates it from ts-patch's and the printer's share of the difference.
  const transformer = path.join(dir, "transformer-timed.cjs");
  fs.writeFileSync(transformer, `const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const real = require(${JSON.stringify(path.join(OUT, "transformer.cjs"))});
let own = 0, first = -1;
process.on("exit", () => require("fs").writeSync(2, "\\nTRANSFORMER_MS " + own + " " + first + "\\n"));
module.exports = (program, config, extras) => {
  const t0 = cpu();
  const factory = real(program, config, extras);
  own += cpu() - t0;
  return (context) => { const t = cpu(); const perFile = factory(context); own += cpu() - t;
    return (sf) => { const t1 = cpu(); const r = perFile(sf); const d = cpu() - t1; own += d; if (first < 0) first = d; return r; }; };
};
`);
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { ...compilerOptions, plugins: [{ transform: transformer }] }, include: ["src"] }, null, 2));
  fs.writeFileSync(path.join(dir, "tsconfig.plain.json"), JSON.stringify({ compilerOptions, include: ["src"] }, null, 2));

  // Wall time and the compiler process's own CPU time (user + system, read at exit by a preload):
  // the CPU time is what the ratio uses, since other work on a shared 2-core machine inflates wall time.
  const preload = path.join(dir, "cpu-time.cjs");
  fs.writeFileSync(preload, 'process.on("exit", () => { const u = process.cpuUsage(); require("fs").writeSync(2, "\\nCPU_US " + (u.user + u.system) + "\\n"); });\n');
  // `ts-patch install` patches a TypeScript in place, so plain `tsc` runs the transformer without
  // tspc's start-up (about 0.6 s of CPU here: it loads a second compiler to patch the first): a copy
  // of ours, patched, in the project's node_modules
  const patchedTs = path.join(dir, "node_modules", "typescript");
  fs.cpSync(path.join(ROOT, "node_modules/typescript"), patchedTs, { recursive: true });
  const patch = spawnSync(process.execPath, [path.join(ROOT, "node_modules/ts-patch/bin/ts-patch.js"), "install", "-s", "-d", patchedTs], { cwd: dir, encoding: "utf8" });
  if (patch.status !== 0) throw new Error(`ts-patch install failed: ${(patch.stdout + patch.stderr).trim()}`);
  const bins = { tsc: path.join(ROOT, "node_modules/typescript/bin/tsc"), tspc: path.join(ROOT, "node_modules/ts-patch/bin/tspc.js"), patched: path.join(patchedTs, "bin/tsc") };
  const untransformed = new Set<string>();
  const compile = (cmd: keyof typeof bins, config: string): { wall: number; cpu: number; own?: number; first?: number } => {
    fs.rmSync(path.join(dir, "out"), { recursive: true, force: true });
    const t0 = now();
    const r = spawnSync(process.execPath, ["--require", preload, bins[cmd], "-p", config], { cwd: dir, encoding: "utf8" });
    const wall = now() - t0;
    const cpu = Number(/CPU_US (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1000;
    if (r.status !== 0) throw new Error(`${cmd} -p ${config} failed: ${(r.stdout + r.stderr).trim().split("\n").slice(0, 4).join(" ")}`);
    if (config === "tsconfig.json" && !/\$grad|F64Stack|dresult/.test(fs.readFileSync(path.join(dir, "out", "f10.js"), "utf8"))) untransformed.add(cmd);
    const own = /TRANSFORMER_MS ([\d.]+) ([\d.-]+)/.exec(r.stderr);
    return { wall, cpu, ...(own ? { own: Number(own[1]), first: Number(own[2]) } : {}) };
  };
  const tsc: ReturnType<typeof compile>[] = [], tspcPlain: typeof tsc = [], tspc: typeof tsc = [], patchedPlain: typeof tsc = [], patched: typeof tsc = [];
  for (let round = 0; round < BUILD_ROUNDS; round++) {
    tsc.push(compile("tsc", "tsconfig.plain.json"));
    tspcPlain.push(compile("tspc", "tsconfig.plain.json"));
    tspc.push(compile("tspc", "tsconfig.json"));
    patchedPlain.push(compile("patched", "tsconfig.plain.json"));
    patched.push(compile("patched", "tsconfig.json"));
  }
  const least = (runs: typeof tsc, of: (r: (typeof tsc)[number]) => number = (r) => r.cpu) => Math.min(...runs.map(of));
  const leastTspc = tspc.reduce((a, b) => (b.cpu < a.cpu ? b : a));
  const transformed = untransformed.size === 0;

  // esbuild: a context over the 50 files (no bundling: one transform per file), rebuilt warm.
  const esbuild = await import("esbuild");
  const { backprop } = await import("../src/transformer/host/esbuild.js");
  const entryPoints = fs.readdirSync(path.join(dir, "src")).map((f) => path.join(dir, "src", f));
  const context = (plugins: import("esbuild").Plugin[]) =>
    esbuild.context({ entryPoints, outdir: path.join(dir, "out-esbuild"), format: "esm", platform: "node", absWorkingDir: dir, logLevel: "silent", plugins });
  const plain = await context([]);
  await plain.rebuild();
  const warmPlain: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = now();
    await plain.rebuild();
    warmPlain.push(now() - t0);
  }
  await plain.dispose();
  const withPlugin = await context([backprop({ tsconfig: path.join(dir, "tsconfig.json") })]);
  let t0 = now();
  await withPlugin.rebuild();
  const esbuildCold = now() - t0;
  const warm: number[] = [];
  for (let i = 0; i < 5; i++) {
    t0 = now();
    await withPlugin.rebuild();
    warm.push(now() - t0);
  }
  const edits: number[] = [];
  for (let i = 0; i < 3; i++) {
    const f = path.join(dir, "src", "f25.ts");
    fs.appendFileSync(f, `// edit ${i}\n`);
    t0 = now();
    await withPlugin.rebuild();
    edits.push(now() - t0);
  }
  await withPlugin.dispose();
  return {
    files: FILES,
    tsc: least(tsc),
    tspcPlain: least(tspcPlain),
    tspc: least(tspc),
    patchedPlain: least(patchedPlain),
    patched: least(patched),
    transformerOwn: leastTspc.own ?? NaN,
    transformerFirstFile: leastTspc.first ?? NaN,
    tscWall: least(tsc, (r) => r.wall),
    tspcWall: least(tspc, (r) => r.wall),
    patchedPlainWall: least(patchedPlain, (r) => r.wall),
    patchedWall: least(patched, (r) => r.wall),
    transformed,
    esbuildCold,
    esbuildWarmPlain: median(warmPlain),
    esbuildWarm: median(warm),
    esbuildEdit: median(edits),
  };
}

/** The "Build time" section of RESULTS.md (also printed alone by `--build-time`). */
function buildTimeSection(build: BuildTimes | undefined): string[] {
  const out: string[] = [];
  out.push("## Build time");
  out.push("");
  if (!build) out.push("not measured");
  else if (build.error) out.push(`failed: ${build.error}`);
  else {
    out.push(table(
      ["measure", "time", "ratio"],
      [
        [`tsc, ${build.files}-file project: CPU time (wall ${fmtTime(build.tscWall)})`, fmtTime(build.tsc), "1.00×"],
        ["tspc (ts-patch) without the transformer: CPU time", fmtTime(build.tspcPlain), fmtRatio(build.tspcPlain / build.tsc)],
        [`tspc with backprop-ts/transformer: CPU time (wall ${fmtTime(build.tspcWall)})${build.transformed ? "" : " OUTPUT NOT TRANSFORMED?"}`, fmtTime(build.tspc), fmtRatio(build.tspc / build.tsc)],
        [`tsc patched in place (\`ts-patch install\`) without the transformer: CPU time (wall ${fmtTime(build.patchedPlainWall)})`, fmtTime(build.patchedPlain), fmtRatio(build.patchedPlain / build.tsc)],
        [`tsc patched in place (\`ts-patch install\`) with backprop-ts/transformer: CPU time (wall ${fmtTime(build.patchedWall)})`, fmtTime(build.patched), fmtRatio(build.patched / build.tsc)],
        [`the transformer's own calls: CPU time (first file, which plans the Program: ${fmtTime(build.transformerFirstFile)})`, fmtTime(build.transformerOwn), fmtRatio(build.transformerOwn / build.tsc)],
        ["esbuild + plugin, cold (Program created), wall", fmtTime(build.esbuildCold), ""],
        ["esbuild warm rebuild, no plugin", fmtTime(build.esbuildWarmPlain), ""],
        ["esbuild warm rebuild, with plugin", fmtTime(build.esbuildWarm), ""],
        ["esbuild rebuild after editing one file", fmtTime(build.esbuildEdit), ""],
        ["plugin, warm, per file", `${((build.esbuildWarm - build.esbuildWarmPlain) / build.files).toFixed(2)} ms`, ""],
      ],
    ));
    out.push("");
    const pct = (a: number, b: number) => `${Math.round(((a - b) / build.tsc) * 100) || 0}%`; // never "-0%"
    out.push(`Compiler times are the least of ${BUILD_ROUNDS} interleaved runs each (CPU time of the whole process, its helper threads included). The transformer adds ${pct(build.patched, build.patchedPlain)} of tsc's CPU time to a build with TypeScript patched in place (${Math.round(((build.patchedWall - build.patchedPlainWall) / build.tscWall) * 100) || 0}% of its wall time), ${pct(build.tspc, build.tspcPlain)} under tspc; tspc itself adds ${pct(build.tspcPlain, build.tsc)} before any transformer runs (it patches the compiler in memory at every start), \`ts-patch install\` ${pct(build.patchedPlain, build.tsc)}. Each file of the generated project has one grad site over a record, a loop, a branch and a call into the previous file.`);
  }
  return out;
}

// ── report ──────────────────────────────────────────────────────────────────────────────────
function log(s: string): void {
  process.stderr.write(s + "\n");
}

function fmtTime(ms: number | undefined): string {
  if (ms === undefined) return "—";
  if (ms < 1) return `${(ms * 1000).toPrecision(3)} µs`;
  if (ms < 1000) return `${ms.toPrecision(3)} ms`;
  return `${(ms / 1000).toPrecision(3)} s`;
}

const fmtRatio = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? "—" : x >= 100 ? `${x.toFixed(0)}×` : `${x.toPrecision(3)}×`);
const fmtErr = (x: number | undefined) => (x === undefined ? "—" : x === 0 ? "0" : x.toExponential(1));

function fmtBytes(b: number): string {
  if (b < 1024) return `${b} B`;
  if (b < 1024 * 1024) return `${(b / 1024).toPrecision(3)} KiB`;
  return `${(b / 1024 / 1024).toPrecision(3)} MiB`;
}

function stackSummary(stacks: StackUse[] | undefined): string {
  if (!stacks) return "—";
  const bytesPer = { f64: 8, i32: 4, obj: 8 } as const;
  const used = stacks.reduce((s, x) => s + x.maxEntries * bytesPer[x.kind], 0);
  const parts = (["f64", "i32", "obj"] as const)
    .map((k) => [k, stacks.filter((x) => x.kind === k).reduce((s, x) => s + x.maxEntries, 0)] as const)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`);
  return parts.length ? `${fmtBytes(used)} (${parts.join(", ")})` : "0";
}

function cellText(c: Cell): string {
  if (c.ms !== undefined) return fmtTime(c.ms) + (c.batches === 1 ? " ¹" : "");
  return c.note ?? "—";
}

/** ✓ thresholds of the normwise error against the hand-written gradient */
const TOLERANCE: Record<Impl, number> = { generated: 1e-9, hand: 0, tape: 1e-9, tfjs: 1e-3, jax: 1e-6 };

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

function report(built: BuiltProblem[], rows: (RowResult | { label: string; problem: string; failure: string })[], build: BuildTimes | undefined, started: number, loadBefore: number[], alloc: number[]): string {
  const pendingOf = (name: string) => built.find((b) => b.name === name)?.pending;
  const shortDiag = (d: string) => {
    const m = /^(.*?):(\d+):(\d+) - error (BP\d+)/.exec(d);
    return m ? `not yet supported: ${m[4]} (${path.basename(m[1]!)}:${m[2]}:${m[3]})` : `not yet supported: ${d.slice(0, 60)}`;
  };
  const timeRows: string[][] = [];
  const peerRows: string[][] = [];
  const checkRows: string[][] = [];
  for (const r of rows) {
    if ("failure" in r) {
      timeRows.push([r.label, r.failure, "", "", "", "", "", "", "", ""]);
      continue;
    }
    const c = r.cells;
    const pending = pendingOf(r.problem);
    const wrong = c.generated.err !== undefined && !(c.generated.err <= TOLERANCE.generated);
    const gen = c.generated.ms !== undefined ? cellText(c.generated) + (wrong ? " WRONG" : "") : pending ? shortDiag(pending[0]!) : cellText(c.generated);
    timeRows.push([
      r.label,
      fmtTime(r.objective.ms),
      gen,
      cellText(c.hand),
      cellText(c.tape),
      cellText(c.tfjs),
      cellText(c.jax),
      fmtRatio(c.generated.ms !== undefined ? r.ratios.overObjective : undefined),
      fmtRatio(c.generated.ms !== undefined ? r.ratios.overHand : undefined),
      stackSummary(r.stacks),
    ]);
    const best = c.generated.ms ?? c.hand.ms;
    const vs = (k: Impl) => (c[k].ms !== undefined && best !== undefined ? fmtRatio(c[k].ms! / best) : "—");
    peerRows.push([r.label, c.generated.ms !== undefined ? "generated" : "hand-written", vs("tape"), vs("tfjs"), vs("jax"), fmtRatio(r.ratios.handOverObjective)]);
    const errCell = (k: Impl) => (c[k].err !== undefined ? fmtErr(c[k].err) + (c[k].err! <= TOLERANCE[k] ? " ✓" : " ✗") : c[k].note && !c[k].ms ? (c[k].note.startsWith("not yet") ? "—" : c[k].note) : "—");
    checkRows.push([r.label, errCell("generated"), errCell("tape"), errCell("tfjs"), errCell("jax"), fmtErr(r.fdErr) + (r.fdErr <= 1e-4 ? " ✓" : " ✗")]);
  }
  const out: string[] = [];
  const date = new Date().toISOString().replace("T", " ").slice(0, 16) + " UTC";
  out.push(`# Benchmark results`);
  out.push("");
  out.push(`${date} · \`npm run bench\` · ${os.cpus()[0]?.model.trim() ?? "?"} · nproc ${os.availableParallelism()} · node ${process.version} · ${os.platform()} ${os.arch()} · total ${((now() - started) / 1000).toFixed(0)} s`);
  const git = (...a: string[]) => spawnSync("git", a, { cwd: ROOT, encoding: "utf8" }).stdout?.trim() ?? "";
  const dirty = git("status", "--porcelain", "--", "src").length > 0;
  out.push("");
  out.push(`Measured: commit ${git("rev-parse", "--short", "HEAD") || "?"}${dirty ? " with uncommitted changes in src/" : ""} (the transformer and runtime are bundled from src/, not dist/).`);
  const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(" ");
  out.push("");
  out.push(`Load average (1, 5, 15 min) at the start: ${load(loadBefore)}, at the end: ${load(os.loadavg())}. Anything above ~0.5 means other work shared the ${os.availableParallelism()} cores and the wall times are inflated (the ratios less so).`);
  out.push("");
  out.push(`Allocating a zeroed number[] costs ${fmtTime(alloc[0])} for 1e3 elements and ${fmtTime(alloc[1])} for 1e5 here (a Float64Array of 1e5: ${fmtTime(alloc[2])}): at n = 1e5 a good part of every gradient's time is allocating its result (and the generated code's stacks).`);
  out.push("");
  out.push("## Gradient time (median per call)");
  out.push("");
  out.push(table(["problem", "T (objective)", "T∇ generated", "T∇ hand-written", "T∇ tape", "T∇ tfjs", "T∇ jax-js", "T∇/T", "T∇/T_hand", "stack memory (generated)"], timeRows));
  out.push("");
  out.push("T∇/T and T∇/T_hand are for the generated gradient: the objective, the generated and the hand-written");
  out.push("gradient are timed side by side (a batch of each in turn) and the ratios are medians of per-round ratios,");
  out.push("so they hold while the machine's load drifts; the peers are timed after them. Stack memory: the most entries the generated");
  out.push("code's F64Stack/I32Stack/ObjStack held during one gradient call, at 8/4/8 bytes each (ObjStack: the");
  out.push("references only), measured by swapping instrumented subclasses in after timing (bench/support/runtime.ts).");
  out.push("tfjs: CPU backend, float32. jax-js: `jit(grad(f))`, wasm backend, float64. ¹ one call (it takes more than");
  out.push(`${SLOW_MS / 1000} s): the correctness call, timed, instead of batches.`);
  out.push("");
  out.push("## Peers relative to our fastest gradient (the generated one, else the hand-written one)");
  out.push("");
  out.push(table(["problem", "baseline", "tape / baseline", "tfjs / baseline", "jax-js / baseline", "T_hand/T"], peerRows));
  out.push("");
  out.push("## Correctness (before timing)");
  out.push("");
  out.push(table(["problem", "generated vs hand", "tape vs hand", "tfjs vs hand (f32)", "jax-js vs hand", "hand vs finite diff."], checkRows));
  out.push("");
  out.push("Errors are normwise, max|g − h| / max|h| over all gradient entries (✓ ≤ 1e-9; tfjs ≤ 1e-3, float32;");
  out.push("jax-js ≤ 1e-6: float64, but its exp/log/tanh kernels are not correctly rounded, about 1e-8 relative); the");
  out.push("hand-written gradient is checked against central differences on 8 coordinates (✓ ≤ 1e-4).");
  const pending = built.filter((b) => b.pending);
  if (pending.length) {
    out.push("");
    out.push("## Not yet supported by the transformer");
    out.push("");
    for (const b of pending) for (const d of b.pending!) out.push(`- ${b.name}: \`${d}\``);
  }
  const failed = built.filter((b) => b.buildError);
  for (const b of failed) out.push(`- ${b.name}: BUILD FAILED ${b.buildError}`);
  out.push("");
  out.push(...buildTimeSection(build));
  out.push("");
  return out.join("\n");
}

/** ms to allocate n zeros here, as a number[] or a Float64Array (large ones are costly on some VMs) */
function allocationCost(n: number, typed = false): number {
  const zeros = typed ? () => new Float64Array(n) : () => new Array<number>(n).fill(0);
  let sink = 0;
  for (let w = 0; w < 10; w++) sink += zeros().length;
  const t0 = now();
  let calls = 0;
  while (now() - t0 < 150) {
    sink += zeros().length;
    calls++;
  }
  checksum += sink * 0;
  return (now() - t0) / calls;
}

async function parent(): Promise<void> {
  const started = now();
  const loadBefore = os.loadavg();
  const built = await buildProblems();
  const rows: (RowResult | { label: string; problem: string; failure: string })[] = [];
  let total = 0;
  for (const b of built) {
    for (const size of b.sizes) {
      const t0 = now();
      const r = runChild(b.name, size);
      if (typeof r === "string") {
        rows.push({ label: `${b.name} ${size}`, problem: b.name, failure: r });
        log(`${b.name} ${size}: ${r}`);
      } else {
        rows.push(r);
        total += r.checksum;
        log(`ran ${r.label} in ${((now() - t0) / 1000).toFixed(1)} s`);
      }
    }
  }
  let build: BuildTimes | undefined;
  if (!process.env.BENCH_NO_BUILD_TIME) try {
    log("measuring build time…");
    build = await measureBuild();
  } catch (e) {
    build = { error: message(e) } as BuildTimes;
  }
  const alloc = [allocationCost(1e3), allocationCost(1e5), allocationCost(1e5, true)];
  const text = report(built, rows, build, started, loadBefore, alloc);
  fs.writeFileSync(path.join(BENCH, "RESULTS.md"), text);
  process.stdout.write(text + "\n");
  process.stdout.write(`checksum ${total}\n`);
}

const args = process.argv.slice(2);
if (args[0] === "--child") {
  const r = await child(args[1]!, Number(args[2]));
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(r)}\n`);
  process.exit(0); // jax-js keeps wasm workers alive
} else if (args[0] === "--build-time") {
  // only the build-time measurements (npm run bench -- --build-time), without touching RESULTS.md
  process.stdout.write(buildTimeSection(await measureBuild()).join("\n") + "\n");
} else {
  await parent();
}
