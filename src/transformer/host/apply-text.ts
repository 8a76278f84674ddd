// Apply a FileRewrite as text splices (bundler plugins): only the sites and the inserted
// declarations are printed; the user's own code is never reprinted, and magic-string gives a
// hires source map back to the original file.
import MagicString, { type SourceMap } from "magic-string";
import type * as TS from "typescript";
import { RUNTIME_LOCAL, RUNTIME_MODULE, type FileRewrite, type TypeScript } from "../api.js";

export interface TextEdit {
  code: string;
  map: SourceMap;
}

export function applyRewriteToText(
  ts: TypeScript,
  sourceFile: TS.SourceFile,
  rewrite: FileRewrite,
  code: string = sourceFile.text,
): TextEdit | undefined {
  const { replacements, insertAfter } = rewrite;
  if (replacements.size === 0 && insertAfter.size === 0 && !rewrite.needsRuntimeImport) return undefined;
  const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed });
  const s = new MagicString(code);

  for (const [node, expr] of replacements) {
    let text = printer.printNode(ts.EmitHint.Expression, expr, sourceFile);
    if (needsParens(ts, expr)) text = `(${text})`;
    // `a\n(x)` would call `a`: guard a leading paren at the start of a statement
    if (text.startsWith("(") && startsStatement(ts, node, sourceFile)) text = ";" + text;
    s.overwrite(node.getStart(sourceFile), node.end, text);
  }

  for (const [stmt, added] of insertAfter) {
    if (added.length === 0) continue;
    const indent = indentationAt(code, stmt.getStart(sourceFile));
    const printed = added.map((a) => reindent(printer.printNode(ts.EmitHint.Unspecified, a, sourceFile), indent));
    // after any comment trailing the statement on its line, so the comment stays with it
    const comments = ts.getTrailingCommentRanges(code, stmt.end) ?? [];
    const at = comments.length ? comments[comments.length - 1]!.end : stmt.end;
    s.appendLeft(at, "\n" + printed.join("\n"));
  }

  if (rewrite.needsRuntimeImport && !hasRuntimeImport(code)) {
    const line = `import * as ${RUNTIME_LOCAL} from ${JSON.stringify(RUNTIME_MODULE)};\n`;
    const shebang = code.startsWith("#!") ? code.indexOf("\n") + 1 : 0;
    if (shebang > 0) s.appendLeft(shebang, line);
    else s.prepend(line);
  }

  return {
    code: s.toString(),
    map: s.generateMap({ hires: true, source: sourceFile.fileName, includeContent: true }),
  };
}

/** Anything but a primary/member/call expression is parenthesised where it replaces a call. */
function needsParens(ts: TypeScript, e: TS.Expression): boolean {
  return !(
    ts.isIdentifier(e) ||
    ts.isCallExpression(e) ||
    ts.isPropertyAccessExpression(e) ||
    ts.isElementAccessExpression(e) ||
    ts.isParenthesizedExpression(e) ||
    ts.isArrayLiteralExpression(e) ||
    ts.isNumericLiteral(e) ||
    ts.isStringLiteral(e) ||
    (ts.isNewExpression(e) && e.arguments !== undefined)
  );
}

function startsStatement(ts: TypeScript, node: TS.Node, sf: TS.SourceFile): boolean {
  const start = node.getStart(sf);
  for (let p = node.parent; p; p = p.parent) {
    if (p.getStart(sf) !== start) return false;
    if (ts.isExpressionStatement(p)) return true;
  }
  return false;
}

function indentationAt(code: string, pos: number): string {
  const lineStart = code.lastIndexOf("\n", pos - 1) + 1;
  return /^[ \t]*/.exec(code.slice(lineStart, pos))![0];
}

/** Indent printed code like its anchor; never touch code containing template literals,
 * whose multi-line contents are values. */
function reindent(text: string, indent: string): string {
  if (!indent || text.includes("`")) return text;
  return text.split("\n").map((l) => (l ? indent + l : l)).join("\n");
}

function hasRuntimeImport(code: string): boolean {
  return new RegExp(`import\\s*\\*\\s*as\\s*\\${RUNTIME_LOCAL}\\s+from\\s*["']${RUNTIME_MODULE}["']`).test(code);
}
