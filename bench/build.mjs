// First half of `npm run bench`: bundle the runner (bench/run.ts, which carries our esbuild plugin
// from src/) and the tspc transformer from src/ into bench/.out/, so the bench always measures the
// working tree, not a stale dist/. The second half is `node bench/.out/run.mjs`.
import { build } from "esbuild";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const bench = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(bench);
const out = path.join(bench, ".out");
fs.rmSync(out, { recursive: true, force: true });
const common = { bundle: true, platform: "node", target: "node20", packages: "external", absWorkingDir: root, logLevel: "warning" };
await Promise.all([
  build({ ...common, entryPoints: [path.join(bench, "run.ts")], outfile: path.join(out, "run.mjs"), format: "esm" }),
  // as scripts/build.mjs: the transformer and the loader that reads it through a V8 code cache;
  // ts-patch reads module.exports or its default
  ...[["tspc.ts", "transformer-impl.cjs"], ["tspc-entry.ts", "transformer.cjs"]].map(([entry, outfile]) =>
    build({
      ...common,
      entryPoints: [path.join(root, "src/transformer/host", entry)],
      outfile: path.join(out, outfile),
      format: "cjs",
      footer: { js: "module.exports = Object.assign(module.exports.default, module.exports);" },
    }),
  ),
]);
// The 50-file build-time project imports "backprop-ts" through a link to this repository, whose
// types live in dist/: build them if a fresh clone has none.
if (!fs.existsSync(path.join(root, "dist/runtime/index.d.ts"))) {
  const { execFileSync } = await import("node:child_process");
  execFileSync(process.execPath, [path.join(root, "scripts/build.mjs")], { stdio: "inherit", cwd: root });
}
