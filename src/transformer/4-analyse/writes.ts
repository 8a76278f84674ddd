// Which parameters a function writes into (elements, fields, push): such a function changes its
// caller's values, which the caller's adjoint sweep would then read changed.
import type { Func, Stmt } from "../ir/ir.js";
import { writtenRoot } from "../ir/ir.js";

export function paramsWritten(fn: Func): string[] {
  const params = new Set(fn.params.map((p) => p.name));
  const out = new Set<string>();
  const visit = (list: Stmt[]) => {
    for (const s of list) {
      const r = writtenRoot(s);
      if (r && params.has(r)) out.add(r);
      if (s.k === "if") { visit(s.then); visit(s.else); }
      else if (s.k === "while") visit(s.body);
    }
  };
  visit(fn.body);
  return [...out];
}
