// (b) esbuild with backprop-ts/esbuild, beside the user's TypeScript 6 and beside TypeScript 7
// (native, no JS API): the plugin must use its own nested typescript 6.
import * as fs from "node:fs";
import * as path from "node:path";
import { expect, inject, it } from "vitest";
import { ok } from "./run.js";
import { json, MAIN, write } from "./scenario.js";

const { ts6, ts7 } = inject("integration");

const BUILD = `import { build } from "esbuild";
import { backprop } from "backprop-ts/esbuild";
await build({
  entryPoints: ["src/main.ts"],
  bundle: true,
  platform: "node",
  format: "esm",
  outfile: "out/main.mjs",
  sourcemap: true,
  plugins: [backprop()],
  logLevel: "error",
});
`;

async function scenario(project: string): Promise<string> {
  const dir = path.join(project, "esbuild");
  write(dir, { "tsconfig.json": json({ extends: "../tsconfig.base.json", include: ["src"] }), "src/main.ts": MAIN, "build.mjs": BUILD });
  await ok(process.execPath, ["build.mjs"], dir);
  return (await ok(process.execPath, ["out/main.mjs"], dir)).stdout.trim();
}

const version = (pkgDir: string) => JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8")).version as string;

it("esbuild plugin with the user's typescript 6.0.3", async () => {
  expect(await scenario(ts6)).toBe("18");
});

it("esbuild plugin with the user's typescript 7 (native)", async () => {
  expect(version(path.join(ts7, "node_modules/typescript"))).toMatch(/^7\./);
  expect(version(path.join(ts7, "node_modules/backprop-ts/node_modules/typescript"))).toBe("6.0.3");
  expect(await scenario(ts7)).toBe("18");
});
