// (a) tspc: typescript@6.0.3 + ts-patch@4.0.1 with "plugins": [{ "transform": "backprop-ts/transformer" }]
import * as path from "node:path";
import { expect, inject, it } from "vitest";
import { NPX, ok, run } from "./run.js";
import { json, MAIN, write } from "./scenario.js";

const { ts6 } = inject("integration");

const tsconfig = json({
  extends: "../tsconfig.base.json",
  compilerOptions: {
    module: "NodeNext",
    moduleResolution: "NodeNext",
    rootDir: "src",
    outDir: "out",
    plugins: [{ transform: "backprop-ts/transformer" }],
  },
  include: ["src"],
});

it("npx tspc builds the user program and node prints 18", async () => {
  const dir = path.join(ts6, "tspc");
  write(dir, { "tsconfig.json": tsconfig, "src/main.ts": MAIN });
  await ok(NPX, ["tspc", "-p", "tsconfig.json"], dir);
  const r = await ok(process.execPath, ["out/main.js"], dir);
  expect(r.stdout.trim()).toBe("18");
});

it("a constructor's derivative orders parameter properties and field initialisers as the target does", async () => {
  // ES2020 (no useDefineForClassFields): `this.w = w` runs before `area = this.w * 3`; from ES2022
  // on, fields come first and reading `this.w` in an initialiser is a type error
  const dir = path.join(ts6, "tspc-es2020");
  write(dir, {
    "tsconfig.json": json({ extends: "../tsconfig.base.json", compilerOptions: { target: "ES2020", module: "NodeNext", moduleResolution: "NodeNext", rootDir: "src", outDir: "out", plugins: [{ transform: "backprop-ts/transformer" }] }, include: ["src"] }),
    "src/main.ts": [
      'import { grad } from "backprop-ts";',
      "class Panel {",
      "  area = this.w * 3;",
      "  constructor(public w: number) {}",
      "}",
      "console.log(grad((w: number) => new Panel(w).area * w)(2));",
      "",
    ].join("\n"),
  });
  await ok(NPX, ["tspc", "-p", "tsconfig.json"], dir);
  const r = await ok(process.execPath, ["out/main.js"], dir);
  expect(r.stdout.trim()).toBe("12"); // d(3w²)/dw at 2
});

it("npx tspc reports a construct that cannot be differentiated like a type error", async () => {
  const dir = path.join(ts6, "tspc-bad");
  const line3 = "console.log(grad((x: number) => opaque(x) * 2)(1));";
  write(dir, {
    "tsconfig.json": tsconfig,
    "src/bad.ts": `import { grad } from "backprop-ts";\ndeclare function opaque(x: number): number;\n${line3}\n`,
  });
  const r = await run(NPX, ["tspc", "-p", "tsconfig.json"], dir);
  expect(r.code).not.toBe(0);
  const col = line3.indexOf("opaque(x)") + 1;
  // tsc's plain format: src/bad.ts(3,33): error TS1015: backprop-ts BP1015: …
  expect(r.stdout + r.stderr).toMatch(new RegExp(`src/bad\\.ts\\(3,${col}\\): error TS1\\d{3}: backprop-ts BP1\\d{3}: `));
});

it("the published .d.ts files resolve for every entry point (NodeNext)", async () => {
  const dir = path.join(ts6, "types");
  write(dir, {
    "tsconfig.json": json({ extends: "../tsconfig.base.json", compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", noEmit: true }, include: ["src"] }),
    "src/use.ts": [
      'import { grad, valueAndGrad, type Grad } from "backprop-ts";',
      'import { backprop as vite } from "backprop-ts/vite";',
      'import esbuildPlugin from "backprop-ts/esbuild";',
      'import transformer from "backprop-ts/transformer";',
      "export const plugins: { name: string }[] = [vite({ optimize: false }), esbuildPlugin({ tsconfig: \"tsconfig.json\" })];",
      "export const t: typeof transformer = transformer;",
      "export const g: number = grad((x: number) => x * x)(3);",
      "export const v: { value: number } = valueAndGrad((x: number) => x * x)(3);",
      "export const gt: Grad<number[]> = [1];",
      "",
    ].join("\n"),
  });
  await ok(NPX, ["tsc", "-p", "tsconfig.json"], dir);
});
