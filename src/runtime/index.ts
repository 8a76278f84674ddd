// backprop-ts runtime: what user code imports as "backprop-ts". Must not import `typescript`.

// ── Internal: used by generated code (imported as `$bp`). Names are stable; not for direct use. ──
/** Tapes for the forward → adjoint sweep. */
export { F64Stack, I32Stack, ObjStack } from "./stacks.js";
/** Errors raised by generated code. */
export { notTransformed, staleAdjoint, failedSite } from "./errors.js";
