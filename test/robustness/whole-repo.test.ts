// The transformer never crashes a build: run over every TypeScript file of this repository (and the
// TypeScript sources shipped in node_modules), it reports diagnostics at worst, never throws, and a
// file with no grad site and no differentiated function comes out unchanged.
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { rewriteFile } from "../../src/transformer/pipeline.js";

const root = path.resolve(__dirname, "../..");

function tsFilesUnder(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) { if (entry.name !== ".git") tsFilesUnder(p, out); }
    else if (/\.ts$/.test(entry.name) && !/\.d\.ts$/.test(entry.name)) out.push(p);
  }
  return out;
}

function check(files: string[]): { changed: string[]; internal: string[] } {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(root, "tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  const program = ts.createProgram(files, { ...config.options, noEmit: true });
  const changed: string[] = [];
  const internal: string[] = [];
  for (const file of files) {
    const sf = program.getSourceFile(file);
    if (!sf) continue;
    const rewrite = rewriteFile(ts, program, sf);
    if (rewrite.replacements.size > 0 || rewrite.insertAfter.size > 0) changed.push(path.relative(root, file));
    for (const d of rewrite.diagnostics) if (d.code >= 9000) internal.push(`${path.relative(root, d.fileName)}:${d.line}: ${d.message}`);
  }
  return { changed, internal };
}

describe("the transformer over whole trees", () => {
  it("this repository: no internal errors; files without sites are left alone", { timeout: 120_000 }, () => {
    const files = ["src", "test", "bench", "examples", "fuzz"].flatMap((d) => (fs.existsSync(path.join(root, d)) ? tsFilesUnder(path.join(root, d)) : []));
    const { changed, internal } = check(files);
    expect(internal).toEqual([]);
    // only files that call grad/valueAndGrad/vjp, or define a function one of them differentiates, change
    for (const f of changed) {
      const text = fs.readFileSync(path.join(root, f), "utf8");
      expect(/grad|vjp|valueAndGrad|export/.test(text), f).toBe(true);
    }
    expect(changed.some((f) => f.startsWith("src/transformer"))).toBe(false);
  });
  it("TypeScript sources shipped in node_modules", { timeout: 120_000 }, () => {
    const files = tsFilesUnder(path.join(root, "node_modules")).filter((f) => !f.includes(`${path.sep}.vite`)).slice(0, 400);
    const { changed, internal } = check(files);
    expect(internal).toEqual([]);
    expect(changed).toEqual([]);
  });
});

describe("malformed programs", () => {
  const sources: Record<string, string> = {
    "syntax error": 'import { grad } from "backprop-ts";\nfunction f(x: number) { return x * ; }\nexport const g = grad(f);\n',
    "type error": 'import { grad } from "backprop-ts";\nfunction f(x: number): number { const s: string = x; return s * 2; }\nexport const g = grad(f);\n',
    "unknown name": 'import { grad } from "backprop-ts";\nfunction f(x: number) { return x * notDeclared(x); }\nexport const g = grad(f);\n',
    "grad without a function": 'import { grad } from "backprop-ts";\nexport const g = grad();\n',
  };
  for (const [name, text] of Object.entries(sources)) {
    it(`${name}: diagnostics or nothing, never an exception`, () => {
      const file = path.join(root, `.tmp/malformed-${name.replace(/ /g, "-")}.ts`);
      const host = ts.createCompilerHost({ strict: true });
      const read = host.readFile;
      host.readFile = (f) => (path.resolve(f) === file ? text : read(f));
      host.fileExists = ((exists) => (f: string) => path.resolve(f) === file || exists(f))(host.fileExists);
      host.getSourceFile = ((get) => (f, lang, onError) => (path.resolve(f) === file ? ts.createSourceFile(f, text, lang) : get(f, lang, onError)))(host.getSourceFile);
      const program = ts.createProgram([file], { strict: true, noEmit: true, baseUrl: root, paths: { "backprop-ts": ["src/runtime/index.ts"] }, moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 }, host);
      const rewrite = rewriteFile(ts, program, program.getSourceFile(file)!);
      expect(rewrite.diagnostics.filter((d) => d.code >= 9000)).toEqual([]);
    });
  }
});

it("generated code never uses eval or new Function (strict CSP)", () => {
  const goldens = tsFilesUnder(path.join(root, "test/fixtures")).filter((f) => /expected\.ts$/.test(f));
  expect(goldens.length).toBeGreaterThan(20);
  for (const f of goldens) expect(fs.readFileSync(f, "utf8"), f).not.toMatch(/\beval\s*\(|new Function\b/);
});
