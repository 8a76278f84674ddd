// The contract between the pipeline and its hosts (tspc, the bundler plugins, the CLI).
// Hosts never look inside the pipeline: they ask `rewriteFile` what to change in one source file
// and apply it, as nodes (tspc) or as text splices (bundlers, CLI).
import type * as TS from "typescript";

export type TypeScript = typeof TS;

/** Module that generated code imports its helpers from (namespace-imported as RUNTIME_LOCAL). */
export const RUNTIME_MODULE = "backprop-ts";
export const RUNTIME_LOCAL = "$bp";

export interface BpDiagnostic {
  fileName: string;
  /** 0-based offset and length in the file's text */
  start: number;
  length: number;
  /** 1-based */
  line: number;
  column: number;
  /** BP1xxx: cannot differentiate; BP2xxx: bad use of the API; BP9xxx: internal */
  code: number;
  message: string;
}

/** What to change in one source file. Node keys are nodes of the program's own SourceFile. */
export interface FileRewrite {
  fileName: string;
  /** each grad/valueAndGrad/vjp call → the expression replacing it */
  replacements: Map<TS.Node, TS.Expression>;
  /** statement declaring a differentiated function → adjoint declarations to insert right after it */
  insertAfter: Map<TS.Statement, TS.Statement[]>;
  /** true when the generated code uses `RUNTIME_LOCAL.*` and the file needs the namespace import */
  needsRuntimeImport: boolean;
  diagnostics: BpDiagnostic[];
  /** one entry per site, for `backprop-ts inspect` */
  sites: SiteReport[];
}

export interface SiteReport {
  line: number;
  column: number;
  /** source text of the call, e.g. `grad(poly)` */
  callText: string;
  /** generated declarations this site uses (possibly from other files), then the replacement */
  generated: { fileName: string; nodes: TS.Node[] }[];
  replacement?: TS.Expression;
}

export function formatDiagnostic(d: BpDiagnostic, cwd?: string): string {
  let file = d.fileName;
  if (cwd && file.startsWith(cwd + "/")) file = file.slice(cwd.length + 1);
  return `${file}:${d.line}:${d.column} - error BP${d.code}: ${d.message}`;
}
