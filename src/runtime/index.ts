// backprop-ts runtime: what user code imports as "backprop-ts". Must not import `typescript`.

// ── Public API ───────────────────────────────────────────────────────────────────────────────
export { grad, valueAndGrad, vjp } from "./markers.js";
export { withGradient, stopGradient } from "./rules.js";
export { backpropKey, registerBackprop, type Backprop } from "./backprop.js";
export type { Grad, GradsOf, GradResult, IndexOf, WrtOf, Rule } from "./types.js";
export * from "./train/index.js";

// ── Internal: used by generated code (imported as `$bp`). Names are stable; not for direct use. ──
/** Tapes for the forward → adjoint sweep. */
export { F64Stack, I32Stack, ObjStack, takeF64Stack, takeI32Stack, takeObjStack, releaseStacks } from "./stacks.js";
/** Custom rules and user-type lookup. */
export { ruleOf, hasRule } from "./rules.js";
export { backpropOf } from "./backprop.js";
/** Errors raised by generated code. */
export { notTransformed, staleAdjoint, failedSite } from "./errors.js";
/** Zero, sum and shape checks of heterogeneous gradients. */
export { zeroLike, zeroNumbers, addGrad, addInto } from "./values.js";
export { checkShape, describeShape, describeGradShape } from "./shape.js";
/** Copies of inputs a function writes into; checks of withGradient pullbacks. */
export { cloneValue, ruleGradients } from "./generated.js";
