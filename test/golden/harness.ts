// Shared machinery of the golden runners (fixtures.test.ts, errors.test.ts): one small Program per
// case folder with the repo's compiler options, the real pipeline, and a way to run its output.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import * as esbuild from "esbuild";
import ts from "typescript";
import type { FileRewrite } from "../../src/transformer/api.js";
import { applyRewriteToText } from "../../src/transformer/host/apply-text.js";
import { loadTsconfig } from "../../src/transformer/host/load-tsconfig.js";
import { rewriteFile } from "../../src/transformer/pipeline.js";

export const REPO = path.resolve(fileURLToPath(new URL("../..", import.meta.url))).replace(/\\/g, "/");
export const RUNTIME = `${REPO}/src/runtime/index.ts`;
export const UPDATE = process.env.UPDATE_GOLDEN === "1";

/** The repo's tsconfig options (`backprop-ts` → src/runtime via `paths`); never emit. Cases use no
 * Node globals, so `types: []` keeps @types/node out of every Program (a third of the time). */
const options: ts.CompilerOptions = { ...loadTsconfig(ts, REPO).options, noEmit: true, incremental: false, composite: false, types: [] };

// Parsed SourceFiles shared by every Program (lib .d.ts, @types/node, the runtime): each case
// builds its own Program, so one case cannot break another, but none reparses what is shared.
const shared = new Map<string, ts.SourceFile>();
const baseHost = ts.createCompilerHost(options, true);
const host: ts.CompilerHost = {
  ...baseHost,
  getSourceFile(fileName, languageVersion, onError, shouldCreateNew) {
    const key = fileName.replace(/\\/g, "/");
    const local = key.startsWith(`${REPO}/test/`);
    if (!local) {
      const hit = shared.get(key);
      if (hit) return hit;
    }
    const sf = baseHost.getSourceFile(fileName, languageVersion, onError, shouldCreateNew);
    if (sf && !local) shared.set(key, sf);
    return sf;
  },
};

/** Case folders under `dir` (skipping `_pending` and other `_`-prefixed folders). */
export function caseFolders(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith("_") && !e.name.startsWith("."))
    .map((e) => e.name)
    .sort();
}

/** The modules of a case folder: input.ts first, then any other .ts that is not a golden. */
export function modulesOf(folder: string): string[] {
  const names = fs.readdirSync(folder).filter((n) => n.endsWith(".ts") && !n.endsWith(".expected.ts") && n !== "expected.ts");
  return names.sort((a, b) => (a === "input.ts" ? -1 : b === "input.ts" ? 1 : a.localeCompare(b)));
}

/** Golden file for a module: input.ts → expected.ts, lib.ts → lib.expected.ts. */
export const goldenOf = (module: string) => (module === "input.ts" ? "expected.ts" : module.replace(/\.ts$/, ".expected.ts"));

export function createProgram(rootNames: string[]): ts.Program {
  return ts.createProgram({ rootNames: rootNames.map((f) => f.replace(/\\/g, "/")), options, host });
}

export interface Transformed {
  fileName: string;
  rewrite: FileRewrite;
  /** transformed text; the original text when the pipeline changes nothing */
  text: string;
}

/**
 * rewriteFile on every module of a case folder. All folders of one root (test/fixtures,
 * test/errors) share one Program — a Program and its Plan cost ~100 ms each, mostly the checker
 * resolving the API's generic types — unless the pipeline throws there: then the folder gets a
 * Program of its own, so a case that crashes the pipeline fails alone (and is reported as such).
 */
export function rewriteFolder(folder: string, optimize: boolean): { fileName: string; sourceFile: ts.SourceFile; rewrite: FileRewrite }[] {
  const files = modulesOf(folder).map((m) => `${folder}/${m}`.replace(/\\/g, "/"));
  const run = (program: ts.Program) =>
    files.map((fileName) => {
      const sourceFile = program.getSourceFile(fileName);
      if (!sourceFile) throw new Error(`not in the Program: ${fileName}`);
      return { fileName, sourceFile, rewrite: rewriteFile(ts, program, sourceFile, { optimize }) };
    });
  const shared = sharedProgram(path.dirname(folder));
  if (shared) {
    try {
      return run(shared);
    } catch {
      brokenShared.add(path.dirname(folder));
    }
  }
  let own = ownPrograms.get(folder);
  if (!own) ownPrograms.set(folder, (own = createProgram(files)));
  return run(own);
}

const sharedPrograms = new Map<string, ts.Program>();
const brokenShared = new Set<string>();
const ownPrograms = new Map<string, ts.Program>();

function sharedProgram(root: string): ts.Program | undefined {
  if (brokenShared.has(root)) return undefined;
  let program = sharedPrograms.get(root);
  if (!program) {
    const files = caseFolders(root).flatMap((name) => modulesOf(`${root}/${name}`).map((m) => `${root}/${name}/${m}`));
    sharedPrograms.set(root, (program = createProgram(files)));
  }
  return program;
}

/** rewriteFile + applyRewriteToText on every module of a folder. */
export function transformFolder(folder: string, optimize: boolean): Transformed[] {
  return rewriteFolder(folder, optimize).map(({ fileName, sourceFile, rewrite }) => ({
    fileName,
    rewrite,
    text: applyRewriteToText(ts, sourceFile, rewrite)?.code ?? sourceFile.text,
  }));
}

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), "bp-golden-"));
let bundles = 0;

/** esbuild: `entry` with the transformed modules served instead of the disk copies, backprop-ts from src/runtime. */
async function bundle(entry: string, modules: Transformed[]): Promise<string> {
  const texts = new Map(modules.map((m) => [path.resolve(m.fileName), m.text]));
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "node",
    write: false,
    logLevel: "silent",
    alias: { "backprop-ts": RUNTIME },
    plugins: [
      {
        name: "golden-transformed",
        setup(build) {
          build.onLoad({ filter: /\.ts$/ }, (args) => {
            const text = texts.get(path.resolve(args.path));
            return text === undefined ? undefined : { contents: text, loader: "ts" };
          });
        },
      },
    ],
  });
  const out = `${tmpRoot}/bundle-${bundles++}.mjs`;
  fs.writeFileSync(out, result.outputFiles[0]!.text);
  return out;
}

// Bundles run in worker threads that stay up between cases (starting one costs 50–250 ms), each
// running one case at a time; a worker that does not answer in time is terminated and replaced.
const WORKER_SCRIPT = `
import { parentPort, workerData } from "node:worker_threads";
const { checkCases } = await import(workerData.checker);
parentPort.on("message", async ({ bundle, label }) => {
  let failures;
  try {
    const fixture = await import(bundle);
    failures = checkCases(fixture.cases, label);
  } catch (e) {
    failures = [label + ": the transformed module threw while loading: " + (e && e.stack || e)];
  }
  parentPort.postMessage(failures);
});
`;

interface Slot {
  worker: Worker;
  busy: boolean;
}
const slots: Slot[] = [];
const waiting: ((slot: Slot) => void)[] = [];
let workerFiles: Promise<{ script: string; checker: string }> | undefined;

function prepareWorkerFiles() {
  return (workerFiles ??= (async () => {
    const checker = `${tmpRoot}/check-cases.mjs`;
    await esbuild.build({ entryPoints: [`${REPO}/test/golden/check-cases.ts`], bundle: true, format: "esm", platform: "node", outfile: checker, logLevel: "silent" });
    const script = `${tmpRoot}/worker.mjs`;
    fs.writeFileSync(script, WORKER_SCRIPT);
    return { script, checker: pathToFileURL(checker).href };
  })());
}

async function acquire(): Promise<Slot> {
  const free = slots.find((s) => !s.busy);
  if (free) return ((free.busy = true), free);
  if (slots.length < 2) {
    const { script, checker } = await prepareWorkerFiles();
    const slot: Slot = { worker: new Worker(script, { workerData: { checker } }), busy: true };
    slot.worker.unref();
    slots.push(slot);
    return slot;
  }
  return new Promise((resolve) => waiting.push(resolve));
}

function release(slot: Slot): void {
  const next = waiting.shift();
  if (next) next(slot);
  else slot.busy = false;
}

/**
 * Runs a fixture's `cases` (check-cases.ts) on its transformed code in a worker thread, stopped after
 * `timeoutMs` (generated code that loops forever fails its case instead of hanging the run).
 * Resolves to failure messages, [] when every case passes.
 */
export async function runCases(entry: string, modules: Transformed[], label: string, timeoutMs = 10_000): Promise<string[]> {
  const file = await bundle(entry, modules);
  const slot = await acquire();
  return new Promise<string[]>((resolve) => {
    const { worker } = slot;
    const finish = (failures: string[], healthy: boolean) => {
      clearTimeout(timer);
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
      if (!healthy) {
        void worker.terminate();
        slots.splice(slots.indexOf(slot), 1);
        const next = waiting.shift();
        if (next) void acquire().then(next);
      } else release(slot);
      resolve(failures);
    };
    const onMessage = (failures: string[]) => finish(failures, true);
    const onError = (e: unknown) => finish([`${label}: the worker failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`], false);
    const onExit = (code: number) => finish([`${label}: the worker exited (${code}) without a result`], false);
    const timer = setTimeout(() => finish([`${label}: still running after ${timeoutMs} ms (an infinite loop?)`], false), timeoutMs);
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
    worker.postMessage({ bundle: pathToFileURL(file).href, label });
  });
}

export function cleanupTemp(): void {
  for (const { worker } of slots.splice(0)) void worker.terminate();
  fs.rmSync(tmpRoot, { recursive: true, force: true });
}
