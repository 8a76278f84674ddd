// Load a CommonJS bundle through a V8 code cache, the way Node 22's module.enableCompileCache()
// does (Node 20 has no such switch). `tsc`/`tspc` start a fresh process for every build, so the
// transformer's ~240 KB of code was parsed and compiled to bytecode again each time: about 4% of
// a plain tsc build of the bench's 50-file project, a sixth of what the transformer adds.
//
// The cache lives next to the bundle (`dist/.cache/`), is named by a hash of the bundle's text
// and the Node version (V8 itself only checks the source's length), and is written when the
// process exits, so it holds every function the first build compiled. Whatever goes wrong (a
// read-only install, a cache V8 rejects) falls back to an ordinary compile: never a failed build.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import Module from "node:module";
import * as path from "node:path";
import * as vm from "node:vm";

/** `BACKPROP_TS_CODE_CACHE=0` turns the cache off. */
export function requireWithCodeCache(file: string): unknown {
  const source = fs.readFileSync(file, "utf8");
  const cacheFile = process.env.BACKPROP_TS_CODE_CACHE === "0" ? undefined : cachePath(file, source);
  let cachedData: Buffer | undefined;
  try {
    if (cacheFile) cachedData = fs.readFileSync(cacheFile);
  } catch {
    // no cache yet: this run writes it
  }
  const script = new vm.Script(Module.wrap(source), { filename: file, cachedData });
  if (cacheFile && (!cachedData || script.cachedDataRejected)) process.once("exit", () => writeCache(cacheFile, script));
  const module = { exports: {} as unknown, filename: file, id: file, loaded: false };
  const localRequire = Module.createRequire(file);
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, localRequire, module, file, path.dirname(file));
  module.loaded = true;
  return module.exports;
}

function cachePath(file: string, source: string): string {
  const hash = createHash("sha256").update(source).update(process.version).update(process.arch).digest("hex").slice(0, 20);
  return path.join(path.dirname(file), ".cache", `${path.basename(file, ".cjs")}-${hash}.v8cache`);
}

/** Written to a temporary name and renamed, so two builds running at once never read half a file;
 * the caches of earlier bundles or Node versions go. */
function writeCache(cacheFile: string, script: vm.Script): void {
  try {
    const dir = path.dirname(cacheFile);
    fs.mkdirSync(dir, { recursive: true });
    const prefix = path.basename(cacheFile).replace(/-[0-9a-f]+\.v8cache$/, "-");
    for (const old of fs.readdirSync(dir)) if (old.startsWith(prefix) && old.endsWith(".v8cache")) fs.rmSync(path.join(dir, old), { force: true });
    const temp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(temp, script.createCachedData());
    fs.renameSync(temp, cacheFile);
  } catch {
    // a read-only install compiles without a cache
  }
}
