// rewriteFile for hosts: an exception inside the pipeline must never crash the user's build or
// emit a half-rewritten file; it becomes a BP9000 diagnostic and the file is left unchanged.
import type * as TS from "typescript";
import type { BpDiagnostic, FileRewrite, TypeScript } from "../api.js";
import { rewriteFile, type PipelineOptions } from "../pipeline.js";

export const INTERNAL_ERROR_CODE = 9000;

export function safeRewriteFile(
  ts: TypeScript,
  program: TS.Program,
  sourceFile: TS.SourceFile,
  options: PipelineOptions = {},
): FileRewrite {
  try {
    return rewriteFile(ts, program, sourceFile, options);
  } catch (error) {
    return unchanged(sourceFile.fileName, [internalError(sourceFile.fileName, error)]);
  }
}

export function unchanged(fileName: string, diagnostics: BpDiagnostic[] = []): FileRewrite {
  return { fileName, replacements: new Map(), insertAfter: new Map(), needsRuntimeImport: false, diagnostics, sites: [] };
}

export function internalError(fileName: string, error: unknown): BpDiagnostic {
  const err = error instanceof Error ? error : new Error(String(error));
  const frame = (err.stack ?? "").split("\n").find((l) => l.trim().startsWith("at "))?.trim();
  const message =
    `internal error in backprop-ts: ${err.name}: ${err.message}` +
    (frame ? ` (${frame})` : "") +
    ". The file was left unchanged; please report this with the file that triggers it.";
  return { fileName, start: 0, length: 0, line: 1, column: 1, code: INTERNAL_ERROR_CODE, message };
}
