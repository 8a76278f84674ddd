import ts from "typescript";
import { describe, expect, it } from "vitest";
import { applyRewriteToText } from "../../src/transformer/host/apply-text.js";
import { constDecl, emptyRewrite, find, parse } from "./helpers.js";

const f = ts.factory;

describe("applyRewriteToText", () => {
  it("returns undefined when there is nothing to change", () => {
    const sf = parse("const a = 1;\n");
    expect(applyRewriteToText(ts, sf, emptyRewrite(sf.fileName))).toBeUndefined();
  });

  it("splices only the site, inserts after the statement, prepends the import", () => {
    const code = [
      "// header comment kept",
      "function sq(x: number) {",
      "  return x * x; // body untouched",
      "} // trailing",
      "console.log(grad(sq)(3),   'spacing kept');",
      "",
    ].join("\n");
    const sf = parse(code);
    const rw = emptyRewrite(sf.fileName);
    rw.replacements.set(find(sf, "grad(sq)", ts.isCallExpression), f.createNumericLiteral(42));
    rw.insertAfter.set(find(sf, code.slice(code.indexOf("function"), code.indexOf(" // trailing")), ts.isFunctionDeclaration), [constDecl("sq$grad")]);
    rw.needsRuntimeImport = true;
    const out = applyRewriteToText(ts, sf, rw)!;
    expect(out.code).toBe(
      [
        'import * as $bp from "backprop-ts";',
        "// header comment kept",
        "function sq(x: number) {",
        "  return x * x; // body untouched",
        "} // trailing",
        "const sq$grad = 1;",
        "console.log(42(3),   'spacing kept');",
        "",
      ].join("\n"),
    );
    expect(out.map.mappings.length).toBeGreaterThan(0);
    expect(out.map.sources).toEqual([sf.fileName]);
  });

  it("maps an unchanged line back to itself", () => {
    const code = "const a = 1;\nconst b = grad(f);\nconst c = 3;\n";
    const sf = parse(code);
    const rw = emptyRewrite(sf.fileName);
    rw.replacements.set(find(sf, "grad(f)", ts.isCallExpression), f.createIdentifier("f$grad"));
    rw.needsRuntimeImport = true;
    const out = applyRewriteToText(ts, sf, rw)!;
    expect(out.code.split("\n")[3]).toBe("const c = 3;");
    // generated line 4 (0-based 3) starts with a segment pointing at original line 2 (0-based)
    const line4 = out.map.mappings.split(";")[3]!;
    expect(line4.length).toBeGreaterThan(0);
  });

  it("parenthesises expressions that are not primary and guards statement starts", () => {
    const code = "let a = 1\ngrad(f)(2)\n";
    const sf = parse(code);
    const rw = emptyRewrite(sf.fileName);
    const arrow = f.createArrowFunction(undefined, undefined, [f.createParameterDeclaration(undefined, undefined, "x")], undefined, undefined, f.createIdentifier("x"));
    rw.replacements.set(find(sf, "grad(f)", ts.isCallExpression), arrow);
    const out = applyRewriteToText(ts, sf, rw)!;
    expect(out.code).toBe("let a = 1\n;(x => x)(2)\n");
  });

  it("indents inserted statements like their anchor in a nested block", () => {
    const code = "function outer() {\n    function inner() {}\n    return inner;\n}\n";
    const sf = parse(code);
    const rw = emptyRewrite(sf.fileName);
    rw.insertAfter.set(find(sf, "function inner() {}", ts.isFunctionDeclaration), [constDecl("a"), constDecl("b", 2)]);
    const out = applyRewriteToText(ts, sf, rw)!;
    expect(out.code).toBe("function outer() {\n    function inner() {}\n    const a = 1;\n    const b = 2;\n    return inner;\n}\n");
  });

  it("keeps a shebang first and does not duplicate an existing runtime import", () => {
    const sf = parse("#!/usr/bin/env node\nconst a = grad(f);\n");
    const rw = emptyRewrite(sf.fileName);
    rw.replacements.set(find(sf, "grad(f)", ts.isCallExpression), f.createIdentifier("g"));
    rw.needsRuntimeImport = true;
    expect(applyRewriteToText(ts, sf, rw)!.code).toBe('#!/usr/bin/env node\nimport * as $bp from "backprop-ts";\nconst a = g;\n');
    const sf2 = parse('import * as $bp from "backprop-ts";\nconst a = grad(f);\n');
    const rw2 = emptyRewrite(sf2.fileName);
    rw2.replacements.set(find(sf2, "grad(f)", ts.isCallExpression), f.createIdentifier("g"));
    rw2.needsRuntimeImport = true;
    expect(applyRewriteToText(ts, sf2, rw2)!.code).toBe('import * as $bp from "backprop-ts";\nconst a = g;\n');
  });
});
