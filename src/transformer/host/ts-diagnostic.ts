// BpDiagnostic → ts.Diagnostic, so tspc prints ours exactly like type errors (file:line:col, code).
import type * as TS from "typescript";
import type { BpDiagnostic, TypeScript } from "../api.js";

export function toTsDiagnostic(ts: TypeScript, program: TS.Program, d: BpDiagnostic): TS.Diagnostic {
  return {
    category: ts.DiagnosticCategory.Error,
    code: d.code,
    file: program.getSourceFile(d.fileName),
    start: d.start,
    length: d.length,
    // tsc prints `error TS<code>`; the prefix says whose code it is.
    messageText: `backprop-ts BP${d.code}: ${d.message}`,
    source: "backprop-ts",
  };
}
