// Locals declared only in mutually exclusive branches, outside loops: `picked1` of `c ? {…} : {…}`
// is assigned once in the `then` and once in the `else`. At most one of those assignments runs per
// call, and a declaration's old value is never read, so the adjoint sweep needs no saved copy.
import type { Stmt } from "../ir/ir.js";

export function exclusiveDeclarations(body: Stmt[]): Set<string> {
  // each assignment's position: the (if, branch) pairs it sits under, outermost first
  const paths = new Map<string, string[][] | null>();
  let ifs = 0;
  const walk = (list: Stmt[], path: string[], inLoop: boolean): void => {
    for (const s of list) {
      if (s.k === "assign") {
        const known = paths.get(s.name);
        if (known !== null) paths.set(s.name, s.decl && !inLoop ? [...(known ?? []), path] : null);
      } else if (s.k === "if") {
        const id = ifs++;
        walk(s.then, [...path, `${id}:then`], inLoop);
        walk(s.else, [...path, `${id}:else`], inLoop);
      } else if (s.k === "while") walk(s.body, path, true);
    }
  };
  walk(body, [], false);
  const out = new Set<string>();
  for (const [name, list] of paths) if (list && list.every((a, i) => list.every((b, j) => i === j || exclusive(a, b)))) out.add(name);
  return out;
}

/** Two positions no one run reaches both of: where they first part, they are two branches of one if. */
function exclusive(a: string[], b: string[]): boolean {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i === a.length || i === b.length) return false;
  return a[i]!.split(":")[0] === b[i]!.split(":")[0];
}
