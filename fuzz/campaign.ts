// A fuzzing campaign: generate → check in batches → summarise → shrink failures → write
// reproducers. Shared by the CLI and the test suite.
import type { Program } from "./ast.js";
import type { Result } from "./check.js";
import { ALL_FEATURES, generateProgram, type GenOptions } from "./generate.js";
import { runPrograms, type HarnessOptions } from "./harness.js";
import { printProgram } from "./print.js";
import { shrink, signature } from "./shrink.js";
import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT, transformedText } from "./harness.js";
import { parseProgram } from "./parse.js";
import { validate } from "./validate.js";

export interface Summary {
  run: number;
  clean: number;
  rejected: number;
  skipped: number;
  invalid: number;
  failures: number;
  /** failure signature (class and gist, see shrink.ts) → results */
  byClass: Map<string, { result: Result; prog: Program }[]>;
  /** rejection message (without position) → count */
  rejections: Map<string, number>;
}

export function summarise(progs: Program[], results: Result[]): Summary {
  const s: Summary = { run: results.length, clean: 0, rejected: 0, skipped: 0, invalid: 0, failures: 0, byClass: new Map(), rejections: new Map() };
  results.forEach((r, i) => {
    if (r.outcome === "clean") s.clean++;
    else if (r.outcome === "rejected") {
      s.rejected++;
      for (const line of (r.detail ?? "").split("\n")) {
        // without the position and the batch's name prefixes (`p13_C0.m`), so that one kind counts once
        const key = line.replace(/ at \d+:\d+ `[^`]*`/, "").replace(/\bp\d+_/g, "");
        s.rejections.set(key, (s.rejections.get(key) ?? 0) + 1);
      }
    } else if (r.outcome === "skipped") s.skipped++;
    else {
      if (r.outcome === "invalid") s.invalid++;
      else s.failures++;
      // grouped by signature: the class and the gist of the message (what the shrinker keeps)
      const cls = r.outcome === "invalid" ? `invalid:${r.cls ?? "?"}` : signature(r);
      const list = s.byClass.get(cls) ?? [];
      list.push({ result: r, prog: progs[i]! });
      s.byClass.set(cls, list);
    }
  });
  return s;
}

interface CliOptions {
  count: number;
  seed: number;
  start: number;
  gen: GenOptions;
  harness: Partial<HarnessOptions>;
  shrink: boolean;
  out?: string;
  program?: string;
  file?: string;
  inspect: boolean;
  verbose: boolean;
  /** print a machine-readable summary as the last line (`FUZZ-JSON {…}`) */
  json?: boolean;
  /** check every .ts reproducer in this directory instead of generating */
  files?: string;
  /** validate and print/parse round-trip this many generated programs */
  selftest?: number;
}

/** Bad command-line input: printed without a stack trace (exit code 2). */
export class UsageError extends Error {}

const USAGE = `usage: npm run fuzz -- [--count N] [--seed S] [--start K] [--size N] [--without f1,f2] [--shrink]
       [--points N] [--full-every N] [--no-noopt] [--check-nonfinite] [--json] [--out DIR] [-v]
       npm run fuzz -- --program SEED:INDEX [--size N] [--inspect]   one program, printed
       npm run fuzz -- --file PATH [--inspect]                        a reproducer, checked
       (--without help lists the generator features; see fuzz/README.md)`;

function parseArgs(argv: string[]): CliOptions {
  const o: CliOptions = { count: 200, seed: 1, start: 0, gen: {}, harness: {}, shrink: false, inspect: false, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = () => argv[++i]!;
    switch (a) {
      case "--count": o.count = Number(next()); break;
      case "--seed": o.seed = Number(next()); break;
      case "--start": o.start = Number(next()); break;
      case "--size": o.gen.size = Number(next()); break;
      case "--max-trip": o.gen.maxTrip = Number(next()); break;
      case "--loop-depth": o.gen.loopDepth = Number(next()); break;
      case "--max-len": o.harness.maxLen = Number(next()); break;
      case "--check-nonfinite": o.harness.nonfinite = true; break;
      case "--batch": o.harness.batch = Number(next()); break;
      case "--points": o.harness.points = Number(next()); break;
      case "--no-noopt": o.harness.noopt = false; break;
      case "--full-every": o.harness.fullEvery = Number(next()); break;
      case "--shrink": o.shrink = true; break;
      case "--out": o.out = next(); break;
      case "--program": o.program = next(); break;
      case "--file": o.file = next(); break;
      case "--inspect": o.inspect = true; break;
      case "--verbose": case "-v": o.verbose = true; break;
      case "--json": o.json = true; break;
      case "--files": o.files = next(); break;
      case "--selftest": o.selftest = Number(next()); break;
      case "--without": {
        const fs = next().split(",");
        if (fs[0] === "help") throw new UsageError(`features: ${Object.keys(ALL_FEATURES).join(", ")}`);
        for (const f of fs) if (!(f in ALL_FEATURES)) throw new UsageError(`unknown feature ${f} (features: ${Object.keys(ALL_FEATURES).join(", ")})`);
        o.gen.features = { ...o.gen.features, ...Object.fromEntries(fs.map((f) => [f, false])) };
        break;
      }
      case "--help": case "-h": throw new UsageError(USAGE);
      default: throw new UsageError(`unknown argument ${a}\n${USAGE}`);
    }
  }
  return o;
}

export async function runCli(argv: string[]): Promise<number> {
  const o = parseArgs(argv);
  if (o.program || o.file) {
    let prog: Program;
    if (o.file) prog = parseProgram(fs.readFileSync(o.file, "utf8"), path.basename(o.file));
    else {
      const [s, i] = o.program!.split(":").map(Number);
      prog = generateProgram(s!, i!, o.gen);
    }
    console.log(printProgram(prog));
    if (o.inspect) {
      for (const optimize of [true, false]) {
        const t = transformedText([{ name: "p0", prog }], optimize);
        console.log(`\n// ---- transformed, optimize: ${optimize} ----\n${t.code}${t.diagnostics.join("\n")}`);
      }
    }
    const [r] = await runPrograms([prog], o.harness);
    console.log(JSON.stringify(r, null, 2));
    return r!.outcome === "fail" ? 1 : 0;
  }
  if (o.selftest !== undefined) {
    const problems: string[] = [];
    for (let i = o.start; i < o.start + o.selftest; i++) {
      const p = generateProgram(o.seed, i, o.gen);
      const v = validate(p);
      if (v) problems.push(`${p.id}: invalid: ${v}`);
      const text = printProgram(p);
      try {
        if (printProgram(parseProgram(text)) !== text) problems.push(`${p.id}: print → parse → print differs`);
      } catch (e) {
        problems.push(`${p.id}: does not parse back: ${String(e)}`);
      }
    }
    console.log(problems.length ? problems.join("\n") : `${o.selftest} generated programs valid and round-trip`);
    if (o.json) console.log(`FUZZ-JSON ${JSON.stringify({ problems })}`);
    return problems.length ? 1 : 0;
  }
  const t0 = Date.now();
  const progs: Program[] = [];
  let names: string[] | undefined;
  if (o.files) {
    const dir = path.resolve(o.files);
    names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".ts")).sort() : [];
    for (const f of names) progs.push(parseProgram(fs.readFileSync(path.join(dir, f), "utf8"), f));
  } else {
    for (let i = o.start; i < o.start + o.count; i++) progs.push(generateProgram(o.seed, i, o.gen));
  }
  let done = 0;
  const results = await runPrograms(progs, o.harness, (rs) => {
    done += rs.length;
    const bad = rs.filter((r) => r.outcome === "fail").length;
    console.log(`  ${done}/${progs.length} programs  (${((Date.now() - t0) / 1000).toFixed(1)} s)${bad ? `  ${bad} failing in this batch` : ""}`);
  });
  const s = summarise(progs, results);
  if (names) results.forEach((r, i) => console.log(`  ${names![i]}: ${r.outcome}${r.cls ? ` (${r.cls})` : ""}${r.outcome === "clean" ? "" : ` ${r.detail ?? ""}`}`));
  console.log(`\n${o.files ? o.files : `seed ${o.seed}, programs ${o.start}..${o.start + o.count - 1}`}: ${s.run} run, ${s.clean} clean, ${s.rejected} rejected with a located diagnostic, ${s.skipped} skipped (no smooth finite point), ${s.invalid} invalid (harness), ${s.failures} failures  [${((Date.now() - t0) / 1000).toFixed(1)} s]`);
  if (s.rejections.size) {
    console.log("\nrejections:");
    for (const [k, n] of [...s.rejections].sort((a, b) => b[1] - a[1])) console.log(`  ${n} × ${k}`);
  }
  for (const [cls, list] of s.byClass) {
    console.log(`\n${cls}: ${list.length} program(s): ${list.slice(0, 12).map((x) => x.prog.id).join(" ")}${list.length > 12 ? " …" : ""}`);
    console.log(`  e.g. ${list[0]!.prog.id}: ${(list[0]!.result.detail ?? "").slice(0, o.verbose ? 4000 : 600)}`);
  }
  if (o.shrink) {
    // one reproducer per distinct failure signature, shrunk from the smallest program that shows it
    const bySig = new Map<string, { result: Result; prog: Program }>();
    for (const list of s.byClass.values()) {
      for (const x of list) {
        const sig = signature(x.result);
        if (!sig) continue;
        const prev = bySig.get(sig);
        if (!prev || printProgram(x.prog).length < printProgram(prev.prog).length) bySig.set(sig, x);
      }
    }
    const dir = path.resolve(ROOT, o.out ?? "test/fuzz/regressions");
    fs.mkdirSync(dir, { recursive: true });
    for (const [sig, x] of bySig) {
      console.log(`\nshrinking ${x.prog.id} (${sig}) …`);
      const before = printProgram(x.prog).split("\n").length;
      const small = await shrink(x.prog, x.result, { harness: o.harness, log: o.verbose ? (l) => console.log(l) : undefined });
      const file = path.join(dir, `${slug(sig)}-${x.prog.id.replace(":", "-")}.ts`);
      fs.writeFileSync(file, regressionText(small.prog, small.result, x.prog.id, before));
      console.log(`  ${path.relative(process.cwd(), file)}: ${printProgram(small.prog).split("\n").length} lines (from ${before}), ${small.rounds} rounds`);
      console.log(printProgram(small.prog).replace(/^/gm, "    "));
      console.log(`  fails: ${(small.result.detail ?? "").slice(0, 400)}`);
    }
  }
  if (o.json) {
    const failures = [...s.byClass].flatMap(([cls, list]) => list.map((x) => ({ cls, id: x.prog.id, detail: x.result.detail, program: printProgram(x.prog) })));
    console.log(`FUZZ-JSON ${JSON.stringify({ run: s.run, clean: s.clean, rejected: s.rejected, skipped: s.skipped, invalid: s.invalid, failures, notClean: results.map((r, i) => ({ r, id: progs[i]!.id })).filter((x) => x.r.outcome !== "clean").map((x) => ({ id: x.id, outcome: x.r.outcome, cls: x.r.cls, detail: x.r.detail })) })}`);
  }
  return s.failures > 0 ? 1 : 0;
}

function slug(sig: string): string {
  return sig.split(":").slice(0, 2).join("-").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 48).replace(/-$/, "");
}

/** A reproducer file: the program (main exported) under a comment saying where it came from and what fails. */
export function regressionText(prog: Program, result: Result, id: string, originalLines: number): string {
  const wrap = (text: string) => text.replace(/\s+/g, " ").slice(0, 500).match(/.{1,96}(\s|$)|\S+/g)!.map((l) => `//   ${l.trim()}`);
  const [seed, index] = id.split(":");
  return [
    `// Fuzz reproducer: \`npm run fuzz -- --seed ${seed} --start ${index} --count 1\` (program ${id}), shrunk from ${originalLines} lines.`,
    `// Fails (${result.cls}):`,
    ...wrap(result.detail ?? ""),
    ...(result.args ? [`// point: ${JSON.stringify(result.args)}`] : []),
    ...(prog.long?.length ? [`// long: ${prog.long.join(",")}`] : []),
    "// test/fuzz/fuzz.test.ts runs every file of test/fuzz/regressions through the transformer and checks",
    "// grad/valueAndGrad/vjp of `main` against forward mode and finite differences (fuzz/check.ts).",
    "",
    ...(prog.rules?.length ? ['import { withGradient } from "backprop-ts";', ""] : []),
    printProgram(prog, { exportMain: true }),
    "",
  ].join("\n");
}
