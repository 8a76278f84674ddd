// Field initialisers and parameter properties run in the order the compiled class runs them. The
// golden fixtures use the repo's target (ES2022: [[Define]] fields, initialisers first, where
// `s = this.k * 2` reading a parameter property is TS2729); under an older target or
// useDefineForClassFields: false the parameter properties come first, and the derivative used to
// run the initialiser first and drop the gradient through `s`.
import * as fs from "node:fs";
import { afterAll, describe, it } from "vitest";
import ts from "typescript";
import { applyRewriteToText } from "../../src/transformer/host/apply-text.js";
import { loadTsconfig } from "../../src/transformer/host/load-tsconfig.js";
import { rewriteFile } from "../../src/transformer/pipeline.js";
import { REPO, cleanupTemp, runCases } from "./harness.js";

const SOURCE = `import { grad } from "backprop-ts";
class Sc {
  s = this.k * 2;
  constructor(public k: number) {}
}
export function useSc(x: number): number {
  const a = new Sc(x);
  return a.s * a.k;
}
export const cases = [{ f: useSc, g: grad(useSc), points: [[0.7], [-1.5]] }];
`;

afterAll(() => cleanupTemp());

describe("class field order", () => {
  for (const [label, extra] of [["target ES2020", { target: ts.ScriptTarget.ES2020 }], ["useDefineForClassFields false", { useDefineForClassFields: false }]] as const) {
    it(`parameter properties first under ${label}`, { timeout: 30_000 }, async ({ expect }) => {
      const dir = fs.mkdtempSync(`${REPO}/.tmp-fields-`);
      try {
        const file = `${dir}/input.ts`;
        fs.writeFileSync(file, SOURCE);
        const options: ts.CompilerOptions = { ...loadTsconfig(ts, REPO).options, ...extra, noEmit: true, incremental: false, composite: false, types: [] };
        const program = ts.createProgram([file], options);
        const sf = program.getSourceFile(file)!;
        const rewrite = rewriteFile(ts, program, sf, { optimize: true });
        expect(rewrite.diagnostics).toEqual([]);
        const text = applyRewriteToText(ts, sf, rewrite)!.code;
        // the primal compiled as that target compiles it: assignments in the constructor
        const js = ts.transpileModule(text, { compilerOptions: { ...extra, module: ts.ModuleKind.ESNext } }).outputText;
        expect(await runCases(file, [{ fileName: file, rewrite, text: js }], label)).toEqual([]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
