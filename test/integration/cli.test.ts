// (d) the CLI from the installed package: `npx backprop-ts inspect FILE.ts`.
import * as path from "node:path";
import { expect, inject, it } from "vitest";
import { NPX, run } from "./run.js";
import { json, MAIN, write } from "./scenario.js";

const { ts6 } = inject("integration");
const dir = path.join(ts6, "cli");
const BAD_LINE = "console.log(grad((x: number) => opaque(x) * 2)(1));";

it("inspect prints the site and exits 0; exits 1 with file:line:col on a bad file", async () => {
  write(dir, {
    "tsconfig.json": json({ extends: "../tsconfig.base.json", include: ["src"] }),
    "src/main.ts": MAIN,
    "src/bad.ts": `import { grad } from "backprop-ts";\ndeclare function opaque(x: number): number;\n${BAD_LINE}\n`,
  });
  const good = await run(NPX, ["backprop-ts", "inspect", "src/main.ts"], dir);
  expect(good.stdout).toContain("src/main.ts:2:13  grad((x: number) => x ** 2 + 3)");
  expect(good.code).toBe(0);

  const bad = await run(NPX, ["backprop-ts", "inspect", "src/bad.ts"], dir);
  expect(bad.stderr).toMatch(new RegExp(`src/bad\\.ts:3:${BAD_LINE.indexOf("opaque(x)") + 1} - error BP1\\d{3}: `));
  expect(bad.code).toBe(1);
});
