// The pipeline, phase by phase: find sites (1) → resolve (2) → lower (3) → analyse (4) →
// differentiate (5) → emit (6). `Plan` runs phases 1–5 once per Program; this file asks it what
// one source file needs and turns that into TypeScript nodes for the hosts.
import type * as TS from "typescript";
import type { BpDiagnostic, FileRewrite, SiteReport, TypeScript } from "./api.js";
import { RUNTIME_LOCAL } from "./api.js";
import type { Expr, OStmt } from "./ir/ir.js";
import { Plan, type Derivation } from "./plan.js";
import { Emitter } from "./6-emit/emit.js";
import { toBpDiagnostic } from "./diagnostics.js";
import { locOf } from "./3-lower/source-location.js";

export interface PipelineOptions {
  /** run activity/TBR/simplify optimisations (default true); off is for testing the plain transform */
  optimize?: boolean;
}

const plans = new WeakMap<TS.Program, Map<string, Plan>>();
/** A Plan's out-of-line derivations by the file they are declared in, built once per Plan: a host
 * asks for every file of the Program, and most files declare none. */
const byFile = new WeakMap<Plan, Map<string, Derivation[]>>();

function derivationsIn(plan: Plan, fileName: string): Derivation[] {
  let index = byFile.get(plan);
  if (!index) {
    byFile.set(plan, (index = new Map()));
    for (const d of plan.derivations.values()) {
      if (d.inline || !d.fn || !d.after) continue;
      const list = index.get(d.fileName);
      if (list) list.push(d);
      else index.set(d.fileName, [d]);
    }
  }
  return index.get(fileName) ?? [];
}

export function planFor(ts: TypeScript, program: TS.Program, options: PipelineOptions = {}): Plan {
  const optimize = options.optimize ?? true;
  let byOptions = plans.get(program);
  if (!byOptions) plans.set(program, (byOptions = new Map()));
  const k = String(optimize);
  let plan = byOptions.get(k);
  if (!plan) byOptions.set(k, (plan = new Plan(ts, program, { optimize })));
  return plan;
}

export function rewriteFile(
  ts: TypeScript,
  program: TS.Program,
  sourceFile: TS.SourceFile,
  options: PipelineOptions = {},
): FileRewrite {
  const plan = planFor(ts, program, options);
  const fileName = sourceFile.fileName;
  const rewrite: FileRewrite = { fileName, replacements: new Map(), insertAfter: new Map(), needsRuntimeImport: false, diagnostics: [], sites: [] };
  const declared = derivationsIn(plan, fileName);
  const planned = plan.sites.get(fileName) ?? [];
  // most files of a Program: nothing to emit
  if (declared.length === 0 && planned.length === 0) return rewrite;
  const emit = new Emitter(ts);

  // derivatives declared in this file, next to their functions
  for (const d of declared) {
    if (!d.fn || !d.after || plan.closureErrors(d).length > 0) continue;
    const code: OStmt[] = [d.fn];
    if (d.exported) {
      // reachable from other modules through the function object itself
      const primalName = d.name.slice(0, d.name.indexOf("$"));
      code.push({ k: "set", target: { k: "prop", obj: { k: "free", path: primalName }, name: d.name.slice(d.name.indexOf("$")) }, op: "=", value: { k: "free", path: d.name } });
    }
    const list = rewrite.insertAfter.get(d.after) ?? [];
    list.push(...emit.statements(code));
    rewrite.insertAfter.set(d.after, list);
  }

  // the sites of this file
  for (const p of planned) {
    const call = p.site.call;
    const loc = locOf(call);
    const report: SiteReport = { line: loc.line, column: loc.col, callText: call.getText(), generated: [] };
    if (p.errors.length > 0 || !p.replacement) {
      const diagnostics = p.errors.map(toBpDiagnostic);
      rewrite.diagnostics.push(...diagnostics);
      const failed: Expr = { k: "arrow", params: [], body: [{ k: "return", e: { k: "call", callee: { k: "free", path: `${RUNTIME_LOCAL}.failedSite` }, args: [{ k: "lit", text: JSON.stringify(diagnostics.map(formatShort).join("\n")) }] } }] };
      rewrite.replacements.set(call, emit.expr(failed));
    } else {
      const replacement = emit.expr(p.replacement);
      rewrite.replacements.set(call, replacement);
      report.replacement = replacement;
      // Only `inspect` reads these: emitting each derivative again for every site of every build
      // doubled the emitter's work, so they are made when first read.
      const derivation = p.derivation;
      let generated: SiteReport["generated"] | undefined;
      Object.defineProperty(report, "generated", {
        enumerable: true,
        configurable: true,
        get: () => (generated ??= (derivation ? plan.closure(derivation) : [])
          .filter((d) => !d.inline && d.fn)
          .map((d) => ({ fileName: d.fileName, nodes: [emit.statement(d.fn!)] }))),
      });
    }
    rewrite.sites.push(report);
  }
  rewrite.needsRuntimeImport = emit.usesRuntime;
  rewrite.diagnostics = dedupe(rewrite.diagnostics);
  return rewrite;
}

function formatShort(d: BpDiagnostic): string {
  return `${d.fileName.split(/[\\/]/).pop()}:${d.line}:${d.column} - error BP${d.code}: ${d.message}`;
}

function dedupe(list: BpDiagnostic[]): BpDiagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const k = `${d.fileName}:${d.start}:${d.code}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

