// Build every entry point of package.json into dist/ (run by `npm run build` and `prepare`,
// so `npm ci` in a fresh clone leaves the package usable):
//   esbuild bundles: runtime (ESM+CJS), tspc transformer (CJS), esbuild/vite plugins (ESM+CJS), CLI (CJS);
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
entry("src/transformer/host/tspc.ts", "transformer.cjs", "cjs", { footer: { js: cjsDefaultFooter } });
for (const host of ["esbuild", "vite"]) {
  entry(`src/transformer/host/${host}.ts`, `${host}.mjs`, "esm");
  entry(`src/transformer/host/${host}.ts`, `${host}.cjs`, "cjs", { footer: { js: cjsDefaultFooter } });
}
entry("src/cli.ts", "cli.cjs", "cjs", { banner: { js: "#!/usr/bin/env node" } });
await Promise.all(jobs);
fs.chmodSync(path.join(dist, "cli.cjs"), 0o755);

// The tspc entry runs inside the user's compiler and must use the `ts` ts-patch hands it.
const transformer = fs.readFileSync(path.join(dist, "transformer.cjs"), "utf8");
if (/require\(["']typescript["']\)/.test(transformer)) {
  console.warn("build: WARNING dist/transformer.cjs requires \"typescript\"; under tspc it must only use extras.ts");
}

// Declarations. Type errors are reported but do not stop the build (`npm run typecheck` is the gate).
const configPath = path.join(root, "tsconfig.build.json");
const config = ts.getParsedCommandLineOfConfigFile(configPath, undefined, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n")); } });
const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
const emitted = program.emit();
const diagnostics = [...config.errors, ...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
if (diagnostics.length) {
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => "\n" };
  console.warn(`build: ${diagnostics.length} type error(s) while writing declarations:\n` + ts.formatDiagnostics(diagnostics, host));
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
console.log(`build: dist/ written in ${Math.round(performance.now() - started)} ms`);
