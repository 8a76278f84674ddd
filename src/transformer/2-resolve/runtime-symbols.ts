// Is this expression one of our runtime's exports? Decided by where its declaration lives (a file of
// the package named "backprop-ts"), never by the identifier's text.
import * as path from "node:path";
import * as fs from "node:fs";
import type * as TS from "typescript";
import type { TypeScript } from "../api.js";

const packageOfDir = new Map<string, boolean>();

function isOurPackageFile(fileName: string): boolean {
  let dir = path.dirname(fileName);
  const seen: string[] = [];
  for (;;) {
    const known = packageOfDir.get(dir);
    if (known !== undefined) { for (const d of seen) packageOfDir.set(d, known); return known; }
    seen.push(dir);
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg)) {
      let ours = false;
      try { ours = (JSON.parse(fs.readFileSync(pkg, "utf8")) as { name?: string }).name === "backprop-ts"; } catch { ours = false; }
      for (const d of seen) packageOfDir.set(d, ours);
      return ours;
    }
    const up = path.dirname(dir);
    if (up === dir) { for (const d of seen) packageOfDir.set(d, false); return false; }
    dir = up;
  }
}

/** The symbol an expression names, through import aliases. */
export function resolvedSymbol(ts: TypeScript, checker: TS.TypeChecker, expr: TS.Expression): TS.Symbol | undefined {
  // asked of every call by find-sites, then again by lowering and resolveCallee: the checker
  // resolves an identifier's name again each time (its answers do not change for one Program)
  let known = resolved.get(checker);
  if (!known) resolved.set(checker, (known = new WeakMap()));
  const cached = known.get(expr);
  if (cached !== undefined) return cached ?? undefined;
  let sym = checker.getSymbolAtLocation(expr);
  if (sym && sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
  known.set(expr, sym ?? null);
  return sym;
}
const resolved = new WeakMap<TS.TypeChecker, WeakMap<TS.Node, TS.Symbol | null>>();

/** `grad`, `withGradient`, ... when `expr` names that export of backprop-ts; else undefined. */
export function runtimeExportOf(ts: TypeScript, checker: TS.TypeChecker, expr: TS.Expression): string | undefined {
  if (!ts.isIdentifier(expr) && !ts.isPropertyAccessExpression(expr)) return undefined;
  const sym = resolvedSymbol(ts, checker, expr);
  if (!sym) return undefined;
  // find-sites asks this of every call in the program: most name the same few symbols (Math.exp, ...)
  let known = exportNames.get(sym);
  if (known === undefined) {
    const decl = sym.declarations?.[0];
    const file = decl?.getSourceFile().fileName;
    known = file !== undefined && /[\\/](src[\\/]runtime|dist[\\/]runtime)[\\/]/.test(file) && isOurPackageFile(file) ? sym.name : null;
    exportNames.set(sym, known);
  }
  return known ?? undefined;
}
const exportNames = new WeakMap<TS.Symbol, string | null>();
