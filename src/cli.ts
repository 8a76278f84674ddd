// `backprop-ts inspect FILE.ts [--no-optimize]`: show what the transformer generates for every
// grad/valueAndGrad/vjp site in a file. Uses our own `typescript` (works beside a native TS 7).
import * as fs from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import { formatDiagnostic, type SiteReport } from "./transformer/api.js";
import { loadTsconfig } from "./transformer/host/load-tsconfig.js";
import { internalError, safeRewriteFile } from "./transformer/host/safe-rewrite.js";

const USAGE = `Usage:
  backprop-ts inspect FILE.ts [--no-optimize]   print every grad/valueAndGrad/vjp site in FILE.ts
                                                and the code generated for it; exit 1 on diagnostics
  backprop-ts --help                            this text`;

type Print = (s: string) => void;
const stdout: Print = (s) => void process.stdout.write(s + "\n");
const stderr: Print = (s) => void process.stderr.write(s + "\n");

export function main(argv: string[], out: Print = stdout, err: Print = stderr): number {
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h" || command === "help") {
    out(USAGE);
    return 0;
  }
  if (command !== "inspect") {
    err(command ? `unknown command: ${command}\n\n${USAGE}` : USAGE);
    return 2;
  }
  const files = rest.filter((a) => !a.startsWith("-"));
  const unknown = rest.filter((a) => a.startsWith("-") && a !== "--no-optimize");
  if (files.length !== 1 || unknown.length) {
    err(`${unknown.length ? `unknown option: ${unknown.join(" ")}\n\n` : ""}${USAGE}`);
    return 2;
  }
  const file = path.resolve(files[0]!);
  if (!fs.existsSync(file)) {
    err(`backprop-ts: no such file: ${files[0]}`);
    return 2;
  }
  try {
    return inspect(file, { optimize: !rest.includes("--no-optimize") }, out, err);
  } catch (error) {
    err(formatDiagnostic(internalError(file, error), process.cwd()));
    return 1;
  }
}

function inspect(file: string, options: { optimize: boolean }, out: Print, err: Print): number {
  const cwd = process.cwd();
  const config = loadTsconfig(ts, path.dirname(file));
  const program = ts.createProgram({ rootNames: [file], options: { ...config.options, noEmit: true } });
  const sourceFile = program.getSourceFile(file);
  if (!sourceFile) {
    err(`backprop-ts: cannot load ${file}`);
    return 2;
  }
  const rewrite = safeRewriteFile(ts, program, sourceFile, options);
  const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed });
  const rel = path.relative(cwd, file).replace(/\\/g, "/") || file;

  if (rewrite.sites.length === 0 && rewrite.diagnostics.length === 0) out(`${rel}: no grad/valueAndGrad/vjp sites`);
  rewrite.sites.forEach((site, i) => {
    if (i > 0) out("");
    out(printSite(rel, site, program, sourceFile, printer, cwd));
  });
  for (const d of rewrite.diagnostics) err(formatDiagnostic(d, cwd));
  return rewrite.diagnostics.length ? 1 : 0;
}

function printSite(rel: string, site: SiteReport, program: ts.Program, sf: ts.SourceFile, printer: ts.Printer, cwd: string): string {
  const lines = [`${rel}:${site.line}:${site.column}  ${site.callText}`, "=".repeat(Math.min(78, rel.length + site.callText.length + 12))];
  for (const group of site.generated) {
    const from = path.relative(cwd, group.fileName).replace(/\\/g, "/") || group.fileName;
    const home = program.getSourceFile(group.fileName) ?? sf;
    lines.push(`// generated in ${from}`);
    for (const node of group.nodes) lines.push(printer.printNode(ts.EmitHint.Unspecified, node, home), "");
  }
  if (site.replacement) {
    lines.push(`// ${site.callText} becomes`);
    lines.push(printer.printNode(ts.EmitHint.Expression, site.replacement, sf));
  }
  return lines.join("\n");
}

// Run when executed as the bin (dist/cli.cjs), not when imported by tests.
if (typeof require !== "undefined" && typeof module !== "undefined" && require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
