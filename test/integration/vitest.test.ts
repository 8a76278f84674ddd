// (c) Vitest (which ignores tsconfig plugins) with backprop-ts/vite in the user's vitest config.
import * as path from "node:path";
import { expect, inject, it } from "vitest";
import { NPX, run } from "./run.js";
import { json, write } from "./scenario.js";

const { ts6 } = inject("integration");

it("a user's vitest test using backprop-ts/vite sees the transformed grad", async () => {
  const dir = path.join(ts6, "vitest");
  write(dir, {
    "tsconfig.json": json({ extends: "../tsconfig.base.json", include: ["test"] }),
    "vitest.config.mts": 'import { defineConfig } from "vitest/config";\nimport { backprop } from "backprop-ts/vite";\nexport default defineConfig({ plugins: [backprop()], test: { include: ["test/**/*.test.ts"] } });\n',
    "test/grad.test.ts":
      'import { grad } from "backprop-ts";\nimport { expect, it } from "vitest";\nit("grad", () => {\n  expect(grad((x: number) => x ** 2 + 3)(9)).toBe(18);\n});\n',
  });
  const r = await run(NPX, ["vitest", "run"], dir);
  expect(r.stdout + r.stderr).toContain("1 passed");
  expect(r.code).toBe(0);
});
