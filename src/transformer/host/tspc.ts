// Entry of `backprop-ts/transformer`: a ts-patch "program" transformer.
//   tsconfig.json: "plugins": [{ "transform": "backprop-ts/transformer", "optimize": false }]
// Uses only the TypeScript instance ts-patch hands us (extras.ts), never an import of "typescript":
// the user's compiler and ours must be the same object for nodes and SyntaxKinds to agree.
import type * as TS from "typescript";
import type { TypeScript } from "../api.js";
import type { PipelineOptions } from "../pipeline.js";
import { applyRewriteToNodes } from "./apply-nodes.js";
import { internalError, safeRewriteFile } from "./safe-rewrite.js";
import { toTsDiagnostic } from "./ts-diagnostic.js";

export interface TransformerConfig extends PipelineOptions {
  [key: string]: unknown;
}

export interface TransformerExtras {
  ts: TypeScript;
  addDiagnostic: (diagnostic: TS.Diagnostic) => unknown;
}

export default function backpropTransformer(
  program: TS.Program,
  config: TransformerConfig = {},
  extras: TransformerExtras,
): TS.TransformerFactory<TS.SourceFile> {
  const { ts, addDiagnostic } = extras;
  // Everything in the plugin entry except ts-patch's own keys is a pipeline option.
  const { transform, after, afterDeclarations, type, import: _import, name, transformProgram, tsConfig, resolvePathAliases, ...options } =
    config as TransformerConfig & Record<string, unknown>;
  void [transform, after, afterDeclarations, type, _import, name, transformProgram, tsConfig, resolvePathAliases];

  return (context) => (sourceFile) => {
    if (sourceFile.isDeclarationFile) return sourceFile;
    // Rewrite keys are nodes of the Program's own SourceFile.
    const own = program.getSourceFile(sourceFile.fileName) ?? sourceFile;
    const rewrite = safeRewriteFile(ts, program, own, options as PipelineOptions);
    for (const d of rewrite.diagnostics) addDiagnostic(toTsDiagnostic(ts, program, d));
    try {
      return applyRewriteToNodes(ts, context, sourceFile, rewrite);
    } catch (error) {
      addDiagnostic(toTsDiagnostic(ts, program, internalError(sourceFile.fileName, error)));
      return sourceFile;
    }
  };
}
