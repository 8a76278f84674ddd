// The fence: a construct that cannot be differentiated stops the lowering of its function with a
// diagnostic at the construct's own position. The planner catches FenceError and reports it for the
// site; nothing partial is emitted.
import type * as TS from "typescript";
import { diag, type Diag } from "../diagnostics.js";

export class FenceError extends Error {
  constructor(readonly diagnostic: Diag) {
    super(diagnostic.message);
  }
}

/** Stops lowering of the function: the construct at `at` cannot be differentiated. */
export function fence(at: TS.Node, code: keyof typeof diag, ...args: string[]): never {
  throw new FenceError(diag[code](at, ...args));
}
