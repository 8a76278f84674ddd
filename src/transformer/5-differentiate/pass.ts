// One generation pass over a function (a dry run, or the real one): the to-be-recorded sets it
// saves for, the names it takes, the stacks and hoisted locals the generated function will declare,
// and how a value is saved in the forward sweep. Handed to every statement sweep of the pass.
import type { Expr, OStmt } from "../ir/ir.js";
import { v } from "../ir/ir.js";
import type { Names } from "../ir/names.js";
import { method } from "./build.js";
import type { ReverseScope, Stacks } from "./scope.js";

/** The code of a statement (or of statements) in the forward sweep and in the adjoint sweep. */
export interface Swept {
  fwd: OStmt[];
  rev: OStmt[];
}

export class Pass {
  /** the names taken by generated code (the scope's names, or a clone in a dry run) */
  readonly local: Names;
  readonly stacks: Stacks = {};
  /** locals the forward sweep sets: declared up front (unless declared where they are set) */
  readonly hoisted = new Set<string>();
  /** locals declared where they are set (`const`, or the user's own top-level `let`) */
  readonly inlineConst = new Set<string>();

  constructor(
    readonly cx: ReverseScope,
    /** locals the adjoint sweep reads after they are overwritten: to restore */
    readonly needed: Set<string>,
    /** arrays and records whose overwritten elements and fields to restore */
    readonly contentsNeeded: Set<string>,
  ) {
    this.local = cx.cur;
    cx.lastStacks = this.stacks;
  }

  stack(kind: "saved" | "objs" | "trace"): string {
    return (this.stacks[kind] ??= this.local.fresh(kind === "saved" ? "saved" : kind === "objs" ? "savedObjs" : "trace"));
  }

  /** Saves `value` (a number, or anything) in the forward sweep; returns how the adjoint sweep gets it back. */
  keep(value: Expr, numeric: boolean, nested: boolean, base: string, fwd: OStmt[]): Expr {
    if (!nested) {
      const old = this.local.fresh(base);
      fwd.push({ k: "let", name: old, init: value, konst: true });
      return v(old);
    }
    const st = numeric ? this.stack("saved") : this.stack("objs");
    // one site for the pair: dead code drops both when nothing reads the restored value
    const stackSite = ++this.cx.stackSites;
    fwd.push({ k: "do", e: { ...method(st, "push", value), stackSite } as Expr });
    return { ...method(st, "pop"), stackSite } as Expr;
  }
}
