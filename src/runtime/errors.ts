// Errors the runtime raises. Generated code calls these by name, so their names are stable.
// Every message starts with "backprop-ts:" so users can tell our errors from their own.

const FIX =
  "Fix: add the transformer to tsconfig.json, " +
  '"compilerOptions": { "plugins": [{ "transform": "backprop-ts/transformer" }] }, and build with `npx tspc` (ts-patch); ' +
  'or bundle with `backprop()` from "backprop-ts/esbuild" or "backprop-ts/vite" ' +
  "(the Vite plugin also serves Vitest: add it to `plugins` in vitest.config.ts).";

/**
 * Thrown by `grad`/`valueAndGrad`/`vjp` when they run at all: the transformer replaces their calls
 * at build time, so reaching their bodies means it did not process this file.
 */
export function notTransformed(api: string): never {
  throw new Error(
    `backprop-ts: ${api}(...) was called at run time, which means the backprop-ts transformer did not run on this file ` +
      "(it replaces every grad/valueAndGrad/vjp call with generated derivative code at build time). " +
      "Likely causes: the file was compiled with plain `tsc` instead of `tspc`; it runs under `tsx` or `ts-node`; " +
      "Vitest or Vite runs without the backprop-ts plugin; esbuild bundles without the backprop-ts plugin. " +
      FIX,
  );
}

/**
 * Thrown where generated code expected the adjoint that the transformer emits next to an imported
 * function, and found none: the defining file's output predates the transformer (stale build).
 */
export function staleAdjoint(fnName: string, file: string): never {
  throw new Error(
    `backprop-ts: the generated adjoint of '${fnName}' is missing from the build of ${file}: ` +
      "that file was not rebuilt by the backprop-ts transformer (for example an incremental or watch build " +
      "skipped it, or it was compiled without the transformer). " +
      `Fix: rebuild ${file} with the transformer, or do a clean build (delete the output directory and any .tsbuildinfo).`,
  );
}

/** A grad site that had a build-time error: the generated code throws that error when reached. */
export function failedSite(message: string): never {
  throw new Error(message);
}

/** A stack popped more than was pushed: a bug in generated code, never a user error. */
export function emptyPop(stack: string): never {
  throw new Error(
    `backprop-ts internal error: pop from an empty ${stack} (the adjoint sweep read more values than the ` +
      "forward sweep saved). Please report this with the function being differentiated.",
  );
}
