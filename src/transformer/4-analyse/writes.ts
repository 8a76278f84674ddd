// Which parameters a function writes into (elements, fields, push): such a function changes its
// caller's values, which the caller's adjoint sweep would then read changed.
import type { Func, Stmt } from "../ir/ir.js";
import { writtenRoot } from "../ir/ir.js";
import { aliasGroups } from "./aliases.js";

export function paramsWritten(fn: Func): string[] {
  const params = new Set(fn.params.map((p) => p.name));
  const out = new Set<string>();
  const written = new Set<string>();
  const visit = (list: Stmt[]) => {
    for (const s of list) {
      const r = writtenRoot(s);
      if (r) written.add(r);
      if (r && params.has(r)) out.add(r);
      if (s.k === "if") { visit(s.then); visit(s.else); }
      else if (s.k === "while") visit(s.body);
    }
  };
  visit(fn.body);
  // `const q = xs; q[0] = 1` writes into xs (a number cannot be written into, whatever it is stored in)
  const byReference = new Set(fn.params.filter((p) => p.type.k !== "num" && p.type.k !== "none").map((p) => p.name));
  for (const group of aliasGroups(fn)) if (group.some((x) => out.has(x) || (!params.has(x) && written.has(x)))) for (const x of group) if (byReference.has(x)) out.add(x);
  return fn.params.map((p) => p.name).filter((p) => out.has(p));
}
