// Find and parse the user's tsconfig.json (or fall back to sensible defaults).
import * as path from "node:path";
import type * as TS from "typescript";
import type { TypeScript } from "../api.js";

export interface LoadedConfig {
  configPath: string | undefined;
  options: TS.CompilerOptions;
  /** absolute, forward-slash file names the config includes */
  rootNames: string[];
}

export function defaultCompilerOptions(ts: TypeScript): TS.CompilerOptions {
  return {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    skipLibCheck: true,
  };
}

/** `explicit` is resolved against `fromDir`; without it, the nearest tsconfig.json upward. */
export function loadTsconfig(ts: TypeScript, fromDir: string, explicit?: string): LoadedConfig {
  const configPath = explicit ? path.resolve(fromDir, explicit) : ts.findConfigFile(fromDir, ts.sys.fileExists);
  if (!configPath) return { configPath, options: defaultCompilerOptions(ts), rootNames: [] };
  let fatal: TS.Diagnostic | undefined;
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => (fatal = d),
  });
  // 18003 "no inputs found" is fine: files outside `include` become extra roots.
  const errors = fatal
    ? [fatal]
    : (parsed?.errors ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error && d.code !== 18003);
  if (!parsed || errors.length) {
    const text = errors.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n")).join("\n");
    throw new Error(`backprop-ts: cannot read ${configPath}: ${text}`);
  }
  return {
    configPath,
    options: parsed.options,
    rootNames: parsed.fileNames.map((f) => path.resolve(f).replace(/\\/g, "/")),
  };
}
