import { grad, stopGradient } from "backprop-ts";

// ys is xs itself, with no gradient: writing through it changes what `xs[0]` reads (and the input),
// while xs's own adjoint would still flow to the element that was overwritten
function overwrite(xs: number[], b: number): number {
  const ys = stopGradient(xs);
  ys[0] = 5;
  return b * xs[0];
}

// reading through a stopped value is fine; so is writing into a copy of it
function readAndCopy(xs: number[], b: number): number {
  const ys = stopGradient(xs);
  const zs = stopGradient(xs).slice();
  zs[0] = 5;
  return b * xs[0] * ys[1] + zs[0];
}

export const g1 = grad(overwrite);
export const g2 = grad(readAndCopy);
