// A controllable stand-in for rewriteFile, so host tests do not depend on the real pipeline.
// Use with: vi.mock("../../src/transformer/pipeline.js", () => import("./mock-pipeline.js"))
import type * as TS from "typescript";
import type { FileRewrite, TypeScript } from "../../src/transformer/api.js";
import type { PipelineOptions } from "../../src/transformer/pipeline.js";

type Impl = (ts: TypeScript, program: TS.Program, sf: TS.SourceFile, options: PipelineOptions) => FileRewrite;

export const calls: { fileName: string; options: PipelineOptions }[] = [];
let impl: Impl | undefined;

export function setRewrite(next: Impl | undefined): void {
  impl = next;
  calls.length = 0;
}

export function rewriteFile(ts: TypeScript, program: TS.Program, sf: TS.SourceFile, options: PipelineOptions = {}): FileRewrite {
  calls.push({ fileName: sf.fileName, options });
  if (impl) return impl(ts, program, sf, options);
  return { fileName: sf.fileName, replacements: new Map(), insertAfter: new Map(), needsRuntimeImport: false, diagnostics: [], sites: [] };
}

/** Replace every call `grad(...)` in the file with the numeric literal 42, and flag `bad(...)` calls. */
export const gradTo42: Impl = (ts, _program, sf) => {
  const rw: FileRewrite = { fileName: sf.fileName, replacements: new Map(), insertAfter: new Map(), needsRuntimeImport: false, diagnostics: [], sites: [] };
  const visit = (n: TS.Node): void => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression)) {
      const start = n.getStart(sf);
      const { line, character } = sf.getLineAndCharacterOfPosition(start);
      if (n.expression.text === "grad") {
        const replacement = ts.factory.createNumericLiteral(42);
        rw.replacements.set(n, replacement);
        rw.sites.push({ line: line + 1, column: character + 1, callText: n.getText(sf), generated: [], replacement });
      }
      if (n.expression.text === "bad") {
        rw.diagnostics.push({ fileName: sf.fileName, start, length: n.end - start, line: line + 1, column: character + 1, code: 1001, message: "cannot differentiate bad()" });
      }
    }
    n.forEachChild(visit);
  };
  visit(sf);
  return rw;
};
