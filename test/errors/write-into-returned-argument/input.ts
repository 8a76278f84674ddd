import { grad } from "backprop-ts";

function id(xs: number[]): number[] {
  return xs;
}

class Box {
  constructor(public data: number[]) {}
  get d(): number[] {
    return this.data;
  }
}

// q is ws itself: writing through it changes what `ws[0]` reads
function viaCall(ws: number[], x: number): number {
  const q = id(ws);
  q[0] = x * x;
  return ws[0] * ws[1];
}

// a getter hands out the array the box holds
function viaGetter(x: number): number {
  const b = new Box([x, 2 * x]);
  const d = b.d;
  d[0] = 3 * x;
  return b.data[0] * x;
}

export const g1 = grad(viaCall);
export const g2 = grad(viaGetter);
