// Golden fixtures: test/fixtures/<case>/input.ts (+ optional other modules such as lib.ts).
//
// For every case folder (folders starting with `_`, e.g. `_pending`, are skipped):
//   1. builds a Program over the folder's modules with the repo's compiler options, runs
//      rewriteFile({ optimize: true }) + applyRewriteToText, and compares the whole transformed text
//      with expected.ts (lib.ts ↔ lib.expected.ts);
//   2. for optimize on AND off, bundles the transformed modules with esbuild (backprop-ts → src/runtime)
//      and runs them in a worker thread (a generated infinite loop times out instead of hanging),
//      checking every entry of input.ts's `cases` export (`Case` in check-cases.ts) against central
//      finite differences (test/support/fd.ts) at every point, exact values for valueAndGrad/vjp,
//      gradient shapes, and that the inputs were not mutated.
// Cases the transformer gets wrong today live in test/fixtures/_pending/ (skipped; see its README).
//
// Regenerate the goldens after an intended codegen change (then read the diff!):
//     UPDATE_GOLDEN=1 npx vitest run --project unit test/golden/fixtures.test.ts
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, describe, it } from "vitest";
import { REPO, UPDATE, caseFolders, cleanupTemp, goldenOf, runCases, transformFolder, type Transformed } from "./harness.js";

const FIXTURES = `${REPO}/test/fixtures`;
const folders = caseFolders(FIXTURES);

/** First line of every golden: tsconfig includes test/fixtures, and generated code is untyped JS. */
const HEADER = "// @ts-nocheck — golden: the transformer's output for this fixture (test/golden/fixtures.test.ts; UPDATE_GOLDEN=1 regenerates)\n";

afterAll(() => cleanupTemp());

// Transforms run one after another (synchronous); the bundles run in workers, side by side.
describe.concurrent.each(folders)("fixture %s", (name) => {
  const folder = `${FIXTURES}/${name}`;
  const transformed = new Map<boolean, Transformed[]>();
  const get = (optimize: boolean) => {
    let t = transformed.get(optimize);
    if (!t) transformed.set(optimize, (t = transformFolder(folder, optimize)));
    return t;
  };

  it("transforms without diagnostics, as in the golden files", { timeout: 30_000 }, ({ expect }) => {
    for (const m of get(true)) {
      expect(m.rewrite.diagnostics.map((d) => `${d.line}:${d.column} BP${d.code} ${d.message}`), path.basename(m.fileName)).toEqual([]);
      const golden = `${folder}/${goldenOf(path.basename(m.fileName))}`;
      const text = HEADER + m.text;
      const old = fs.existsSync(golden) ? fs.readFileSync(golden, "utf8") : undefined;
      if (UPDATE) {
        if (text !== old) fs.writeFileSync(golden, text);
      } else {
        expect(old, `${path.basename(golden)} is missing: UPDATE_GOLDEN=1 writes it`).toBeDefined();
        expect(text, `${path.basename(golden)} (UPDATE_GOLDEN=1 regenerates)`).toBe(old);
      }
    }
    expect(get(true)[0]!.rewrite.sites.length, "input.ts has grad/valueAndGrad/vjp sites").toBeGreaterThan(0);
  });

  for (const optimize of [true, false]) {
    it(`gradients match finite differences (optimize ${optimize ? "on" : "off"})`, { timeout: 30_000 }, async ({ expect }) => {
      const modules = get(optimize);
      for (const m of modules) expect(m.rewrite.diagnostics.map((d) => `${d.line}:${d.column} BP${d.code} ${d.message}`)).toEqual([]);
      const failures = await runCases(`${folder}/input.ts`, modules, `${name} (optimize ${optimize ? "on" : "off"})`);
      expect(failures.join("\n\n")).toBe("");
    });
  }
});
