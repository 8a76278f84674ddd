// `npm run fuzz -- --count N --seed S`: bundles the fuzzer (and the transformer it drives, from
// source, so it always tests the working tree) with esbuild and runs it. Node 20 cannot run .ts.
import * as path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as esbuild from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outfile = path.join(root, "node_modules", ".cache", "backprop-fuzz", `cli-${process.pid}.mjs`);
await esbuild.build({
  entryPoints: [path.join(root, "fuzz", "cli.ts")],
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  outfile,
  packages: "external",
  logLevel: "warning",
  banner: { js: 'import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);' },
});
process.env.BACKPROP_FUZZ_ROOT = root;
const { main } = await import(pathToFileURL(outfile).href);
const { rmSync } = await import("node:fs");
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // bad arguments: the message (with usage), not a stack trace
  if (error?.constructor?.name !== "UsageError") throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = /^usage:/.test(error.message) ? 0 : 2;
} finally {
  rmSync(outfile, { force: true });
}
