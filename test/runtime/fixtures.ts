// Small user types shared by the runtime tests.
import { backpropKey, registerBackprop, type Backprop } from "../../src/runtime/index.js";

/** A class with a static Backprop: its gradients are Matrices, summed by its own add. */
export class Matrix {
  static [backpropKey]: Backprop<Matrix> = {
    zero: (m) => new Matrix(m.rows, m.cols, new Float64Array(m.data.length)),
    add: (a, b) => new Matrix(a.rows, a.cols, a.data.map((v, i) => v + b.data[i]!)),
  };
  constructor(public rows: number, public cols: number, public data: Float64Array) {}
}

/** A plain class: handled field by field, like a record. */
export class Vec2 {
  constructor(public x: number, public y: number, public label = "v") {}
  norm(): number {
    return Math.hypot(this.x, this.y);
  }
}

/** A class given a Backprop through the registry; a subclass inherits it. */
export class Poly {
  constructor(public cs: number[]) {}
}
export class MonicPoly extends Poly {}
export const polyBackprop: Backprop<Poly> = {
  zero: (p) => new Poly(p.cs.map(() => 0)),
  add: (a, b) => new Poly(a.cs.map((c, i) => c + b.cs[i]!)),
};
registerBackprop(Poly, polyBackprop);
