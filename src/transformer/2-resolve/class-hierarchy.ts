// Which user class extends which. Methods and getters are differentiated from the receiver's
// declared type, so a call is only safe when no subclass in the program overrides that member:
// otherwise the forward sweep would run the override while the adjoint sweep differentiates the
// base's body. Built on first use (a project without method calls never pays for the scan).
import type * as TS from "typescript";
import type { TypeScript } from "../api.js";
import { baseClassOf } from "./resolve.js";

export class ClassHierarchy {
  private subclasses: Map<TS.ClassLikeDeclaration, TS.ClassLikeDeclaration[]> | undefined;

  constructor(
    private readonly ts: TypeScript,
    private readonly checker: TS.TypeChecker,
    private readonly files: () => readonly TS.SourceFile[],
    /**
     * [[Define]] class fields (TypeScript's target ES2022+ unless useDefineForClassFields is false):
     * field initialisers run before parameter properties; otherwise after them, as TS and esbuild emit
     */
    readonly defineFields = true,
  ) {}

  /** The first class below `cls` (directly or further down) that declares an instance member `name`. */
  overrider(cls: TS.ClassLikeDeclaration, name: string): TS.ClassLikeDeclaration | undefined {
    for (const sub of this.index().get(cls) ?? []) {
      if (sub.members.some((m) => this.isInstanceMember(m, name))) return sub;
      const deeper = this.overrider(sub, name);
      if (deeper) return deeper;
    }
    return undefined;
  }

  private isInstanceMember(m: TS.ClassElement, name: string): boolean {
    const { ts } = this;
    if (!m.name || !ts.isIdentifier(m.name) || m.name.text !== name) return false;
    return !(ts.getCombinedModifierFlags(m as TS.Declaration) & ts.ModifierFlags.Static);
  }

  private index(): Map<TS.ClassLikeDeclaration, TS.ClassLikeDeclaration[]> {
    if (this.subclasses) return this.subclasses;
    const { ts } = this;
    const subclasses = new Map<TS.ClassLikeDeclaration, TS.ClassLikeDeclaration[]>();
    const visit = (n: TS.Node): void => {
      if ((ts.isClassDeclaration(n) || ts.isClassExpression(n)) && n.heritageClauses) {
        const base = baseClassOf(ts, this.checker, n);
        if (base) subclasses.set(base, [...(subclasses.get(base) ?? []), n]);
      }
      ts.forEachChild(n, visit);
    };
    for (const sf of this.files()) if (!sf.isDeclarationFile && sf.text.includes("extends")) visit(sf);
    return (this.subclasses = subclasses);
  }
}
