import { grad } from "backprop-ts";

class Layer {
  constructor(public w: number[], public b: number) {}
}

// l.w is ws itself: the write changes what `ws[0]` reads, which the shadows cannot follow yet
function writesThrough(ws: number[], x: number): number {
  const l = new Layer(ws, x);
  l.w[0] = x * x;
  return l.w[1] * l.b + ws[0];
}

export const g = grad(writesThrough);
