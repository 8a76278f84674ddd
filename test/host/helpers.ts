// Hand-made FileRewrites for host tests: the hosts are tested without the real pipeline.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import ts from "typescript";
import type { FileRewrite } from "../../src/transformer/api.js";

export function parse(code: string, fileName = "/virtual/a.ts"): ts.SourceFile {
  return ts.createSourceFile(fileName, code, ts.ScriptTarget.ES2022, true);
}

export function emptyRewrite(fileName: string): FileRewrite {
  return { fileName, replacements: new Map(), insertAfter: new Map(), needsRuntimeImport: false, diagnostics: [], sites: [] };
}

/** First node whose source text is exactly `text` and that satisfies `is`. */
export function find<T extends ts.Node>(sf: ts.SourceFile, text: string, is: (n: ts.Node) => n is T): T {
  let hit: T | undefined;
  const visit = (n: ts.Node): void => {
    if (hit) return;
    if (is(n) && n.getText(sf) === text) hit = n;
    else n.forEachChild(visit);
  };
  visit(sf);
  if (!hit) throw new Error(`no node ${JSON.stringify(text)}`);
  return hit;
}

/** `const <name> = 1;` as a synthesized statement */
export function constDecl(name: string, value = 1): ts.Statement {
  const f = ts.factory;
  return f.createVariableStatement(
    undefined,
    f.createVariableDeclarationList([f.createVariableDeclaration(name, undefined, undefined, f.createNumericLiteral(value))], ts.NodeFlags.Const),
  );
}

const created: string[] = [];

/** Remove every temp project made so far (call from afterEach). */
export function removeTempProjects(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** A temp dir with the given files; removed by `cleanup` or removeTempProjects(). */
export function tempProject(files: Record<string, string>): { dir: string; file: (p: string) => string; cleanup: () => void } {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "bp-host-")));
  created.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return {
    dir,
    file: (p) => path.join(dir, p).replace(/\\/g, "/"),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
