// Build every entry point of package.json into dist/ (run by `npm run build` and `prepare`,
// so `npm ci` in a fresh clone leaves the package usable):
//   esbuild bundles: runtime (ESM+CJS), tspc transformer (CJS, with its loader), esbuild/vite plugins (ESM+CJS), CLI (CJS);
//   then tsc writes the .d.ts files (tsconfig.build.json).
import { build } from "esbuild";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.join(root, "dist");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const started = performance.now();

fs.rmSync(dist, { recursive: true, force: true });

// Dependencies stay external (npm installs them); the rest of our source is bundled.
const common = {
  bundle: true,
  platform: "node",
  target: "node20",
  external: Object.keys(pkg.dependencies ?? {}),
  sourcemap: false,
  logLevel: "warning",
  absWorkingDir: root,
};
// ts-patch reads `module.exports` or `module.exports.default`; make both the plugin function.
const cjsDefaultFooter = "module.exports = Object.assign(module.exports.default, module.exports);";

const jobs = [];
const entry = (src, outfile, format, extra = {}) =>
  jobs.push(build({ ...common, entryPoints: [path.join(root, src)], outfile: path.join(dist, outfile), format, ...extra }));

const runtimeSrc = "src/runtime/index.ts";
const hasRuntime = fs.existsSync(path.join(root, runtimeSrc));
if (hasRuntime) {
  // the runtime must not drag in the compiler
  entry(runtimeSrc, "runtime/index.mjs", "esm", { external: [] });
  entry(runtimeSrc, "runtime/index.cjs", "cjs", { external: [] });
} else {
  console.warn(`build: ${runtimeSrc} does not exist yet; skipping the runtime bundle`);
}
// ts-patch loads transformer.cjs, a small loader that compiles transformer-impl.cjs through a V8
// code cache (src/transformer/host/code-cache.ts)
entry("src/transformer/host/tspc.ts", "transformer-impl.cjs", "cjs", { footer: { js: cjsDefaultFooter } });
entry("src/transformer/host/tspc-entry.ts", "transformer.cjs", "cjs", { footer: { js: cjsDefaultFooter } });
for (const host of ["esbuild", "vite"]) {
  entry(`src/transformer/host/${host}.ts`, `${host}.mjs`, "esm");
  entry(`src/transformer/host/${host}.ts`, `${host}.cjs`, "cjs", { footer: { js: cjsDefaultFooter } });
}
entry("src/cli.ts", "cli.cjs", "cjs", { banner: { js: "#!/usr/bin/env node" } });
await Promise.all(jobs);
const bundled = performance.now();
fs.chmodSync(path.join(dist, "cli.cjs"), 0o755);

// The tspc entry runs inside the user's compiler and must use the `ts` ts-patch hands it.
const transformer = fs.readFileSync(path.join(dist, "transformer-impl.cjs"), "utf8");
if (/require\(["']typescript["']\)/.test(transformer)) {
  console.warn("build: WARNING dist/transformer-impl.cjs requires \"typescript\"; under tspc it must only use extras.ts");
}

// Declarations, only for the public entry points and the files their .d.ts import: emitting per
// file lets the checker resolve just the exported types instead of checking every pipeline body
// (`npm run typecheck` is the type gate). Errors are reported but do not stop the build.
const configPath = path.join(root, "tsconfig.build.json");
const config = ts.getParsedCommandLineOfConfigFile(configPath, undefined, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n")); } });
const publicEntries = ["src/transformer/host/tspc.ts", "src/transformer/host/vite.ts", "src/transformer/host/esbuild.ts"];
if (hasRuntime) publicEntries.push(runtimeSrc);
const rootNames = publicEntries.map((f) => path.join(root, f));
const program = ts.createProgram({ rootNames, options: config.options });
const diagnostics = [...config.errors];
const queued = new Set(rootNames);
const queue = [...rootNames];
while (queue.length) {
  const file = queue.pop();
  const sourceFile = program.getSourceFile(file);
  if (!sourceFile) continue;
  diagnostics.push(...program.getSyntacticDiagnostics(sourceFile));
  const written = [];
  const result = program.emit(sourceFile, (name, text) => { ts.sys.writeFile(name, text); written.push(text); }, undefined, true);
  diagnostics.push(...result.diagnostics);
  for (const text of written) {
    for (const [, spec] of text.matchAll(/(?:from|import\()\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      const target = path.resolve(path.dirname(file), spec.replace(/\.js$/, ".ts"));
      if (!queued.has(target)) { queued.add(target); queue.push(target); }
    }
  }
}
if (diagnostics.length) {
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => "\n" };
  console.warn(`build: ${diagnostics.length} error(s) while writing declarations:\n` + ts.formatDiagnostics(diagnostics, host));
}

// Every file package.json points at must exist.
const missing = [];
const targets = (v) => (typeof v === "string" ? [v] : Object.values(v ?? {}).flatMap(targets));
for (const [key, value] of Object.entries(pkg.exports)) {
  if (key === "." && !hasRuntime) continue;
  for (const file of targets(value)) if (!fs.existsSync(path.join(root, file))) missing.push(`${key} → ${file}`);
}
for (const file of Object.values(pkg.bin ?? {})) if (!fs.existsSync(path.join(root, file))) missing.push(`bin → ${file}`);
if (missing.length) {
  console.error(`build: missing outputs:\n  ${missing.join("\n  ")}`);
  process.exit(1);
}
const ms = (a, b) => Math.round(b - a);
console.log(`build: dist/ written in ${ms(started, performance.now())} ms (bundles ${ms(started, bundled)} ms, declarations ${ms(bundled, performance.now())} ms)`);
