// npm run demo: runs the seed examples (bundled through our esbuild plugin), then prints the code
// the transformer generated for them. Needs `npm run build` (npm ci runs it).
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
