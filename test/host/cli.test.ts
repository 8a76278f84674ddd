import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli.js";
import { removeTempProjects, tempProject } from "./helpers.js";
import { calls, gradTo42, setRewrite } from "./mock-pipeline.js";

vi.mock("../../src/transformer/pipeline.js", () => import("./mock-pipeline.js"));

afterEach(removeTempProjects);
beforeEach(() => setRewrite(gradTo42));

function run(args: string[], cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const before = process.cwd();
  process.chdir(cwd);
  try {
    const code = main(args, (s) => void out.push(s), (s) => void err.push(s));
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    process.chdir(before);
  }
}

describe("backprop-ts CLI", () => {
  it("--help prints usage and exits 0; unknown commands exit 2", () => {
    expect(run(["--help"], process.cwd())).toMatchObject({ code: 0, out: expect.stringContaining("backprop-ts inspect FILE.ts") });
    expect(run(["frobnicate"], process.cwd())).toMatchObject({ code: 2, err: expect.stringContaining("unknown command: frobnicate") });
    expect(run([], process.cwd()).code).toBe(2);
    expect(run(["inspect"], process.cwd()).code).toBe(2);
    expect(run(["inspect", "x.ts", "--bogus"], process.cwd()).code).toBe(2);
  });

  it("inspect prints every site with its location and replacement, exit 0", () => {
    const p = tempProject({ "tsconfig.json": "{}", "src/main.ts": "const a = 1;\nconsole.log(grad((x: number) => x * x)(a));\n" });
    const r = run(["inspect", "src/main.ts", "--no-optimize"], p.dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain("src/main.ts:2:13  grad((x: number) => x * x)");
    expect(r.out).toContain("42");
    expect(calls[0]!.options).toEqual({ optimize: false });
  });

  it("inspect exits 1 with file:line:col diagnostics", () => {
    const p = tempProject({ "src/bad.ts": "const a = 1;\n  export const b = bad(a);\n" });
    const r = run(["inspect", "src/bad.ts"], p.dir);
    expect(r.code).toBe(1);
    expect(r.err).toBe("src/bad.ts:2:20 - error BP1001: cannot differentiate bad()");
  });

  it("the built bin exits 0 for --help, 2 for unknown commands", () => {
    const bin = path.resolve(__dirname, "../../dist/cli.cjs");
    if (!fs.existsSync(bin)) return; // built by `npm ci` / `npm run build`
    expect(fs.statSync(bin).mode & 0o111).not.toBe(0);
    expect(fs.readFileSync(bin, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    expect(spawnSync(process.execPath, [bin, "--help"]).status).toBe(0);
    expect(spawnSync(process.execPath, [bin, "nope"]).status).toBe(2);
  });
});
