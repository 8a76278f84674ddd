// npm run demo: runs the seed examples (bundled through our esbuild plugin), prints the code
// the transformer generated for them, then trains the MNIST example. Needs `npm run build` (npm ci
// runs it). `npm run demo -- --seed-only` stops after the seed examples.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { backprop } from "../dist/esbuild.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const example = "examples/seed/main.ts";
mkdirSync(`${root}.tmp`, { recursive: true });
const out = `${root}.tmp/demo-seed.mjs`;

await build({
  entryPoints: [`${root}${example}`],
  bundle: true,
  platform: "node",
  format: "esm",
  outfile: out,
  plugins: [backprop({ tsconfig: `${root}tsconfig.json` })],
  logLevel: "warning",
});
console.log(`── ${example}, built with backprop-ts/esbuild, prints:`);
execFileSync(process.execPath, [out], { stdio: "inherit" });
console.log(`\n── the code generated for it (npx backprop-ts inspect ${example}):\n`);
execFileSync(process.execPath, [`${root}dist/cli.cjs`, "inspect", example], { stdio: "inherit", cwd: root });

// Then a real model: the MNIST digit classifier of examples/mnist (about a minute on 2 cores).
if (!process.argv.includes("--seed-only")) {
  const { runExample } = await import("../examples/run.mjs");
  console.log("\n── examples/mnist: a 784 → 128 → 10 network trained with grad(loss, 0)\n");
  process.exitCode = await runExample("mnist");
}
