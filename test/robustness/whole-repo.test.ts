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
