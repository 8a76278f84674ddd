// Type-level tests: the gradient types the editor shows. Checked by `tsc --noEmit`; at run time the
// grad calls sit in closures that are never invoked (grad throws without the transformer).
import { describe, it, expectTypeOf } from "vitest";
import {
  grad, valueAndGrad, vjp, withGradient, stopGradient,
  type Grad, type WrtOf, type Backprop, backpropKey,
} from "../../src/runtime/index.js";

class Vec2 {
  constructor(public x: number, public y: number, public label: string) {}
  norm(): number { return Math.hypot(this.x, this.y); }
}

class Matrix {
  static [backpropKey]: Backprop<Matrix> = {
    zero: (m) => new Matrix(m.rows, m.cols, new Float64Array(m.data.length)),
    add: (a, b) => new Matrix(a.rows, a.cols, a.data.map((v, i) => v + b.data[i]!)),
  };
  constructor(public rows: number, public cols: number, public data: Float64Array) {}
}

interface Tree { value: number; label: string; kids: Tree[] }
interface Link { w: number; next: Link | undefined }

describe("Grad<T>", () => {
  it("maps leaves", () => {
    expectTypeOf<Grad<number>>().toEqualTypeOf<number>();
    expectTypeOf<Grad<3>>().toEqualTypeOf<number>();
    expectTypeOf<Grad<Float64Array>>().toEqualTypeOf<Float64Array>();
    expectTypeOf<Grad<Float32Array>>().toEqualTypeOf<Float32Array>();
    expectTypeOf<Grad<string>>().toEqualTypeOf<undefined>();
    expectTypeOf<Grad<boolean>>().toEqualTypeOf<undefined>();
    expectTypeOf<Grad<null>>().toEqualTypeOf<undefined>();
    expectTypeOf<Grad<undefined>>().toEqualTypeOf<undefined>();
    expectTypeOf<Grad<symbol>>().toEqualTypeOf<undefined>();
    expectTypeOf<Grad<bigint>>().toEqualTypeOf<undefined>();
    expectTypeOf<Grad<(x: number) => number>>().toEqualTypeOf<undefined>();
    expectTypeOf<Grad<Int32Array>>().toEqualTypeOf<undefined>();
    expectTypeOf<Grad<any>>().toBeAny();
  });

  it("maps arrays and tuples", () => {
    expectTypeOf<Grad<number[]>>().toEqualTypeOf<number[]>();
    expectTypeOf<Grad<readonly number[]>>().toEqualTypeOf<number[]>();
    expectTypeOf<Grad<number[][]>>().toEqualTypeOf<number[][]>();
    expectTypeOf<Grad<string[]>>().toEqualTypeOf<undefined[]>();
    expectTypeOf<Grad<[number, string, number[]]>>().toEqualTypeOf<[number, undefined, number[]]>();
    expectTypeOf<Grad<readonly [number, Float64Array]>>().toEqualTypeOf<[number, Float64Array]>();
    expectTypeOf<Grad<Float64Array[]>>().toEqualTypeOf<Float64Array[]>();
  });

  it("maps records and class instances, dropping fields without numbers", () => {
    expectTypeOf<Grad<{ w: number[]; b: number; name: string; on: boolean }>>()
      .toEqualTypeOf<{ w: number[]; b: number }>();
    expectTypeOf<Grad<{ layer: { w: Float64Array; id: string }; meta: { tag: string } }>>()
      .toEqualTypeOf<{ layer: { w: Float64Array }; meta: undefined }>();
    expectTypeOf<Grad<{ readonly a: number; b?: number }>>().toEqualTypeOf<{ a: number; b?: number }>();
    expectTypeOf<Grad<{ name: string }>>().toEqualTypeOf<undefined>();
    expectTypeOf<Grad<Record<string, number>>>().toEqualTypeOf<Record<string, number>>();
    expectTypeOf<Grad<Vec2>>().toEqualTypeOf<{ x: number; y: number }>();
    expectTypeOf<Grad<Matrix>>().toEqualTypeOf<{ rows: number; cols: number; data: Float64Array }>();
  });

  it("handles recursive types and unions", () => {
    expectTypeOf<Grad<Tree>>().toEqualTypeOf<{ value: number; kids: Grad<Tree>[] }>();
    expectTypeOf<Grad<Link>["w"]>().toEqualTypeOf<number>();
    expectTypeOf<Grad<number | number[]>>().toEqualTypeOf<number | number[]>();
    expectTypeOf<Grad<number[] | undefined>>().toEqualTypeOf<number[] | undefined>();
  });

  it("maps a discriminated union member by member, the discriminant dropped (as zeroLike does)", () => {
    type Shape = { kind: "circle"; r: number } | { kind: "rect"; w: number; h: number };
    expectTypeOf<Grad<Shape>>().toEqualTypeOf<{ r: number } | { w: number; h: number }>();
    expectTypeOf<Grad<Shape[]>>().toEqualTypeOf<({ r: number } | { w: number; h: number })[]>();
    expectTypeOf<Grad<{ body: Shape; mass: number }>>().toEqualTypeOf<{ body: { r: number } | { w: number; h: number }; mass: number }>();
  });
});

describe("grad / valueAndGrad / vjp result types", () => {
  it("one parameter: the gradient itself", () => {
    const g = () => grad((x: number) => x ** 2 + 3);
    expectTypeOf<ReturnType<ReturnType<typeof g>>>().toEqualTypeOf<number>();
    expectTypeOf<Parameters<ReturnType<typeof g>>>().toEqualTypeOf<[x: number]>();
    const h = () => grad((xs: Float64Array) => xs[0]!);
    expectTypeOf<ReturnType<ReturnType<typeof h>>>().toEqualTypeOf<Float64Array>();
  });

  it("several parameters: a tuple, with undefined for inert ones", () => {
    const g = () => grad((x: number, xs: number[], tag: string) => xs.reduce((a, b) => a + b, 0) / x + tag.length);
    expectTypeOf<ReturnType<ReturnType<typeof g>>>().toEqualTypeOf<[x: number, xs: number[], tag: undefined]>();
  });

  it("records drop string fields", () => {
    const g = () => grad((p: { w: number[]; b: number; name: string }) => p.w[0]! + p.b);
    expectTypeOf<ReturnType<ReturnType<typeof g>>>().toEqualTypeOf<{ w: number[]; b: number }>();
  });

  it("wrt index and wrt tuple", () => {
    const f = (x: number, v: Float64Array, m: number[][]) => x * v[0]! * m[0]![0]!;
    const g0 = () => grad(f, 1);
    expectTypeOf<ReturnType<ReturnType<typeof g0>>>().toEqualTypeOf<Float64Array>();
    const g02 = () => grad(f, [0, 2]);
    expectTypeOf<ReturnType<ReturnType<typeof g02>>>().toEqualTypeOf<[number, number[][]]>();
    expectTypeOf<1>().toMatchTypeOf<WrtOf<Parameters<typeof f>>>();
    expectTypeOf<5>().not.toMatchTypeOf<WrtOf<Parameters<typeof f>>>();
    expectTypeOf<[0, 5]>().not.toMatchTypeOf<WrtOf<Parameters<typeof f>>>();
  });

  it("valueAndGrad", () => {
    const g = () => valueAndGrad((x: number, y: number) => x * y);
    expectTypeOf<ReturnType<ReturnType<typeof g>>>().toEqualTypeOf<{ value: number; grad: [x: number, y: number] }>();
    const h = () => valueAndGrad((x: number, y: number[]) => x * y[0]!, 1);
    expectTypeOf<ReturnType<ReturnType<typeof h>>>().toEqualTypeOf<{ value: number; grad: number[] }>();
  });

  it("vjp for a non-number output", () => {
    const g = () => vjp((x: number, ys: number[]) => ({ s: x, v: ys.map((y) => y * x), tag: "t" }));
    type Out = ReturnType<ReturnType<typeof g>>;
    expectTypeOf<Out["value"]>().toEqualTypeOf<{ s: number; v: number[]; tag: string }>();
    expectTypeOf<Parameters<Out["pullback"]>>().toEqualTypeOf<[dy: { s: number; v: number[] }]>();
    expectTypeOf<ReturnType<Out["pullback"]>>().toEqualTypeOf<[x: number, ys: number[]]>();
    const h = () => vjp((x: Float64Array) => x, 0);
    expectTypeOf<ReturnType<ReturnType<ReturnType<typeof h>>["pullback"]>>().toEqualTypeOf<Float64Array>();
  });

  it("rejects functions whose result is not a number", () => {
    type GradInput = Parameters<typeof grad>[0];
    expectTypeOf<() => string>().not.toMatchTypeOf<GradInput>();
    expectTypeOf<() => number>().toMatchTypeOf<GradInput>();
  });
});

describe("withGradient and stopGradient types", () => {
  it("infers the function type without annotations", () => {
    const softplus = withGradient((x: number) => {
      const e = Math.exp(x);
      return [Math.log1p(e), (dy: number) => [(dy * e) / (1 + e)]];
    });
    expectTypeOf(softplus).toEqualTypeOf<(x: number) => number>();
    const dot = withGradient((a: number[], b: number[]) => [
      a.reduce((s, v, i) => s + v * b[i]!, 0),
      (dy) => [b.map((v) => dy * v), a.map((v) => dy * v)],
    ]);
    expectTypeOf(dot).toEqualTypeOf<(a: number[], b: number[]) => number>();
  });

  it("stopGradient is the identity type", () => {
    expectTypeOf(stopGradient([1, 2])).toEqualTypeOf<number[]>();
  });
});

describe("Grad in users' generic code", () => {
  it("aliases over Grad can be related and inferred (no 'excessively deep')", () => {
    type Pullback<R> = (dy: Grad<R>) => void;
    const make = <R>(f: (x: number) => R): Pullback<R> => () => void f;
    expectTypeOf(make((x: number) => [x])).toEqualTypeOf<Pullback<number[]>>();
    expectTypeOf(make((x: number) => ({ v: x, s: "" }))).parameter(0).toEqualTypeOf<{ v: number }>();
  });
});
