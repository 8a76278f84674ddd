// The program-wide plan (as in Clad): every site asks for a derivative of a function with a set of
// active parameters; each (function, active set) is derived once, its callees on demand.
// A derivative lives in the module that defines the function — next to its declaration — and is
// also attached to the function object when exported (`sq.$grad = sq$grad`), so a site in another
// module reaches it through its own import. Editing `sq`'s body then re-emits `sq`'s own module
// only, and the site keeps working: the incremental-build hazard of DESIGN.md.
import type * as TS from "typescript";
import type { TypeScript } from "./api.js";
import { RUNTIME_LOCAL } from "./api.js";
import type { Expr, Func, FnRef, Loc, OStmt } from "./ir/ir.js";
import { carriesNumbers } from "./ir/ir.js";
import { findSites, type Site } from "./1-find-sites/find-sites.js";
import { ClassHierarchy } from "./2-resolve/class-hierarchy.js";
import { type Differentiable, declaringStatement, inNamespace, isExported, keyOf, ownNameOf, resolveCallee } from "./2-resolve/resolve.js";
import { paramsWritten } from "./4-analyse/writes.js";
import { callWritingInto, paramLabel } from "./4-analyse/argument-writes.js";
import { FenceError } from "./3-lower/fence.js";
import { lowerFunction, type Lowered } from "./3-lower/lower.js";
import { differentiate, shadowParamIndices } from "./5-differentiate/reverse.js";
import { diag, type Diag } from "./diagnostics.js";
import { siteWrapper } from "./site-wrapper.js";

export interface PlanOptions {
  optimize: boolean;
}

export interface Derivation {
  key: string;
  name: string;
  node: Differentiable;
  fileName: string;
  /** derived inside the site's replacement (an inline arrow at the site) */
  inline: boolean;
  /** the statement it is inserted after (non-inline only) */
  after?: TS.Statement;
  exported: boolean;
  fn?: OStmt & { k: "fn" };
  func?: Func;
  /** the parameters differentiated (after dropping those that carry no numbers) */
  mask: boolean[];
  errors: Diag[];
  deps: Set<string>;
}

/**
 * How a derivative is seeded: "unit" (a grad or valueAndGrad site: the result's adjoint is 1,
 * folded into the code, as Clad's `f_grad`) or "given" (a parameter after the function's own: a
 * callee's adjoint call or a vjp pullback, as Clad's `f_pullback`).
 */
export type Seed = "unit" | "given";

interface DerivativeKind {
  /** the site call, for an inline arrow derived inside the site's replacement */
  inlineAt?: TS.Node;
  /** return `[value, gradient]` */
  withValue: boolean;
  seed: Seed;
}

export interface PlannedSite {
  site: Site;
  fileName: string;
  derivation?: Derivation;
  errors: Diag[];
  replacement?: Expr;
}

export class Plan {
  readonly derivations = new Map<string, Derivation>();
  readonly sites = new Map<string, PlannedSite[]>();
  private lowered = new Map<string, Lowered | FenceError>();
  private nodes = new Map<string, Differentiable>();
  private checker: TS.TypeChecker;
  private classes: ClassHierarchy;

  constructor(private ts: TypeScript, program: TS.Program, private options: PlanOptions) {
    this.checker = program.getTypeChecker();
    const compilerOptions = program.getCompilerOptions();
    // getUseDefineForClassFields is TypeScript's own rule (an internal export): the option, else the target
    const fieldsFirst = (ts as { getUseDefineForClassFields?: (o: TS.CompilerOptions) => boolean }).getUseDefineForClassFields?.(compilerOptions)
      ?? compilerOptions.useDefineForClassFields ?? (compilerOptions.target ?? ts.ScriptTarget.ES2022) >= ts.ScriptTarget.ES2022;
    this.classes = new ClassHierarchy(ts, this.checker, () => program.getSourceFiles(), fieldsFirst);
    for (const sf of program.getSourceFiles()) {
      if (sf.isDeclarationFile) continue;
      const planned = findSites(ts, this.checker, sf).map((s) => this.planSiteSafely(s, sf.fileName));
      if (planned.length > 0) this.sites.set(sf.fileName, planned);
    }
  }

  /** All errors of a derivation and of everything it calls. */
  closureErrors(d: Derivation, seen = new Set<string>()): Diag[] {
    if (seen.has(d.key)) return [];
    seen.add(d.key);
    return [...d.errors, ...[...d.deps].flatMap((k) => this.closureErrors(this.derivations.get(k)!, seen))];
  }

  /** Derivations that a site uses, for `inspect`. */
  closure(d: Derivation, seen = new Set<string>()): Derivation[] {
    if (seen.has(d.key)) return [];
    seen.add(d.key);
    return [d, ...[...d.deps].flatMap((k) => this.closure(this.derivations.get(k)!, seen))];
  }

  /** A failure of ours on one site is that site's diagnostic, never every file's. */
  private planSiteSafely(site: Site, fileName: string): PlannedSite {
    try {
      return this.planSite(site, fileName);
    } catch (e) {
      const what = e instanceof Error ? `${e.message} (${(e.stack ?? "").split("\n")[1]?.trim() ?? ""})` : String(e);
      return { site, fileName, errors: [diag.internal(site.call, what)] };
    }
  }

  private planSite(site: Site, fileName: string): PlannedSite {
    const ts = this.ts;
    const planned: PlannedSite = { site, fileName, errors: [] };
    const fail = (d: Diag) => { planned.errors.push(d); return planned; };
    if (!site.target) return fail(diag.unknownTarget(site.call, site.api));
    if (site.wrtError) return fail(diag.wrtNotLiteral(site.wrtError));
    const callee = resolveCallee(ts, this.checker, site.target);
    if (callee.kind === "no-body") return fail(diag.noBody(site.target, callee.name));
    if (callee.kind === "unnamed") return fail(diag.unnamedFunction(callee.node));
    if (callee.kind !== "function") return fail(diag.unknownTarget(site.target, site.api));
    const inline = ts.isArrowFunction(site.target) || ts.isFunctionExpression(site.target) ||
      (ts.isParenthesizedExpression(site.target) && callee.node.parent === site.target);
    const arity = callee.node.parameters.length;
    const wrt = site.wrt === undefined ? undefined : typeof site.wrt === "number" ? [site.wrt] : site.wrt;
    for (const i of wrt ?? []) if (i < 0 || i >= arity) return fail(diag.wrtOutOfRange(site.wrtError ?? site.call.arguments[1], String(i), String(arity)));
    const mask = Array.from({ length: arity }, (_, i) => wrt === undefined || wrt.includes(i));
    // the result type first: a function returning a string is an API error, whatever its body holds
    const signature = this.checker.getSignatureFromDeclaration(callee.node);
    const asyncOrGenerator = !!callee.node.asteriskToken || !!callee.node.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
    if (signature && site.api !== "vjp" && !asyncOrGenerator) {
      const returned = this.checker.getReturnTypeOfSignature(signature);
      // a branded number (`number & { __unit: "m" }`) is a number too
      if (!(returned.flags & (ts.TypeFlags.NumberLike | ts.TypeFlags.Any)) && !this.checker.isTypeAssignableTo(returned, this.checker.getNumberType()))
        return fail(diag.notNumberResult(site.target, site.api, this.checker.typeToString(returned)));
    }
    const lowered = this.lower(callee.key, callee.node, callee.name);
    if (lowered instanceof FenceError) return fail(lowered.diagnostic);
    const resultType = lowered.func.resultType;
    if (resultType.k !== "num" && site.api !== "vjp") {
      const sig = this.checker.getSignatureFromDeclaration(callee.node);
      const shown = sig ? this.checker.typeToString(this.checker.getReturnTypeOfSignature(sig)) : "a non-number";
      return fail(diag.notNumberResult(site.target, site.api, shown));
    }
    // valueAndGrad returns the value; grad and vjp (which gets it from the primal) need the gradient only
    const withValue = site.api === "valueAndGrad" || (site.api === "vjp" && inline);
    // grad and valueAndGrad always seed the result with 1: their derivative has it built in
    const seed: Seed = site.api === "vjp" ? "given" : "unit";
    const d = this.request(callee.key, callee.node, callee.name, mask, { inlineAt: inline ? site.call : undefined, withValue, seed });
    planned.derivation = d;
    planned.errors.push(...this.closureErrors(d));
    if (planned.errors.length > 0) return planned;
    const primal: Expr | undefined = inline ? undefined : { k: "free", path: site.target.getText() };
    planned.replacement = siteWrapper({
      api: site.api, func: d.func!, derivative: this.reference(d, fileName, primal), primal,
      wrt: site.wrt, inlineFn: inline ? d.fn : undefined, withValue, unitSeed: seed === "unit", names: this.lower(callee.key, callee.node, callee.name) as Lowered,
      calleeBody: this.calleeBody,
    });
    return planned;
  }

  private lower(key: string, node: Differentiable, name: string): Lowered | FenceError {
    let l = this.lowered.get(key);
    if (!l) {
      try {
        l = lowerFunction(this.ts, this.checker, node, name, (k, n) => this.nodes.set(k, n), this.classes);
      } catch (e) {
        if (!(e instanceof FenceError)) throw e;
        l = e;
      }
      this.lowered.set(key, l);
    }
    return l;
  }

  /** The derivative of `node` with `mask` active, derived now if new. */
  private request(fnKey: string, node: Differentiable, name: string, mask: boolean[], how: DerivativeKind = { withValue: false, seed: "given" }): Derivation {
    const { inlineAt, withValue, seed } = how;
    const lowered = this.lower(fnKey, node, name);
    const params = lowered instanceof FenceError ? [] : lowered.func.params;
    const effective = mask.map((m, i) => m && (params[i] ? carriesNumbers(params[i].type) : true));
    const key = `${fnKey}|${inlineAt ? keyOf(inlineAt) : ""}|${effective.map(Number).join("")}|${withValue ? "value" : ""}|${seed}`;
    const existing = this.derivations.get(key);
    if (existing) return existing;
    const allActive = params.every((p, i) => effective[i] || !carriesNumbers(p.type));
    const activeNames = params.filter((_, i) => effective[i]).map((p) => p.name);
    const kind = seed === "unit" ? (withValue ? "valueAndGrad" : "grad") : (withValue ? "valueAndPullback" : "pullback");
    const genName = `${safeName(name)}$${kind}${allActive ? "" : "_" + (activeNames.join("_") || "none")}`;
    const after = inlineAt ? undefined : declaringStatement(this.ts, node);
    const d: Derivation = {
      key, name: genName, node, fileName: node.getSourceFile().fileName, inline: !!inlineAt, after, mask: effective,
      exported: !inlineAt && (isExported(this.ts, this.checker, node) || inNamespace(this.ts, node)), errors: [], deps: new Set(),
    };
    this.derivations.set(key, d);
    if (lowered instanceof FenceError) { d.errors.push(lowered.diagnostic); return d; }
    if (!inlineAt && !after) { d.errors.push(diag.unsupported(node, "a function declared in this position (declare it with `function` or `const` in a block or at module level)")); return d; }
    d.func = lowered.func;
    const result = differentiate(lowered.func, genName, effective, lowered.names.clone(), {
      derivativeOf: (ref: FnRef, activeArgs: boolean[], loc: Loc | undefined, receiver?: Expr) => {
        const calleeNode = this.nodes.get(ref.key)!;
        const calleeName = this.calleeName(ref, calleeNode);
        const calleeMask = Array.from({ length: ref.arity }, (_, i) => activeArgs[i] ?? false);
        const dep = this.request(ref.key, calleeNode, calleeName, calleeMask);
        d.deps.add(dep.key);
        void loc;
        // methods and getters are reached through the object (its class may not be imported here)
        const primal: Expr = receiver ? { k: "prop", obj: receiver, name: "constructor" } : { k: "free", path: ref.name };
        const shadowArgs = dep.func ? shadowParamIndices(dep.func, dep.mask) : [];
        return { callee: this.reference(dep, d.fileName, primal), shadowArgs };
      },
      error: (e: Diag) => d.errors.push(e),
      writtenParam: (ref: FnRef) => {
        // the caller recomputes the callee in its adjoint sweep, from the same arguments
        const callee = this.calleeBody(ref);
        const param = callee && paramsWritten(callee, this.calleeBody, "none")[0];
        if (!callee || param === undefined) return undefined;
        // written two calls down: name the call that does it, so the message points somewhere
        const via = paramsWritten(callee).includes(param) ? undefined : callWritingInto(callee, param, this.calleeBody)?.name;
        return { param: paramLabel(ref, callee.params.findIndex((p) => p.name === param), param), via };
      },
      calleeBody: this.calleeBody,
      runtime: (n: string) => ({ k: "free", path: `${RUNTIME_LOCAL}.${n}` }),
    }, { optimize: this.options.optimize, snapshotResult: !!inlineAt, withValue, unitSeed: seed === "unit" });
    d.fn = result.fn;
    return d;
  }

  /**
   * The lowered body of a called program function (lowered now if not yet), for the analyses that
   * follow calls; undefined when it cannot be lowered (its derivation reports why, if it has one).
   */
  private readonly calleeBody = (ref: FnRef): Func | undefined => {
    const node = this.nodes.get(ref.key);
    if (!node) return undefined;
    const lowered = this.lower(ref.key, node, this.calleeName(ref, node));
    return lowered instanceof FenceError ? undefined : lowered.func;
  };

  /** A called function's name as in its own module: the call site's may be an alias (`export { cube as tri }`). */
  private calleeName(ref: FnRef, node: Differentiable): string {
    if (ref.kind === "function" || ref.kind === undefined) return ownNameOf(this.ts, node) ?? ref.name.split(".").pop()!;
    return ref.kind === "constructor" ? `${ref.name.split(".").pop()!}$new` : ref.name;
  }

  /** How code in `fromFile` calls derivative `d` of the primal named `primal` there. */
  private reference(d: Derivation, fromFile: string, primal: Expr | undefined): Expr {
    // a namespace's derivative is not in scope outside the namespace: reached through `N.f`
    if (d.inline || (d.fileName === fromFile && !inNamespace(this.ts, d.node)) || !primal) return { k: "free", path: d.name };
    const property = d.name.slice(d.name.indexOf("$"));
    const file = d.fileName.split(/[\\/]/).pop()!;
    return {
      k: "bin", op: "??",
      a: { k: "prop", obj: primal, name: property },
      b: { k: "call", callee: { k: "free", path: `${RUNTIME_LOCAL}.staleAdjoint` }, args: [{ k: "lit", text: JSON.stringify(d.name.slice(0, d.name.indexOf("$"))) }, { k: "lit", text: JSON.stringify(file) }] },
    };
  }
}

const safeName = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : "f");
