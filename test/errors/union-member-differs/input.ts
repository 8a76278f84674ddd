// Unions that stay BP diagnostics: a field with a different shape in two members, a union of a
// number and an array, a method or getter of a union of classes (which body runs is known only at
// run time), and spreading or object rest of a union whose members have different fields (the
// copy would add the missing fields as undefined: `"r" in copy` would be true for a rect).
import { grad } from "backprop-ts";

type Tagged = { kind: "n"; v: number } | { kind: "s"; v: string };
function tagged(t: Tagged, x: number): number { return t.kind === "n" ? t.v * x : x; }

function either(s: number | number[], x: number): number { return typeof s === "number" ? s * x : s[0] * x; }

class Circle {
  constructor(public r: number) {}
  area(): number { return Math.PI * this.r * this.r; }
  get size(): number { return this.r; }
}
class Rect {
  constructor(public w: number, public h: number) {}
  area(): number { return this.w * this.h; }
  get size(): number { return this.w; }
}
function method(s: Circle | Rect): number { return s.area(); }
function getter(s: Circle | Rect): number { return s.size; }

type Shape = { kind: "circle"; r: number } | { kind: "rect"; w: number; h: number };
function spread(s: Shape, x: number): number {
  const t = { ...s, scale: x };
  return "r" in t ? t.r * t.scale : t.w * t.scale;
}
function rest(s: Shape): number {
  const { kind, ...dims } = s;
  return "r" in dims ? dims.r : dims.w * dims.h;
}

export const sites = [grad(tagged), grad(either), grad(method), grad(getter), grad(spread), grad(rest)];
