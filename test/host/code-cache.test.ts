// The V8 code cache the tspc entry loads the transformer through: each case runs fresh Node
// processes, since the cache is written when a process exits.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildSync } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let dir: string;
const loader = () => path.join(dir, "loader.cjs");
const bundle = () => path.join(dir, "impl.cjs");
const cacheDir = () => path.join(dir, ".cache");
const caches = () => (fs.existsSync(cacheDir()) ? fs.readdirSync(cacheDir()) : []);

/** Loads impl.cjs through the cache in a new process; prints what it exports and whether V8 took the cache. */
function run(env: Record<string, string> = {}): { out: string; status: number | null; stderr: string } {
  const script = `const { requireWithCodeCache } = require(${JSON.stringify(loader())});
const vm = require("node:vm"); const Script = vm.Script; let rejected = "none";
vm.Script = class extends Script { constructor(s, o) { super(s, o); if (o.cachedData) rejected = String(this.cachedDataRejected); } };
const m = requireWithCodeCache(${JSON.stringify(bundle())});
console.log(JSON.stringify({ value: m.value(), dir: m.dir === ${JSON.stringify(dir)}, rejected }));`;
  const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", env: { ...process.env, ...env } });
  return { out: r.stdout.trim(), status: r.status, stderr: r.stderr };
}

const writeBundle = (body: string) => fs.writeFileSync(bundle(), `exports.dir = __dirname;\nexports.value = () => ${body};\n`);

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bp-code-cache-"));
  buildSync({
    entryPoints: [path.resolve(__dirname, "../../src/transformer/host/code-cache.ts")],
    bundle: true, platform: "node", format: "cjs", outfile: loader(), logLevel: "error",
  });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("requireWithCodeCache", () => {
  it("writes the cache on the first run and V8 takes it on the next", () => {
    writeBundle("1 + 1");
    expect(run()).toMatchObject({ out: JSON.stringify({ value: 2, dir: true, rejected: "none" }), status: 0 });
    expect(caches()).toHaveLength(1);
    const written = fs.statSync(path.join(cacheDir(), caches()[0]!)).mtimeMs;
    expect(run().out).toBe(JSON.stringify({ value: 2, dir: true, rejected: "false" }));
    // taken, so not written again
    expect(fs.statSync(path.join(cacheDir(), caches()[0]!)).mtimeMs).toBe(written);
  });

  it("never runs a stale cache: a rebuilt bundle of the same length gets its own, and the old one goes", () => {
    writeBundle("1 + 1");
    run();
    const before = caches();
    writeBundle("3 + 4"); // same length: V8's own check would accept the old cache
    expect(fs.statSync(bundle()).size).toBe("exports.dir = __dirname;\nexports.value = () => 1 + 1;\n".length);
    expect(run().out).toBe(JSON.stringify({ value: 7, dir: true, rejected: "none" }));
    expect(caches()).toHaveLength(1);
    expect(caches()).not.toEqual(before);
    expect(run().out).toBe(JSON.stringify({ value: 7, dir: true, rejected: "false" }));
  });

  it("compiles without the cache when it is corrupt, and replaces it", () => {
    writeBundle("5 * 5");
    run();
    const file = path.join(cacheDir(), caches()[0]!);
    fs.writeFileSync(file, Buffer.from("not a V8 code cache at all"));
    expect(run().out).toBe(JSON.stringify({ value: 25, dir: true, rejected: "true" }));
    expect(run().out).toBe(JSON.stringify({ value: 25, dir: true, rejected: "false" }));
  });

  it("works where the cache cannot be written, and BACKPROP_TS_CODE_CACHE=0 turns it off", () => {
    writeBundle("6 * 7");
    fs.rmSync(cacheDir(), { recursive: true, force: true });
    fs.writeFileSync(cacheDir(), "a file where the cache directory would go");
    expect(run()).toMatchObject({ out: JSON.stringify({ value: 42, dir: true, rejected: "none" }), status: 0, stderr: "" });
    fs.rmSync(cacheDir());
    expect(run({ BACKPROP_TS_CODE_CACHE: "0" }).out).toBe(JSON.stringify({ value: 42, dir: true, rejected: "none" }));
    expect(caches()).toEqual([]);
  });
});
