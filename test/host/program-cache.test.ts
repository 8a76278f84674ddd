import * as fs from "node:fs";
import ts from "typescript";
import { afterEach, describe, expect, it } from "vitest";
import { applyRewriteToText } from "../../src/transformer/host/apply-text.js";
import { ProgramCache } from "../../src/transformer/host/program-cache.js";
import { safeRewriteFile } from "../../src/transformer/host/safe-rewrite.js";
import { removeTempProjects, tempProject } from "./helpers.js";

const TSCONFIG = JSON.stringify({
  compilerOptions: { target: "ES2022", module: "ESNext", moduleResolution: "Bundler", strict: true, skipLibCheck: true },
  include: ["src"],
});

afterEach(removeTempProjects);

function project(extra: Record<string, string> = {}) {
  const p = tempProject({
    "tsconfig.json": TSCONFIG,
    "src/a.ts": 'import { sq } from "./b";\nexport const y = sq(3);\n',
    "src/b.ts": "export function sq(x: number) { return x * x; }\n",
    "test/outside.ts": 'import { y } from "../src/a";\nexport const z = y + 1;\n',
    ...extra,
  });
  const read = (f: string) => fs.readFileSync(p.file(f), "utf8");
  return { ...p, read, cache: new ProgramCache(ts, { root: p.dir }) };
}

describe("ProgramCache", () => {
  it("shares one Program across files while their text matches", () => {
    const { cache, file, read } = project();
    const a = cache.get(file("src/a.ts"), read("src/a.ts"))!;
    const b = cache.get(file("src/b.ts"), read("src/b.ts"))!;
    expect(b.program).toBe(a.program);
    expect(cache.programsCreated).toBe(1);
    expect(b.sourceFile).toBe(a.program.getSourceFile(file("src/b.ts")));
  });

  it("rebuilds with the new text when a file differs, reusing unchanged SourceFiles", () => {
    const { cache, file, read } = project();
    const first = cache.get(file("src/a.ts"), read("src/a.ts"))!;
    const oldB = first.program.getSourceFile(file("src/b.ts"));
    const edited = "export function sq(x: number) { return x * x * x; }\n";
    const second = cache.get(file("src/b.ts"), edited)!;
    expect(second.program).not.toBe(first.program);
    expect(second.sourceFile.text).toBe(edited);
    expect(second.program.getSourceFile(file("src/a.ts"))).toBe(first.sourceFile);
    expect(oldB).not.toBe(second.sourceFile);
    expect(cache.programsCreated).toBe(2);
    // the same edited text again: no new Program
    expect(cache.get(file("src/b.ts"), edited)!.program).toBe(second.program);
    expect(cache.programsCreated).toBe(2);
  });

  it("adds files outside the tsconfig as extra roots, once", () => {
    const { cache, file, read } = project();
    cache.get(file("src/a.ts"), read("src/a.ts"));
    const out = cache.get(file("test/outside.ts"), read("test/outside.ts"))!;
    expect(out.sourceFile.fileName).toBe(file("test/outside.ts"));
    expect(out.program.getRootFileNames()).toContain(file("test/outside.ts"));
    expect(cache.get(file("src/a.ts"), read("src/a.ts"))!.program).toBe(out.program);
    expect(cache.programsCreated).toBe(2);
  });

  it("strips bundler queries from ids", () => {
    const { cache, file, read } = project();
    expect(cache.get(file("src/a.ts") + "?v=123", read("src/a.ts"))!.sourceFile.fileName).toBe(file("src/a.ts"));
  });

  it("rereads files changed on disk after a watch event or a new build", () => {
    const { cache, file, read } = project();
    cache.get(file("src/a.ts"), read("src/a.ts"));
    fs.writeFileSync(file("src/b.ts"), "export function sq(x: number) { return 2 * x; }\n");
    cache.fileChanged(file("src/b.ts"));
    const p1 = cache.get(file("src/a.ts"), read("src/a.ts"))!.program;
    expect(p1.getSourceFile(file("src/b.ts"))!.text).toContain("2 * x");

    fs.writeFileSync(file("src/b.ts"), "export function sq(x: number) { return 3 * x; }\n");
    fs.utimesSync(file("src/b.ts"), new Date(), new Date(Date.now() + 5000));
    cache.buildStarted();
    const p2 = cache.get(file("src/a.ts"), read("src/a.ts"))!.program;
    expect(p2.getSourceFile(file("src/b.ts"))!.text).toContain("3 * x");
  });

  it("text noted for a file it was not asked for reaches the next Program, built only when asked", () => {
    const { cache, file, read } = project({ "src/k.ts": "export const K = 1;\n" });
    const first = cache.get(file("src/a.ts"), read("src/a.ts"))!.program;
    cache.noteText(file("src/k.ts"), "export const K = 1;\n"); // same text: nothing to do
    cache.noteText(file("src/b.ts"), "export function sq(x: number) { return 5 * x; }\n");
    expect(cache.programsCreated).toBe(1);
    const second = cache.get(file("src/a.ts"), read("src/a.ts"))!.program;
    expect(second).not.toBe(first);
    expect(second.getSourceFile(file("src/b.ts"))!.text).toContain("5 * x");
    expect(cache.programsCreated).toBe(2);
  });

  it("falls back to default options without a tsconfig", () => {
    const p = tempProject({ "x.ts": "export const x: number = 1;\n" });
    const cache = new ProgramCache(ts, { root: p.dir });
    expect(cache.get(p.file("x.ts"), "export const x: number = 1;\n")!.program.getCompilerOptions().strict).toBe(true);
  });

  it("a warm per-file transform reuses the Program and stays fast", () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`src/m${i}.ts`] = `import { sq } from "./b";\nexport function f${i}(x: number) { return sq(x) + ${i}; }\n`;
    const { cache, file, read } = project(files);
    const names = Object.keys(files);
    const transform = (n: string) => {
      const e = cache.get(file(n), read(n))!;
      return applyRewriteToText(ts, e.sourceFile, safeRewriteFile(ts, e.program, e.sourceFile));
    };
    const cold = performance.now();
    transform(names[0]!);
    const coldMs = performance.now() - cold;
    const warm = performance.now();
    for (const n of names.slice(1)) transform(n);
    const warmMs = (performance.now() - warm) / (names.length - 1);
    console.log(`program cache: cold first file ${coldMs.toFixed(0)} ms, warm ${warmMs.toFixed(2)} ms/file`);
    expect(cache.programsCreated).toBe(1);
    expect(warmMs).toBeLessThan(50);
  });
});
