// Error fixtures: test/errors/<case>/input.ts (+ optional other modules such as lib.ts) and
// expected.txt, the exact diagnostics, formatted as `file:line:col - error BPnnnn: message` with
// paths relative to the repo root, one per line, in the order the pipeline reports them.
//
// For every case folder (folders starting with `_`, e.g. `_pending`, are skipped), with optimize on
// and off: builds a Program over the folder's modules (test/errors is outside tsconfig's `include`;
// harness.ts uses the repo's compiler options, so `backprop-ts` maps to src/runtime), runs
// rewriteFile on every module — it must return diagnostics, never throw — and compares the
// diagnostics with expected.txt. Each failed site must still be replaced (by code that throws the
// diagnostics when called), so no stale or wrong gradient can run.
//
// Regenerate expected.txt after an intended change of messages or positions (then read the diff!):
//     UPDATE_GOLDEN=1 npx vitest run --project unit test/golden/errors.test.ts
import * as fs from "node:fs";
import ts from "typescript";
import { describe, it } from "vitest";
import { formatDiagnostic } from "../../src/transformer/api.js";
import { applyRewriteToText } from "../../src/transformer/host/apply-text.js";
import { REPO, UPDATE, caseFolders, rewriteFolder } from "./harness.js";

const ERRORS = `${REPO}/test/errors`;

function diagnose(folder: string, optimize: boolean) {
  const lines: string[] = [];
  let sites = 0;
  let replaced = 0;
  for (const { fileName, sourceFile: sf, rewrite } of rewriteFolder(folder, optimize)) {
    for (const d of rewrite.diagnostics) {
      const line = formatDiagnostic(d, REPO);
      if (!lines.includes(line)) lines.push(line);
    }
    sites += rewrite.sites.length;
    replaced += rewrite.sites.filter((s) => rewrite.replacements.has(findCall(sf, s.line, s.column, s.callText))).length;
    const text = applyRewriteToText(ts, sf, rewrite)?.code ?? "";
    if (rewrite.diagnostics.length > 0 && !text.includes("failedSite")) lines.push(`(${fileName}: no failedSite in the transformed text)`);
  }
  return { text: lines.join("\n") + "\n", sites, replaced };
}

/** The site's call expression: starts at line:col (1-based) with that text (`grad(sq)` in `grad(sq)(x)`). */
function findCall(sf: ts.SourceFile, line: number, column: number, text: string): ts.Node {
  const pos = sf.getPositionOfLineAndCharacter(line - 1, column - 1);
  let hit: ts.Node | undefined;
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && n.getStart(sf) === pos && n.getText(sf) === text && !hit) hit = n;
    n.forEachChild(visit);
  };
  visit(sf);
  return hit ?? sf;
}

describe.each(caseFolders(ERRORS))("error case %s", (name) => {
  const folder = `${ERRORS}/${name}`;
  const golden = `${folder}/expected.txt`;

  for (const optimize of [true, false]) {
    it(`reports the expected diagnostics (optimize ${optimize ? "on" : "off"})`, { timeout: 30_000 }, ({ expect }) => {
      const { text, sites, replaced } = diagnose(folder, optimize);
      expect(text.trim(), "at least one diagnostic").not.toBe("");
      expect(replaced, "every site is replaced, failed ones by code that throws").toBe(sites);
      const old = fs.existsSync(golden) ? fs.readFileSync(golden, "utf8") : undefined;
      if (UPDATE && optimize) {
        if (text !== old) fs.writeFileSync(golden, text);
        return;
      }
      expect(old, "expected.txt is missing: UPDATE_GOLDEN=1 writes it").toBeDefined();
      expect(text, "expected.txt (UPDATE_GOLDEN=1 regenerates)").toBe(old);
    });
  }
});
