// The esbuild and Vite plugins from source, with a stand-in pipeline: transform, skip, and fail
// with located diagnostics.
import * as esbuild from "esbuild";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { backprop as esbuildPlugin } from "../../src/transformer/host/esbuild.js";
import { backprop as vitePlugin } from "../../src/transformer/host/vite.js";
import { removeTempProjects, tempProject } from "./helpers.js";
import { calls, gradTo42, setRewrite } from "./mock-pipeline.js";

vi.mock("../../src/transformer/pipeline.js", () => import("./mock-pipeline.js"));

afterEach(removeTempProjects);
beforeEach(() => setRewrite(gradTo42));

const TSCONFIG = JSON.stringify({ compilerOptions: { target: "ES2022", module: "ESNext", moduleResolution: "Bundler", strict: true }, include: ["src"] });

function project(main: string) {
  const p = tempProject({
    "tsconfig.json": TSCONFIG,
    "src/main.ts": main,
    "src/lib.ts": "export const k: number = 2;\n",
    "node_modules/dep/index.ts": "export const d = grad(1);\n",
  });
  return p;
}

describe("esbuild plugin", () => {
  it("transforms .ts files (not node_modules) and returns a source map", async () => {
    const p = project('import { k } from "./lib";\nimport { d } from "dep";\nconsole.log(grad(k), k, d);\n');
    const out = await esbuild.build({
      entryPoints: [p.file("src/main.ts")],
      bundle: true,
      write: false,
      format: "esm",
      sourcemap: "inline",
      absWorkingDir: p.dir,
      plugins: [esbuildPlugin({ tsconfig: "tsconfig.json", optimize: false })],
      logLevel: "silent",
    });
    const js = out.outputFiles[0]!.text;
    expect(js).toContain("console.log(42, k, d)");
    expect(js).toContain("sourceMappingURL=data:");
    expect(js).toContain("grad(1)"); // node_modules untouched
    // lib.ts has no call, function or class, so it never reaches the pipeline (nor a Program)
    expect(calls.map((c) => c.fileName).sort()).toEqual([p.file("src/main.ts")]);
    expect(calls[0]!.options).toEqual({ optimize: false });
  });

  it("fails the build with each diagnostic at its file:line:col", async () => {
    const p = project("const a = 1;\nconsole.log(bad(a));\n    bad(2);\n");
    const failure = await esbuild
      .build({ entryPoints: [p.file("src/main.ts")], bundle: true, write: false, absWorkingDir: p.dir, plugins: [esbuildPlugin()], logLevel: "silent" })
      .then(() => undefined, (e: esbuild.BuildFailure) => e);
    expect(failure?.errors).toHaveLength(2);
    const [first, second] = failure!.errors;
    expect(first!.text).toBe("src/main.ts:2:13 - error BP1001: cannot differentiate bad()");
    expect(first!.location).toMatchObject({ file: "src/main.ts", line: 2, column: 12 });
    expect(second!.location).toMatchObject({ line: 3, column: 4 });
  });
});

describe("internal errors", () => {
  it("a failure while applying a rewrite fails the build with BP9000 instead of crashing", async () => {
    const p = project("console.log(grad(grad(1)));\n");
    // both the outer and the inner call replaced: overlapping splices, which magic-string rejects
    setRewrite(gradTo42);
    const failure = await esbuild
      .build({ entryPoints: [p.file("src/main.ts")], bundle: true, write: false, absWorkingDir: p.dir, plugins: [esbuildPlugin()], logLevel: "silent" })
      .then(() => undefined, (e: esbuild.BuildFailure) => e);
    expect(failure?.errors[0]?.text).toMatch(/^src\/main\.ts:1:1 - error BP9000: internal error in backprop-ts: /);
  });
});

describe("vite plugin", () => {
  it("passes files without a site to the pipeline when they may declare a differentiated function", async () => {
    const p = tempProject({
      "tsconfig.json": TSCONFIG,
      "src/main.ts": 'import { sq } from "./sq";\nimport { K } from "./k";\nconsole.log(grad(sq), sq(2), K);\n',
      "src/sq.ts": "export function sq(x: number) { return x * x; }\n",
      "src/k.ts": "export const K = [1, 2, 3];\n",
    });
    await esbuild.build({
      entryPoints: [p.file("src/main.ts")], bundle: true, write: false, format: "esm", absWorkingDir: p.dir,
      plugins: [esbuildPlugin({ tsconfig: "tsconfig.json" })], logLevel: "silent",
    });
    expect(calls.map((c) => c.fileName).sort()).toEqual([p.file("src/main.ts"), p.file("src/sq.ts")]);
  });

  it("is a pre plugin named backprop-ts", () => {
    expect(vitePlugin()).toMatchObject({ name: "backprop-ts", enforce: "pre" });
  });

  it("transforms during vite build and fails with loc on diagnostics", async () => {
    const { build } = await import("vite");
    const p = project("console.log(grad(1));\n");
    const config = (plugins = [vitePlugin()]) => ({
      root: p.dir,
      logLevel: "silent" as const,
      configFile: false as const,
      plugins,
      build: { write: false, lib: { entry: p.file("src/main.ts"), formats: ["es" as const], fileName: "main" } },
    });
    const result = (await build(config())) as { output: { code?: string }[] }[];
    expect(JSON.stringify(result)).toContain("console.log(42)");

    setRewrite(gradTo42);
    const p2 = project("const a = 1;\nconsole.log(bad(a));\n");
    const failure = await build({ ...config(), root: p2.dir, build: { ...config().build, lib: { entry: p2.file("src/main.ts"), formats: ["es"], fileName: "main" } } }).then(
      () => undefined,
      (e: Error & { loc?: object; errors?: { loc?: object }[] }) => e,
    );
    expect(failure?.message).toContain("src/main.ts:2:13 - error BP1001: cannot differentiate bad()");
    // rolldown wraps plugin errors in `errors`; Vite's dev server keeps `loc` on the error itself
    expect(failure?.errors?.[0]?.loc ?? failure?.loc).toEqual({ file: p2.file("src/main.ts"), line: 2, column: 12 });
  });
});
