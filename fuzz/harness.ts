// Main side of the fuzzer: prints a batch of programs into one module, runs the real transformer
// over it (optimize on and off), applies the rewrite as text like the bundler plugins, bundles the
// result with esbuild (`backprop-ts` → src/runtime) and runs the checks in a worker thread.
// One Program and one esbuild build serve a whole batch; a batch-level failure (transformer crash,
// unparsable output, load error) is bisected down to the programs that cause it.
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import ts from "typescript";
import * as esbuild from "esbuild";
import type { BpDiagnostic } from "../src/transformer/api.js";
import { mustRejectOverride } from "./expect.js";
import { rewriteFile } from "../src/transformer/pipeline.js";
import { applyRewriteToText } from "../src/transformer/host/apply-text.js";
import { loadTsconfig } from "../src/transformer/host/load-tsconfig.js";
import type { Program } from "./ast.js";
import type { CheckOptions, Result } from "./check.js";
import { printProgram } from "./print.js";
import type { WorkerInput, WorkerMessage } from "./worker.js";

export const ROOT = process.env.BACKPROP_FUZZ_ROOT ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CACHE = path.join(ROOT, "node_modules", ".cache", "backprop-fuzz");

export interface HarnessOptions extends CheckOptions {
  /** programs per module / Program / esbuild build */
  batch: number;
  /** also build with optimize: false and compare */
  noopt: boolean;
  /** ms without progress after which a worker is stopped */
  timeout: number;
  /** every how many programs also get vjp and wrt sites (1: all) */
  fullEvery: number;
}

export const DEFAULTS: HarnessOptions = { points: 3, tries: 16, batch: 50, noopt: true, timeout: 15_000, fullEvery: 1 };

export interface Item { name: string; prog: Program }

interface Batch {
  items: Item[];
  text: string;
  fileName: string;
  /** program name → [first line, last line] (1-based) */
  ranges: Map<string, [number, number]>;
}

export function batchText(items: Item[], fileName: string, fullEvery = 1): Batch {
  const full = (name: string) => Number(name.slice(1)) % fullEvery === 0;
  const lines: string[] = ['import { grad, valueAndGrad, vjp, withGradient } from "backprop-ts";', ""];
  const ranges = new Map<string, [number, number]>();
  for (const { name, prog } of items) {
    const first = lines.length + 1;
    lines.push(`// ${name}: program ${prog.id}`);
    lines.push(...printProgram(prog, { fnName: (f) => `${name}_${f}` }).split("\n"));
    const m = `${name}_main`;
    const n = prog.main.params.length;
    // every site is a derivation to plan and emit: the wrt and vjp sites only where asked for
    const sites = [`f: ${m}`, `g: grad(${m})`, `vg: valueAndGrad(${m})`];
    if (full(name)) sites.push(`vj: vjp(${m})`, `g0: grad(${m}, 0)`, `gw: grad(${m}, [${n - 1}, 0])`);
    lines.push(`const ${name} = { ${sites.join(", ")} };`);
    ranges.set(name, [first, lines.length]);
    lines.push("");
  }
  lines.push(`export const entries = { ${items.map((i) => i.name).join(", ")} };`, "");
  return { items, text: lines.join("\n"), fileName, ranges };
}

// ---- TypeScript: one Program per batch; lib and runtime SourceFiles parsed once per process ----

class Compiler {
  readonly options: ts.CompilerOptions;
  private files = new Map<string, ts.SourceFile>();
  private host: ts.CompilerHost;
  private virtual = new Map<string, string>();

  constructor() {
    const config = loadTsconfig(ts, ROOT);
    this.options = { ...config.options, noEmit: true, incremental: false, composite: false };
    const base = ts.createCompilerHost(this.options, true);
    this.host = {
      ...base,
      fileExists: (f) => this.virtual.has(norm(f)) || base.fileExists(f),
      readFile: (f) => this.virtual.get(norm(f)) ?? base.readFile(f),
      getSourceFile: (f, lang, onError, shouldCreate) => {
        const v = this.virtual.get(norm(f));
        if (v !== undefined) return ts.createSourceFile(f, v, lang, true);
        let sf = this.files.get(f);
        if (!sf || shouldCreate) {
          sf = base.getSourceFile(f, lang, onError, shouldCreate);
          if (sf) this.files.set(f, sf);
        }
        return sf;
      },
    };
  }

  program(fileName: string, text: string): { program: ts.Program; sourceFile: ts.SourceFile } {
    this.virtual.clear();
    this.virtual.set(norm(fileName), text);
    const program = ts.createProgram({ rootNames: [fileName], options: this.options, host: this.host });
    return { program, sourceFile: program.getSourceFile(fileName)! };
  }
}

const norm = (f: string) => path.resolve(f).replace(/\\/g, "/");
let compiler: Compiler | undefined;
const getCompiler = () => (compiler ??= new Compiler());

// ---- one batch ----

/** `name`: the program it was traced to, if any (else the batch is bisected) */
type BatchFailure = { cls: string; detail: string; name?: string; /** several programs at once */ each?: Map<string, string> };

interface Built {
  code: string;
  /** per program: rejection diagnostics, or a failure found at build time */
  rejected: Map<string, string[]>;
  failed: Map<string, BatchFailure>;
}

function programOfLine(b: Batch, line: number): string | undefined {
  for (const [name, [lo, hi]] of b.ranges) if (line >= lo && line <= hi) return name;
  return undefined;
}

function located(b: Batch, d: BpDiagnostic): string | undefined {
  if (norm(d.fileName) !== norm(b.fileName) || !(d.line >= 1) || !(d.column >= 1) || !d.message) return undefined;
  const lineText = b.text.split("\n")[d.line - 1];
  if (lineText === undefined || d.column > lineText.length + 1) return undefined;
  return programOfLine(b, d.line);
}

function describe(b: Batch, d: BpDiagnostic): string {
  const lineText = b.text.split("\n")[d.line - 1] ?? "";
  return `BP${d.code} at ${d.line}:${d.column} \`${lineText.trim()}\`: ${d.message}`;
}

/** Transform + bundle; a thrown BatchFailure means the whole batch failed (bisect it). */
async function build(b: Batch, noopt: boolean): Promise<Built> {
  const clock = timer();
  const { program, sourceFile } = getCompiler().program(b.fileName, b.text);
  clock("program");
  const rejected = new Map<string, string[]>();
  const failed = new Map<string, BatchFailure>();

  // a generated program must type-check: anything else is a generator bug, not a transformer one
  const typeErrors = process.env.BACKPROP_FUZZ_NOTYPECHECK ? [] : [...program.getSyntacticDiagnostics(sourceFile), ...program.getSemanticDiagnostics(sourceFile)];
  for (const d of typeErrors) {
    const line = sourceFile.getLineAndCharacterOfPosition(d.start ?? 0).line + 1;
    const name = programOfLine(b, line);
    const msg = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    if (!name) throw { cls: "harness", detail: `type error outside programs: ${msg}` } satisfies BatchFailure;
    if (!failed.has(name)) failed.set(name, { cls: "type-error", detail: `TS${d.code} at line ${line}: ${msg}\n${b.text.split("\n")[line - 1]}` });
  }
  // a program that does not type-check is the generator's bug: check the others without it
  if (failed.size) throw { cls: "type-error", detail: "", each: new Map([...failed].map(([n, f]) => [n, f.detail])) } satisfies BatchFailure;

  clock("typecheck");
  const codes: string[] = [];
  const diagsBy: Map<string, string[]>[] = [];
  for (const optimize of noopt ? [true, false] : [true]) {
    let rewrite;
    try {
      rewrite = rewriteFile(ts, program, sourceFile, { optimize });
    } catch (e) {
      throw { cls: "crash", detail: `rewriteFile(optimize: ${optimize}) threw ${e instanceof Error ? e.stack : String(e)}` } satisfies BatchFailure;
    }
    const by = new Map<string, string[]>();
    for (const d of rewrite.diagnostics) {
      const name = located(b, d);
      if (!name) throw { cls: "unlocated-diagnostic", detail: `diagnostic without a location in a program: ${JSON.stringify({ ...d, fileName: path.basename(d.fileName) })}` } satisfies BatchFailure;
      by.set(name, [...(by.get(name) ?? []), describe(b, d)]);
    }
    diagsBy.push(by);
    let edit;
    try {
      edit = applyRewriteToText(ts, sourceFile, rewrite);
    } catch (e) {
      throw { cls: "crash", detail: `applyRewriteToText(optimize: ${optimize}) threw ${e instanceof Error ? e.stack : String(e)}` } satisfies BatchFailure;
    }
    codes.push(edit?.code ?? b.text);
    clock(`rewrite(optimize: ${optimize})`);
  }
  for (const { name } of b.items) {
    const [o, n] = [diagsBy[0]!.get(name), diagsBy[1]?.get(name)];
    if (failed.has(name)) continue;
    // BP9xxx is the transformer failing on code it should handle: a bug, not a rejection
    const internal = [...(o ?? []), ...(n ?? [])].find((d) => /^BP9\d\d\d /.test(d));
    if (internal) { failed.set(name, { cls: "internal-error", detail: internal }); continue; }
    if (o && (n || !noopt)) rejected.set(name, o);
    else if (o || n) failed.set(name, { cls: "opt-noopt-reject", detail: `rejected only with optimize: ${o ? "true" : "false"}: ${(o ?? n)!.join("; ")}` });
  }

  const entry = [
    `import { entries as opt } from "fuzz:opt";`,
    noopt ? `import { entries as noopt } from "fuzz:noopt";` : `const noopt = undefined;`,
    `import { workerMain } from ${JSON.stringify(path.join(ROOT, "fuzz", "worker.ts"))};`,
    `workerMain(opt, noopt);`,
  ].join("\n");
  const modules: Record<string, string> = { "fuzz:entry": entry, "fuzz:opt": codes[0]!, "fuzz:noopt": codes[1] ?? "" };
  try {
    const out = await esbuild.build({
      entryPoints: ["fuzz:entry"],
      bundle: true,
      write: false,
      format: "cjs",
      platform: "node",
      target: "node20",
      logLevel: "silent",
      alias: { "backprop-ts": path.join(ROOT, "src", "runtime", "index.ts") },
      plugins: [{
        name: "fuzz-virtual",
        setup(bld) {
          bld.onResolve({ filter: /^fuzz:/ }, (a) => ({ path: a.path, namespace: "fuzz" }));
          bld.onLoad({ filter: /.*/, namespace: "fuzz" }, (a) => ({ contents: modules[a.path], loader: "ts", resolveDir: ROOT }));
        },
      }],
    });
    clock("esbuild");
    return { code: out.outputFiles[0]!.text, rejected, failed };
  } catch (e) {
    const errors = (e as esbuild.BuildFailure).errors ?? [];
    const first = errors[0];
    const loc = first?.location;
    // an error in the emitted code: the program it falls in is the last `// pN:` marker above it
    let name: string | undefined;
    const mod = loc ? modules[loc.file.replace(/^fuzz:/, "")] : undefined;
    if (loc && mod) {
      const lines = mod.split("\n");
      for (let l = loc.line - 1; l >= 0 && !name; l--) name = /^\s*\/\/ (p\d+): program /.exec(lines[l] ?? "")?.[1];
    }
    const which = loc?.file.endsWith(":noopt") ? " (optimize: false)" : "";
    // esbuild stops at the first syntax error of a module: parse each program's part on its own
    // to find every program whose emitted code does not parse, in one go
    const each = new Map<string, string>();
    for (const k of ["opt", "noopt"] as const) await (async () => {
      const text = modules[`fuzz:${k}`];
      if (!text) return;
      for (const [pname, region] of regions(text)) {
        if (each.has(pname)) continue;
        try {
          await esbuild.transform(region, { loader: "ts", logLevel: "silent" });
        } catch (err) {
          const x = ((err as esbuild.TransformFailure).errors ?? [])[0];
          if (!x) continue;
          each.set(pname, `esbuild rejected the transformed module${k === "noopt" ? " (optimize: false)" : ""}: ${x.text}${x.location ? ` at \`${x.location.lineText.trim()}\`` : ""}`);
        }
      }
    })();
    throw { cls: "build", name, each: each.size ? each : undefined, detail: `esbuild rejected the transformed module${which}: ${first?.text ?? String(e)}${loc ? ` at \`${loc.lineText.trim()}\`` : ""}` } satisfies BatchFailure;
  }
}

/** program name → its part of a (transformed) batch module, by the `// pN: program` markers */
function regions(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = text.split("\n");
  let name: string | undefined;
  let from = 0;
  const close = (to: number) => { if (name) out.set(name, lines.slice(from, to).join("\n")); };
  lines.forEach((l, i) => {
    const m = /^\s*\/\/ (p\d+): program /.exec(l);
    if (m || l.startsWith("export const entries")) { close(i); name = m?.[1]; from = i; }
  });
  close(lines.length);
  return out;
}

/** Runs the checks of `names` in a worker; returns results so far and, if it stopped early, why. */
function runWorker(codeFile: string, b: Batch, names: string[], o: HarnessOptions): Promise<{ results: Result[]; stuck?: { name?: string; failure: BatchFailure } }> {
  return new Promise((resolve) => {
    const items = b.items.filter((i) => names.includes(i.name));
    const input: WorkerInput = { items, options: { points: o.points, tries: o.tries, maxLen: o.maxLen, nonfinite: o.nonfinite } };
    const worker = new Worker(codeFile, { workerData: input, stdout: true, stderr: true });
    const results: Result[] = [];
    let current: string | undefined;
    let done = false;
    let timer: NodeJS.Timeout;
    const finish = (stuck?: { name?: string; failure: BatchFailure }) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve({ results, stuck });
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => finish({ name: current, failure: { cls: "timeout", detail: `no result after ${o.timeout} ms (an infinite loop in generated code?)` } }), o.timeout);
    };
    arm();
    worker.on("message", (m: WorkerMessage) => {
      arm();
      if (m.kind === "start") current = m.name;
      else if (m.kind === "result") { results.push(m.result); current = undefined; }
      else finish();
    });
    worker.on("error", (e) => finish({ name: current, failure: { cls: current ? "uncaught" : "load", detail: `${e.name}: ${e.message}` } }));
    worker.on("exit", () => finish(results.length < items.length ? { name: current, failure: { cls: "load", detail: "worker exited early" } } : undefined));
  });
}

let batchCounter = 0;

/** BACKPROP_FUZZ_TIMING=1 prints where a batch spends its time */
function timer(): (what: string) => void {
  let t = performance.now();
  return (what) => {
    if (!process.env.BACKPROP_FUZZ_TIMING) return;
    const now = performance.now();
    console.error(`    ${what}: ${(now - t).toFixed(0)} ms`);
    t = now;
  };
}

async function runBatch(items: Item[], o: HarnessOptions): Promise<Result[]> {
  if (items.length === 0) return [];
  fs.mkdirSync(CACHE, { recursive: true });
  const id = `${process.pid}-${batchCounter++}`;
  const b = batchText(items, path.join(ROOT, ".tmp", "fuzz", `batch-${id}.ts`), o.fullEvery);
  let built: Built;
  try {
    built = await build(b, o.noopt);
  } catch (e) {
    if (!(e && typeof e === "object" && "cls" in e)) throw e;
    const f = e as BatchFailure;
    if (f.each && [...f.each.keys()].some((n) => items.some((i) => i.name === n))) {
      const bad = items.filter((i) => f.each!.has(i.name));
      return [
        ...bad.map((i): Result => ({ name: i.name, outcome: f.cls === "type-error" ? "invalid" : "fail", cls: f.cls, detail: f.each!.get(i.name)! })),
        ...(await runBatch(items.filter((i) => !f.each!.has(i.name)), o)),
      ];
    }
    if (f.name && items.some((i) => i.name === f.name)) {
      // traced to one program: report it, check the others without it
      const { name: _n, ...failure } = f;
      return [{ name: f.name, outcome: "fail", ...failure }, ...(await runBatch(items.filter((i) => i.name !== f.name), o))];
    }
    return bisect(items, o, f);
  }
  const results: Result[] = [];
  for (const [name, f] of built.failed) results.push({ name, outcome: f.cls === "type-error" ? "invalid" : "fail", ...f });
  // BP1020 only where an overridden method or getter is called through its base type
  const expected = new Map(items.map((i) => [i.name, mustRejectOverride(i.prog)]));
  for (const [name, ds] of built.rejected) {
    const bp1020 = ds.find((d) => d.startsWith("BP1020 "));
    if (bp1020 && !expected.get(name)) results.push({ name, outcome: "fail", cls: "spurious-BP1020", detail: `rejected although no overridden member is called through its base type: ${bp1020}` });
    else results.push({ name, outcome: "rejected", detail: ds.join("\n") });
  }
  // one that is not rejected is checked like any other: a call whose result does not reach the
  // gradient runs as written (dispatched by JavaScript), and one that does would differentiate the
  // wrong body, which the comparison with forward mode (dispatching dynamically) finds
  let todo = items.map((i) => i.name).filter((n) => !built.failed.has(n) && !built.rejected.has(n));
  const codeFile = path.join(CACHE, `batch-${id}.cjs`);
  fs.writeFileSync(codeFile, built.code);
  try {
    while (todo.length > 0) {
      const clock = timer();
      const r = await runWorker(codeFile, b, todo, o);
      clock(`worker (${todo.length} programs)`);
      results.push(...r.results);
      const finished = new Set(r.results.map((x) => x.name));
      todo = todo.filter((n) => !finished.has(n));
      if (!r.stuck) break;
      if (r.stuck.name) {
        results.push({ name: r.stuck.name, outcome: "fail", ...r.stuck.failure });
        todo = todo.filter((n) => n !== r.stuck!.name);
      } else {
        // failed before checking anything (the module did not load): find who breaks it
        results.push(...(await bisect(items.filter((i) => todo.includes(i.name)), o, r.stuck.failure)));
        todo = [];
      }
    }
  } finally {
    fs.rmSync(codeFile, { force: true });
  }
  return results;
}

async function bisect(items: Item[], o: HarnessOptions, failure: BatchFailure): Promise<Result[]> {
  if (items.length === 1) return [{ name: items[0]!.name, outcome: "fail", ...failure }];
  const half = Math.ceil(items.length / 2);
  return [...(await runBatch(items.slice(0, half), o)), ...(await runBatch(items.slice(half), o))];
}

/** Checks programs in batches; results in the order given. */
export async function runPrograms(progs: Program[], options: Partial<HarnessOptions> = {}, onBatch?: (done: Result[]) => void): Promise<Result[]> {
  const o = { ...DEFAULTS, ...options };
  const items = progs.map((prog, i) => ({ name: `p${i}`, prog }));
  const byName = new Map<string, Result>();
  // two batches in flight: one transforms (main thread) while the other's worker checks
  const chunks: Item[][] = [];
  for (let i = 0; i < items.length; i += o.batch) chunks.push(items.slice(i, i + o.batch));
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < chunks.length) {
      const rs = await runBatch(chunks[next++]!, o);
      for (const r of rs) byName.set(r.name, r);
      onBatch?.(rs);
    }
  };
  await Promise.all([lane(), lane()]);
  return items.map((it) => {
    const r = byName.get(it.name) ?? { name: it.name, outcome: "fail" as const, cls: "checker", detail: "no result" };
    return r;
  });
}

/** The module text after the transformer (optimize on or off), for looking at generated code. */
export function transformedText(items: Item[], optimize: boolean): { code: string; diagnostics: string[] } {
  const b = batchText(items, path.join(ROOT, ".tmp", "fuzz", `inspect-${process.pid}.ts`));
  const { program, sourceFile } = getCompiler().program(b.fileName, b.text);
  const rewrite = rewriteFile(ts, program, sourceFile, { optimize });
  const edit = applyRewriteToText(ts, sourceFile, rewrite);
  return { code: edit?.code ?? b.text, diagnostics: rewrite.diagnostics.map((d) => describe(b, d)) };
}
