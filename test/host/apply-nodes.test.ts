import ts from "typescript";
import { describe, expect, it } from "vitest";
import type { FileRewrite } from "../../src/transformer/api.js";
import { applyRewriteToNodes } from "../../src/transformer/host/apply-nodes.js";
import { constDecl, emptyRewrite, find } from "./helpers.js";

const f = ts.factory;

/** Emit `code` through a real Program with our node applier as a `before` transformer. */
function emit(code: string, build: (sf: ts.SourceFile) => FileRewrite, module = ts.ModuleKind.ESNext): { js: string; map: string } {
  const fileName = "/virtual/main.ts";
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module, sourceMap: true, noLib: true, types: [] };
  const host = ts.createCompilerHost(options, true);
  const out: Record<string, string> = {};
  host.getSourceFile = (name, lang) => (name === fileName ? ts.createSourceFile(name, code, lang, true) : undefined);
  host.fileExists = (name) => name === fileName;
  host.writeFile = (name, text) => (out[name.endsWith(".map") ? "map" : "js"] = text);
  const program = ts.createProgram([fileName], options, host);
  const sf = program.getSourceFile(fileName)!;
  const rewrite = build(sf);
  const result = program.emit(undefined, undefined, undefined, false, {
    before: [(context) => (file) => applyRewriteToNodes(ts, context, file, rewrite)],
  });
  expect(result.emitSkipped).toBe(false);
  return { js: out.js!, map: out.map! };
}

describe("applyRewriteToNodes", () => {
  it("replaces a call, inserts after a function declaration, adds the namespace import", () => {
    const code = '"use strict";\nfunction sq(x: number) { return x * x; }\nconsole.log(grad(sq)(3));\n';
    const { js } = emit(code, (sf) => {
      const rw = emptyRewrite(sf.fileName);
      rw.replacements.set(find(sf, "grad(sq)", ts.isCallExpression), f.createIdentifier("sq$grad"));
      rw.insertAfter.set(find(sf, "function sq(x: number) { return x * x; }", ts.isFunctionDeclaration), [constDecl("sq$grad")]);
      rw.needsRuntimeImport = true;
      return rw;
    });
    expect(js).toBe(
      '"use strict";\nimport * as $bp from "backprop-ts";\nfunction sq(x) { return x * x; }\nconst sq$grad = 1;\nconsole.log(sq$grad(3));\n//# sourceMappingURL=main.js.map',
    );
  });

  it("inserts into nested statement lists: blocks, namespaces, case clauses", () => {
    const code = [
      "function outer() { function a() {} return a; }",
      "namespace N { export function b() {} }",
      "switch (1 as number) { case 1: function c() {} break; default: function d() {} }",
    ].join("\n");
    const { js } = emit(code, (sf) => {
      const rw = emptyRewrite(sf.fileName);
      for (const name of ["a", "b", "c", "d"]) {
        const decl = find(sf, name, ts.isIdentifier).parent as ts.FunctionDeclaration;
        rw.insertAfter.set(decl, [constDecl(`${name}$grad`)]);
      }
      return rw;
    });
    for (const name of ["a", "b", "c", "d"]) {
      expect(js).toMatch(new RegExp(`function ${name}\\(\\) \\{ \\}\\s*(N\\.b = b;\\s*)?const ${name}\\$grad = 1;`));
    }
  });

  it("keeps the synthesized runtime import under CommonJS (not elided as unused)", () => {
    const { js } = emit("export const v = grad(f);\n", (sf) => {
      const rw = emptyRewrite(sf.fileName);
      rw.replacements.set(find(sf, "grad(f)", ts.isCallExpression), f.createCallExpression(f.createPropertyAccessExpression(f.createIdentifier("$bp"), "zero"), undefined, []));
      rw.needsRuntimeImport = true;
      return rw;
    }, ts.ModuleKind.CommonJS);
    expect(js).toContain('const $bp = __importStar(require("backprop-ts"));');
    expect(js).toContain("exports.v = $bp.zero();");
  });

  it("parenthesises a replacement where the parent needs it", () => {
    const { js } = emit("grad(f)(2);\n", (sf) => {
      const rw = emptyRewrite(sf.fileName);
      const arrow = f.createArrowFunction(undefined, undefined, [f.createParameterDeclaration(undefined, undefined, "x")], undefined, undefined, f.createIdentifier("x"));
      rw.replacements.set(find(sf, "grad(f)", ts.isCallExpression), arrow);
      return rw;
    });
    expect(js).toContain("\n((x) => x)(2);\n");
  });

  it("maps the replacement to the site in the source map", () => {
    const { map } = emit("const a = 1;\n\nconst b = grad(f);\n", (sf) => {
      const rw = emptyRewrite(sf.fileName);
      rw.replacements.set(find(sf, "grad(f)", ts.isCallExpression), f.createIdentifier("replaced"));
      return rw;
    });
    const lines = JSON.parse(map).mappings.split(";");
    expect(lines[1].length).toBeGreaterThan(0); // `const b = replaced;` is mapped
  });
});
