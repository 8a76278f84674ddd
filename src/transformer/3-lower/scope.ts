// What lowering one function knows while it walks the body: the IR name and type of every local, its
// temporaries, the local functions that calls inline, and the questions asked of the checker (each
// asked once). One instance per lowered function, shared by the statement, expression, assignment
// and call lowering; the array and pattern helpers see it through the narrower LowerContext.
import type * as TS from "typescript";
import type { TypeScript } from "../api.js";
import type { Expr, Stmt, VType } from "../ir/ir.js";
import { Names } from "../ir/names.js";
import type { ClassHierarchy } from "../2-resolve/class-hierarchy.js";
import { type Differentiable, type FunctionNode, vtypeOf } from "../2-resolve/resolve.js";
import type { diag } from "../diagnostics.js";
import type { LowerContext } from "./context.js";
import { fence } from "./fence.js";
import { locOf } from "./source-location.js";

/**
 * Expression and callback lowering (expressions.ts, calls.ts), handed in by lower.ts: the files they
 * use call back through the scope (`cx.expr`, `cx.invoke`) instead of importing them, so the imports
 * between the files of this folder form no cycle.
 */
export interface Recursion {
  expr(cx: FunctionScope, n: TS.Expression, pre: Stmt[]): Expr;
  invoke(cx: FunctionScope, callback: TS.Expression, args: Expr[], pre: Stmt[], site: TS.Node): Expr;
}

export class FunctionScope implements LowerContext {
  readonly K: TypeScript["SyntaxKind"];
  /** everything the user wrote is taken, so generated names never shadow a free variable */
  readonly names = new Names();
  /** the IR name of each local the function declares */
  readonly local = new Map<TS.Symbol, string>();
  readonly types = new Map<string, VType>();
  /** runtime helpers the lowered body itself uses (e.g. stopGradient) */
  usesRuntime = false;
  /** the instance in a method or constructor (what `this` lowers to) */
  readonly self: string | undefined;
  /** functions declared inside the body (or arrows bound to a local const): inlined where called */
  readonly localFunctions = new Map<TS.Symbol, FunctionNode>();
  /** the local functions being inlined right now (a call of one of them again is recursion) */
  readonly inlining = new Set<FunctionNode>();
  /** where `return` goes inside an inlined function body */
  returnTarget: { result: string; label: string } | undefined;

  /** the user's names of the locals declared so far: a name not among them is not a local */
  private readonly localTexts = new Set<string>();
  // the checker re-runs flow analysis for every question about an expression: ask once per node
  private readonly typesAt = new Map<TS.Node, VType>();
  private readonly symbols = new Map<TS.Identifier, TS.Symbol | undefined>();
  /** `Math` other than as `Math.f` (a declaration of the user's own, a `typeof Math`), or a `with` */
  private readonly declaresMath: boolean;
  private mathIsGlobal: boolean | undefined;
  /** a `with` inside: names in it are not lexical (getSymbolAtLocation answers none) */
  private readonly hasWith: boolean;
  /** what each read of a local's name refers to (localName) */
  private readonly referenced = new Map<TS.Identifier, TS.Symbol | undefined>();

  constructor(
    readonly ts: TypeScript,
    readonly checker: TS.TypeChecker,
    private readonly node: TS.Node,
    hasSelf: boolean,
    /** told of every user function a call resolves to, so the planner can derive it on demand */
    readonly onCallee: (key: string, node: Differentiable) => void,
    private readonly recursion: Recursion,
    readonly classes: ClassHierarchy,
  ) {
    const K = (this.K = ts.SyntaxKind);
    let otherMath = false;
    let withStatement = false;
    const collectIds = (n: TS.Node): void => {
      if (ts.isIdentifier(n)) {
        this.names.take(n.text);
        if (n.text === "Math" && !(ts.isPropertyAccessExpression(n.parent) && n.parent.expression === n)) otherMath = true;
      } else if (n.kind === K.WithStatement) otherMath = withStatement = true;
      ts.forEachChild(n, collectIds);
    };
    collectIds(node);
    this.declaresMath = otherMath;
    this.hasWith = withStatement;
    this.self = hasSelf ? this.names.fresh("self") : undefined;
  }

  expr(n: TS.Expression, pre: Stmt[]): Expr {
    return this.recursion.expr(this, n, pre);
  }

  invoke(callback: TS.Expression, args: Expr[], pre: Stmt[], site: TS.Node): Expr {
    return this.recursion.invoke(this, callback, args, pre, site);
  }

  fail(at: TS.Node, code: keyof typeof diag, ...args: string[]): never {
    return fence(at, code, ...args);
  }

  /** Fails at `at` when a subclass overrides `member` (a method or getter resolved from the declared class). */
  ensureNotOverridden(at: TS.Node, member: TS.MethodDeclaration | TS.GetAccessorDeclaration): void {
    const cls = member.parent;
    if (!this.ts.isClassLike(cls) || !member.name || !this.ts.isIdentifier(member.name)) return;
    const sub = this.classes.overrider(cls, member.name.text);
    if (sub) this.fail(at, "overridden", `${cls.name?.text ?? "class"}.${member.name.text}`, sub.name?.text ?? "(a class expression)");
  }

  /** `s` (always a fresh literal) with the source position of `n` */
  at<S extends Stmt>(n: TS.Node, s: S): S {
    s.loc = locOf(n);
    return s;
  }

  /** A local the user declared: its own name, or a suffixed one where it shadows another local. */
  declare(id: TS.Identifier, type: VType): string {
    const sym = this.symbolOf(id);
    if (!sym) this.fail(id, "unsupported", "this declaration");
    const existing = this.localTexts.has(id.text);
    const irName = existing ? this.names.fresh(id.text) : id.text;
    this.local.set(sym!, irName);
    // `constructor(public x: number)`: the name is a property where declared and a parameter in
    // the body, two symbols for one local
    const p = id.parent;
    if (this.ts.isParameter(p) && this.ts.isParameterPropertyDeclaration(p, p.parent))
      for (const s of this.checker.getSymbolsOfParameterPropertyDeclaration(p, id.text)) this.local.set(s, irName);
    this.localTexts.add(id.text);
    this.types.set(irName, type);
    return irName;
  }

  temp(base: string, type: VType): string {
    const t = this.names.numbered(base);
    this.types.set(t, type);
    return t;
  }

  typeAt(n: TS.Node): VType {
    let t = this.typesAt.get(n);
    if (!t) this.typesAt.set(n, (t = vtypeOf(this.ts, this.checker, this.checker.getTypeAtLocation(n))));
    return t;
  }

  symbolOf(id: TS.Identifier): TS.Symbol | undefined {
    let s = this.symbols.get(id);
    if (s === undefined && !this.symbols.has(id)) this.symbols.set(id, (s = this.checker.getSymbolAtLocation(id)));
    return s;
  }

  /** The IR name of a local of the function; undefined for any other name. */
  localName(id: TS.Identifier): string | undefined {
    // a local's symbol is named as its declaration: other names need no lookup
    if (!this.localTexts.has(id.text)) return undefined;
    const s = this.hasWith ? this.symbolOf(id) : this.lexicalSymbol(id);
    return s ? this.local.get(s) : undefined;
  }

  /**
   * The symbol `id`'s name resolves to where it stands: the lookup getSymbolAtLocation makes for a
   * name read in an expression (or a parameter's own name), without its walks for the JSDoc, import
   * and export cases a function body's name never is: this is asked of every read of a local.
   */
  private lexicalSymbol(id: TS.Identifier): TS.Symbol | undefined {
    let s = this.referenced.get(id);
    if (s === undefined && !this.referenced.has(id)) this.referenced.set(id, (s = this.checker.resolveName(id.text, id, this.ts.SymbolFlags.Value, false)));
    return s;
  }

  /** `Math` means the same everywhere in this function unless the function may declare its own */
  isGlobalMath(e: TS.Expression): boolean {
    const { ts } = this;
    if (!ts.isIdentifier(e) || e.text !== "Math") return false;
    if (!this.declaresMath && this.mathIsGlobal !== undefined) return this.mathIsGlobal;
    // the global Math: declared only in TypeScript's lib files (a user's own `Math` is not)
    const decls = this.symbolOf(e)?.declarations ?? [];
    const global = decls.length > 0 && decls.every((d) => /[\\/]lib\.[\w.]*d\.ts$/.test(d.getSourceFile().fileName));
    if (!this.declaresMath) this.mathIsGlobal = global;
    return global;
  }

  /** `a.b.c` made only of names from outside the function: printed as is. */
  freePath(e: TS.Expression): string | undefined {
    const { ts } = this;
    if (ts.isIdentifier(e)) {
      if (this.localName(e) !== undefined) return undefined;
      this.ensureNotInnerVariable(e, this.symbolOf(e));
      return e.text;
    }
    if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.name)) {
      const base = this.freePath(e.expression);
      return base === undefined ? undefined : `${base}.${e.name.text}`;
    }
    return undefined;
  }

  /**
   * A variable declared inside this function that lowering did not map to a local is our bug, and
   * read as a free name it would silently carry no derivative: stop with an internal error instead.
   */
  ensureNotInnerVariable(id: TS.Identifier, sym: TS.Symbol | undefined): void {
    const { ts } = this;
    const decl = sym?.valueDeclaration;
    if (!decl || !(ts.isVariableDeclaration(decl) || ts.isParameter(decl) || ts.isBindingElement(decl))) return;
    if (decl.getSourceFile() !== this.node.getSourceFile() || decl.pos < this.node.pos || decl.end > this.node.end) return;
    throw new Error(`the local '${id.text}' (line ${locOf(id).line}) was read as a name from outside the function`);
  }

  /** The expression inside parentheses and type-only wrappers (`as`, `!`, `<T>`, `satisfies`). */
  unwrap(e: TS.Expression): TS.Expression {
    const { ts } = this;
    while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isTypeAssertionExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
    return e;
  }

  /** The declared result type of a user function. */
  returnTypeOf(fn: FunctionNode): VType {
    const sig = this.checker.getSignatureFromDeclaration(fn);
    return sig ? vtypeOf(this.ts, this.checker, this.checker.getReturnTypeOfSignature(sig)) : { k: "unknown" };
  }
}

/** A temporary's base name from a function's name (or `call` when that is not an identifier). */
export const safeBase = (s: string) => (/^[A-Za-z_]\w*$/.test(s) ? s : "call");
