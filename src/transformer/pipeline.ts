// The pipeline, phase by phase: find sites → resolve → lower → analyse → differentiate → emit.
// STUB: filled in by the core work; hosts code against this signature.
import type * as TS from "typescript";
import type { FileRewrite, TypeScript } from "./api.js";

export interface PipelineOptions {
  /** run activity/TBR/simplify optimisations (default true); off is for testing the plain transform */
  optimize?: boolean;
}

export function rewriteFile(
  ts: TypeScript,
  program: TS.Program,
  sourceFile: TS.SourceFile,
  options: PipelineOptions = {},
): FileRewrite {
  void ts; void program; void options;
  return {
    fileName: sourceFile.fileName,
    replacements: new Map(),
    insertAfter: new Map(),
    needsRuntimeImport: false,
    diagnostics: [],
    sites: [],
  };
}
