// (e) DESIGN.md's incremental hazard: with declaration + incremental, editing only the body of
// `sq` in b.ts does not re-emit a.ts; the gradient at a.ts's site must still follow the new body.
import * as fs from "node:fs";
import * as path from "node:path";
import { expect, inject, it } from "vitest";
import { NPX, ok } from "./run.js";
import { json, write } from "./scenario.js";

const { ts6 } = inject("integration");

it("tspc incremental: editing only sq's body in b.ts updates grad(sq) in a.ts", async () => {
  const dir = path.join(ts6, "incremental");
  write(dir, {
    "tsconfig.json": json({
      extends: "../tsconfig.base.json",
      compilerOptions: {
        module: "NodeNext",
        moduleResolution: "NodeNext",
        rootDir: "src",
        outDir: "out",
        declaration: true,
        incremental: true,
        tsBuildInfoFile: "out/.tsbuildinfo",
        plugins: [{ transform: "backprop-ts/transformer" }],
      },
      include: ["src"],
    }),
    "src/a.ts": 'import { grad } from "backprop-ts";\nimport { sq } from "./b.js";\nconsole.log(grad(sq)(3));\n',
    "src/b.ts": "export function sq(x: number): number {\n  return x * x;\n}\n",
  });
  await ok(NPX, ["tspc", "-p", "tsconfig.json"], dir);
  expect((await ok(process.execPath, ["out/a.js"], dir)).stdout.trim()).toBe("6");

  const aBefore = fs.statSync(path.join(dir, "out/a.js")).mtimeMs;
  write(dir, { "src/b.ts": "export function sq(x: number): number {\n  return x * x * x;\n}\n" });
  await ok(NPX, ["tspc", "-p", "tsconfig.json"], dir);
  const reemitted = fs.statSync(path.join(dir, "out/a.js")).mtimeMs !== aBefore;
  console.log(`incremental: a.js ${reemitted ? "was" : "was not"} re-emitted after editing b.ts`);
  expect((await ok(process.execPath, ["out/a.js"], dir)).stdout.trim()).toBe("27");
});
