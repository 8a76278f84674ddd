// A walk over the statements of a structured body (nested ones included), for the analyses that
// only ask which statements there are and whether each sits inside a loop or branch.
import type { Stmt } from "../ir/ir.js";

export function forEachStmt(body: Stmt[], visit: (s: Stmt, nested: boolean) => void, nested = false): void {
  for (const s of body) {
    visit(s, nested);
    if (s.k === "if") { forEachStmt(s.then, visit, true); forEachStmt(s.else, visit, true); }
    else if (s.k === "while") forEachStmt(s.body, visit, true);
  }
}
