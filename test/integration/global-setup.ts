// Once per `npm test`: build and pack backprop-ts, then install it with everything the scenarios
// need into two temp projects under os.tmpdir() (removed afterwards):
//   ts6: typescript@6.0.3 + ts-patch + esbuild + vite + vitest  (tspc, esbuild, vitest, CLI scenarios)
//   ts7: typescript@7 (native, no JS API) + esbuild             (our plugin must use its own TS 6)
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { NPM, ok } from "./run.js";

export interface IntegrationProjects {
  tarball: string;
  ts6: string;
  ts7: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    integration: IntegrationProjects;
  }
}

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    module: "ESNext",
    moduleResolution: "Bundler",
    strict: true,
    skipLibCheck: true,
    types: [],
  },
};

async function install(dir: string, deps: Record<string, string>): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: path.basename(dir), private: true, type: "module", devDependencies: deps }, null, 2));
  // scenarios live in subfolders and extend this
  fs.writeFileSync(path.join(dir, "tsconfig.base.json"), JSON.stringify(TSCONFIG, null, 2));
  await ok(NPM, ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], dir, 600_000);
}

export default async function setup(project: TestProject): Promise<() => void> {
  const started = Date.now();
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "backprop-ts-it-")));
  const remove = () => {
    if (!process.env.BACKPROP_KEEP_TMP) fs.rmSync(root, { recursive: true, force: true });
  };
  const ts6 = path.join(root, "ts6");
  const ts7 = path.join(root, "ts7");
  let tarball: string;
  try {
    // Build here, then pack without scripts: `prepare` would print into npm pack's --json output.
    await ok(process.execPath, [path.join(repo, "scripts/build.mjs")], repo);
    const packed = await ok(NPM, ["pack", "--ignore-scripts", "--json", "--pack-destination", root], repo);
    tarball = path.join(root, JSON.parse(packed.stdout.slice(packed.stdout.indexOf("[")))[0].filename);
    await Promise.all([
      install(ts6, { "backprop-ts": `file:${tarball}`, typescript: "6.0.3", "ts-patch": "4.0.1", esbuild: "0.28.2", vite: "8.3.8", vitest: "4.1.12" }),
      install(ts7, { "backprop-ts": `file:${tarball}`, typescript: "^7", esbuild: "0.28.2" }),
    ]);
  } catch (error) {
    remove();
    throw error;
  }
  console.log(`integration setup: packed and installed in ${((Date.now() - started) / 1000).toFixed(1)} s (${root})`);
  project.provide("integration", { tarball, ts6, ts7 });
  return remove;
}
