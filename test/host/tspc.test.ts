import ts from "typescript";
import { beforeEach, describe, expect, it, vi } from "vitest";
import backpropTransformer from "../../src/transformer/host/tspc.js";
import { calls, gradTo42, setRewrite } from "./mock-pipeline.js";

vi.mock("../../src/transformer/pipeline.js", () => import("./mock-pipeline.js"));

/** Compile `code` with the tspc entry exactly as ts-patch calls it. */
function compile(code: string, config: Record<string, unknown> = {}) {
  const fileName = "/virtual/main.ts";
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, noLib: true, types: [] };
  const host = ts.createCompilerHost(options, true);
  let js = "";
  host.getSourceFile = (name, lang) => (name === fileName ? ts.createSourceFile(name, code, lang, true) : undefined);
  host.fileExists = (name) => name === fileName;
  host.writeFile = (_name, text) => (js = text);
  const program = ts.createProgram([fileName], options, host);
  const diagnostics: ts.Diagnostic[] = [];
  const factory = backpropTransformer(program, config, { ts, addDiagnostic: (d) => diagnostics.push(d) });
  program.emit(undefined, undefined, undefined, false, { before: [factory] });
  return { js, diagnostics, program };
}

beforeEach(() => setRewrite(gradTo42));

describe("tspc entry", () => {
  it("applies the rewrite and passes plugin config as pipeline options", () => {
    const { js } = compile("export const g = grad(f);\n", { transform: "backprop-ts/transformer", optimize: false });
    expect(js).toContain("export const g = 42;");
    expect(calls[0]!.options).toEqual({ optimize: false });
  });

  it("reports BP diagnostics as ts.Diagnostics at the construct, like type errors", () => {
    const code = "const a = 1;\nexport const g = bad(a);\n";
    const { diagnostics, program } = compile(code);
    expect(diagnostics).toHaveLength(1);
    const d = diagnostics[0]!;
    expect(d.category).toBe(ts.DiagnosticCategory.Error);
    expect(d.code).toBe(1001);
    expect(d.file).toBe(program.getSourceFile("/virtual/main.ts"));
    expect(d.start).toBe(code.indexOf("bad(a)"));
    expect(d.length).toBe("bad(a)".length);
    const text = ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => "/virtual", getNewLine: () => "\n" });
    expect(text).toContain("main.ts(2,18): error TS1001: backprop-ts BP1001: cannot differentiate bad()");
  });

  it("turns an internal exception into BP9000 and emits the file unchanged", () => {
    setRewrite(() => {
      throw new TypeError("boom");
    });
    const { js, diagnostics } = compile("export const g = grad(f);\n");
    expect(js).toContain("export const g = grad(f);");
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.code).toBe(9000);
    const message = String(diagnostics[0]!.messageText);
    expect(message).toContain("internal error");
    expect(message).toContain("boom");
    expect(message).toContain("TypeError: boom");
    expect(message).toMatch(/\(at .*tspc\.test\.ts:\d+/);
  });

  it("loads from dist like ts-patch does (module.exports or .default is the factory)", async () => {
    const fs = await import("node:fs");
    const path = await import("node:path");
    const dist = path.resolve(__dirname, "../../dist/transformer.cjs");
    if (!fs.existsSync(dist)) return; // built by `npm ci` / `npm run build`
    const { createRequire } = await import("node:module");
    const mod = createRequire(import.meta.url)(dist);
    expect(typeof mod).toBe("function");
    expect(mod.default).toBe(mod);
  });
});
