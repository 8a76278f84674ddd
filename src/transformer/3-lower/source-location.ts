// Where a construct stands in the user's source, as the IR and the diagnostics carry it. Kept apart
// because the pipeline uses it too (for sites), not only the lowering.
import type * as TS from "typescript";
import type { Loc } from "../ir/ir.js";

const baseNames = new Map<string, string>();

export function locOf(node: TS.Node): Loc {
  const sf = node.getSourceFile();
  const start = node.getStart(sf);
  const { line, character } = sf.getLineAndCharacterOfPosition(start);
  // the node's first line only (not getText().split(), which copies every line of a function)
  const newline = sf.text.indexOf("\n", start);
  const text = sf.text.slice(start, newline < 0 || newline > node.end ? node.end : newline).trim();
  let file = baseNames.get(sf.fileName);
  if (file === undefined) baseNames.set(sf.fileName, (file = sf.fileName.split(/[\\/]/).pop()!));
  return {
    fileName: sf.fileName, start, length: node.end - start,
    file, line: line + 1, col: character + 1, text: text.length > 70 ? text.slice(0, 67) + "..." : text,
  };
}
