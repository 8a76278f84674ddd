// The bundler plugin, once for every bundler (unplugin): Vite/Vitest, esbuild (and Rollup,
// webpack, … for free). It uses our own `typescript` dependency (6.x, with the JS API), so it
// keeps working when the user's own compiler is TypeScript 7 (native, no JS API).
import ts from "typescript";
import { createUnplugin, type UnpluginContextMeta } from "unplugin";
import { formatDiagnostic, type BpDiagnostic } from "../api.js";
import { applyRewriteToText } from "./apply-text.js";
import type { BackpropPluginOptions } from "./options.js";
import { cannotNeedRewrite } from "./no-rewrite.js";
import { ProgramCache } from "./program-cache.js";
import { internalError, safeRewriteFile } from "./safe-rewrite.js";

const TS_FILE = /\.[cm]?tsx?$/;
const DECLARATION = /\.d\.[cm]?tsx?$/;

export const unplugin = createUnplugin<BackpropPluginOptions | undefined>((options = {}, meta: UnpluginContextMeta) => {
  let root = process.cwd();
  let cache: ProgramCache | undefined;
  const programs = () => (cache ??= new ProgramCache(ts, { tsconfig: options.tsconfig, root }));
  const { tsconfig: _tsconfig, include: _include, exclude: _exclude, ...pipelineOptions } = options;

  return {
    name: "backprop-ts",
    enforce: "pre",
    transformInclude(id) {
      const file = id.replace(/[?#].*$/, "");
      return TS_FILE.test(file) && !DECLARATION.test(file) && !/[\\/]node_modules[\\/]/.test(file);
    },
    buildStart() {
      cache?.buildStarted();
    },
    watchChange(id) {
      cache?.fileChanged(id);
    },
    vite: {
      configResolved(config) {
        root = config.root;
      },
    },
    esbuild: {
      config(initial) {
        if (initial.absWorkingDir) root = initial.absWorkingDir;
      },
    },
    transform: {
      filter: options.include || options.exclude ? { id: { include: options.include as never, exclude: options.exclude as never } } : undefined,
      handler(code, id) {
        // no call, function or class in it: the same output whatever the Program says, so none is
        // built (or rebuilt after an edit) for it
        if (cannotNeedRewrite(code)) {
          cache?.noteText(id, code);
          return undefined;
        }
        const entry = programs().get(id, code);
        if (!entry) return undefined;
        const rewrite = safeRewriteFile(ts, entry.program, entry.sourceFile, pipelineOptions);
        if (rewrite.diagnostics.length) {
          report(this, meta, rewrite.diagnostics, root);
          return undefined;
        }
        try {
          return applyRewriteToText(ts, entry.sourceFile, rewrite, code);
        } catch (error) {
          report(this, meta, [internalError(entry.sourceFile.fileName, error)], root);
          return undefined;
        }
      },
    },
  };
});

interface ErrorSink {
  error(e: { message: string; id?: string; loc?: { file?: string; line: number; column: number } }): void;
}

/** Fail the build with file:line:col. esbuild collects each error with its own location;
 * Rollup/Vite's `this.error` throws, so every diagnostic goes into that one error. */
function report(ctx: ErrorSink, meta: UnpluginContextMeta, diagnostics: BpDiagnostic[], root: string): void {
  const loc = (d: BpDiagnostic) => ({ file: d.fileName, line: d.line, column: d.column - 1 });
  if (meta.framework === "esbuild") {
    for (const d of diagnostics) ctx.error({ message: formatDiagnostic(d, root), loc: loc(d) });
    return;
  }
  const first = diagnostics[0]!;
  ctx.error({
    message: diagnostics.map((d) => formatDiagnostic(d, root)).join("\n"),
    id: first.fileName,
    loc: loc(first),
  });
}
