// Type-level tests of the SPEC's API shapes (SPEC "Runtime API"): checked by `tsc --noEmit`. At run
// time the grad calls sit in closures that are never invoked (grad throws without the transformer).
import { describe, it, expectTypeOf } from "vitest";
import {
  grad, valueAndGrad, vjp, withGradient, stopGradient, registerBackprop,
  type Grad, type WrtOf, type Backprop, backpropKey,
} from "../../src/runtime/index.js";

/** The gradient type that `make()(...)` returns, for a factory `make = () => grad(f, …)`. */
type Out<M extends () => (...args: any[]) => unknown> = ReturnType<ReturnType<M>>;

class Particle {
  mass = 1;
  readonly name: string = "p";
  constructor(public pos: [number, number], public vel: Float32Array) {}
  energy(): number { return 0.5 * this.mass * (this.vel[0]! ** 2); }
  static make(): Particle { return new Particle([0, 0], new Float32Array(2)); }
}

class Poly {
  constructor(public coef: number[]) {}
}

interface Net { layers: { w: number[][]; b: readonly number[]; act: "tanh" | "relu" }[]; scale: number }

describe("grad", () => {
  it("one parameter → that gradient; parameters are f's", () => {
    const g = () => grad((xs: readonly number[]) => xs[0]!);
    expectTypeOf<Out<typeof g>>().toEqualTypeOf<number[]>();
    expectTypeOf<Parameters<ReturnType<typeof g>>>().toEqualTypeOf<[xs: readonly number[]]>();
    function loss(net: Net): number { return net.scale; }
    const h = () => grad(loss);
    expectTypeOf<Out<typeof h>>().toEqualTypeOf<{ layers: { w: number[][]; b: number[] }[]; scale: number }>();
  });

  it("several parameters → one slot per declared parameter, inert ones undefined", () => {
    const g = () => grad((x: number, s: string, on: boolean, t: [number, string], v: Float32Array) => x + s.length + Number(on) + t[0] + v[0]!);
    expectTypeOf<Out<typeof g>>()
      .toEqualTypeOf<[x: number, s: undefined, on: undefined, t: [number, undefined], v: Float32Array]>();
    const none = () => grad(() => 1);
    expectTypeOf<Out<typeof none>>().toEqualTypeOf<[]>();
  });

  it("optional and default parameters: the slot is always there, a number for a number", () => {
    const one = () => grad((x?: number) => (x ?? 3) * 2);
    expectTypeOf<Out<typeof one>>().toEqualTypeOf<number>();
    expectTypeOf<Parameters<ReturnType<typeof one>>>().toEqualTypeOf<[x?: number]>();
    const oneDefault = () => grad((x = 3) => x * x);
    expectTypeOf<Out<typeof oneDefault>>().toEqualTypeOf<number>();
    const two = () => grad((x: number, y?: number, z = 2) => x * (y ?? 5) * z);
    expectTypeOf<Out<typeof two>>().toEqualTypeOf<[x: number, y: number, z: number]>();
    expectTypeOf<Parameters<ReturnType<typeof two>>>().toEqualTypeOf<[x: number, y?: number, z?: number]>();
    const at = () => grad((x: number, y?: number) => x * (y ?? 5), 1);
    expectTypeOf<Out<typeof at>>().toEqualTypeOf<number>();
  });

  it("wrt index → that gradient; wrt literal array → a tuple of those", () => {
    const f = (x: number, name: string, m: number[][], p: Poly) => x * m[0]![0]! * p.coef[0]! + name.length;
    const g2 = () => grad(f, 2);
    expectTypeOf<Out<typeof g2>>().toEqualTypeOf<number[][]>();
    const g1 = () => grad(f, 1);
    expectTypeOf<Out<typeof g1>>().toEqualTypeOf<undefined>();
    const g02 = () => grad(f, [0, 2]);
    expectTypeOf<Out<typeof g02>>().toEqualTypeOf<[number, number[][]]>();
    const g30 = () => grad(f, [3, 0]);
    expectTypeOf<Out<typeof g30>>().toEqualTypeOf<[{ coef: number[] }, number]>();
    const g0 = () => grad(f, [0]);
    expectTypeOf<Out<typeof g0>>().toEqualTypeOf<[number]>();
    // out of range (a grad call with them would also be BP2003 at build time)
    type Wrt = WrtOf<Parameters<typeof f>>;
    expectTypeOf<3 | [3, 0] | readonly [1]>().toMatchTypeOf<Wrt>();
    expectTypeOf<4>().not.toMatchTypeOf<Wrt>();
    expectTypeOf<[0, 7]>().not.toMatchTypeOf<Wrt>();
  });

  it("class instances: numeric fields only, no methods or string fields", () => {
    const g = () => grad((p: Particle) => p.energy());
    type G = Out<typeof g>;
    expectTypeOf<G>().toEqualTypeOf<{ mass: number; pos: [number, number]; vel: Float32Array }>();
    expectTypeOf<G>().not.toHaveProperty("energy");
    expectTypeOf<G>().not.toHaveProperty("name");
  });

  it("rejects functions whose result is not a number (also BP2001 at build time)", () => {
    expectTypeOf<(x: number) => string>().not.toMatchTypeOf<Parameters<typeof grad>[0]>();
    expectTypeOf<(x: number) => number[]>().not.toMatchTypeOf<Parameters<typeof valueAndGrad>[0]>();
    expectTypeOf<(x: number) => number[]>().toMatchTypeOf<Parameters<typeof vjp>[0]>();
  });
});

describe("Grad<T>", () => {
  it("nested records, tuples, readonly, typed arrays", () => {
    expectTypeOf<Grad<readonly [number, readonly number[]]>>().toEqualTypeOf<[number, number[]]>();
    expectTypeOf<Grad<{ a: { b: { c: number; d: string }; e: Float32Array[] } }>>()
      .toEqualTypeOf<{ a: { b: { c: number }; e: Float32Array[] } }>();
    expectTypeOf<Grad<[x: number, label: string]>>().toEqualTypeOf<[x: number, label: undefined]>();
    expectTypeOf<Grad<Float32Array>>().toEqualTypeOf<Float32Array>();
    expectTypeOf<Grad<Float64Array<ArrayBuffer>>>().toEqualTypeOf<Float64Array<ArrayBuffer>>();
    expectTypeOf<Grad<Poly[]>>().toEqualTypeOf<{ coef: number[] }[]>();
    expectTypeOf<Grad<string>>().toEqualTypeOf<undefined>();
    expectTypeOf<Grad<"a" | "b">>().toEqualTypeOf<undefined>();
  });
});

describe("valueAndGrad", () => {
  it("value is exactly f's return type; grad as grad's", () => {
    // type level only: the transformer rejects a branded number result (BP2001)
    type Loss = number & { readonly __unit: "loss" };
    type VG = ReturnType<ReturnType<typeof valueAndGrad<(x: number, s: string) => Loss>>>;
    expectTypeOf<VG>().toEqualTypeOf<{ value: Loss; grad: [x: number, s: undefined] }>();
    const h = () => valueAndGrad((p: Particle) => p.mass);
    expectTypeOf<Out<typeof h>>().toEqualTypeOf<{ value: number; grad: { mass: number; pos: [number, number]; vel: Float32Array } }>();
    const k = () => valueAndGrad((x: number, ys: number[]) => x * ys[0]!, [1, 0]);
    expectTypeOf<Out<typeof k>>().toEqualTypeOf<{ value: number; grad: [number[], number] }>();
    expectTypeOf<Parameters<ReturnType<typeof k>>>().toEqualTypeOf<[x: number, ys: number[]]>();
  });
});

describe("vjp", () => {
  it("pullback takes Grad of the output and returns grad's shapes", () => {
    const arr = () => vjp((x: number, xs: readonly number[]) => xs.map((v) => v * x));
    type A = Out<typeof arr>;
    expectTypeOf<A["value"]>().toEqualTypeOf<number[]>();
    expectTypeOf<A["pullback"]>().parameter(0).toEqualTypeOf<number[]>();
    expectTypeOf<ReturnType<A["pullback"]>>().toEqualTypeOf<[x: number, xs: number[]]>();

    const rec = () => vjp((p: Particle) => ({ e: p.energy(), v: p.vel, id: p.name, pair: [p.mass, p.name] as [number, string] }), 0);
    type R = Out<typeof rec>;
    expectTypeOf<R["value"]>().toEqualTypeOf<{ e: number; v: Float32Array; id: string; pair: [number, string] }>();
    expectTypeOf<R["pullback"]>().parameter(0).toEqualTypeOf<{ e: number; v: Float32Array; pair: [number, undefined] }>();
    expectTypeOf<ReturnType<R["pullback"]>>().toEqualTypeOf<{ mass: number; pos: [number, number]; vel: Float32Array }>();

    const num = () => vjp((x: number, y: number) => x * y, [1]);
    expectTypeOf<Out<typeof num>["pullback"]>().toEqualTypeOf<(dy: number) => [number]>();
  });
});

describe("withGradient / stopGradient", () => {
  it("withGradient keeps the function type", () => {
    const scale = withGradient((v: Float64Array, k: number) => [
      v.map((x) => x * k),
      (dy: Float64Array) => [dy.map((d) => d * k), dy.reduce((s, d, i) => s + d * v[i]!, 0)],
    ]);
    expectTypeOf(scale).toEqualTypeOf<(v: Float64Array, k: number) => Float64Array<ArrayBuffer>>(); // what Float64Array#map returns
    const pair = withGradient((x: number) => [{ a: x, tag: "t" }, (dy) => [dy.a]]);
    expectTypeOf(pair).toEqualTypeOf<(x: number) => { a: number; tag: string }>();
    const g = () => grad((x: number) => pair(x).a);
    expectTypeOf<Out<typeof g>>().toEqualTypeOf<number>();
  });

  it("stopGradient returns its argument's type", () => {
    const p = Particle.make();
    expectTypeOf(stopGradient(p)).toEqualTypeOf<Particle>();
    const xs: readonly number[] = [1];
    expectTypeOf(stopGradient(xs)).toEqualTypeOf<readonly number[]>();
    const x: number = 2;
    expectTypeOf(stopGradient(x)).toEqualTypeOf<number>();
  });
});

describe("Backprop / registerBackprop", () => {
  it("types the impl by the class's instances", () => {
    expectTypeOf<Backprop<Poly>>().toEqualTypeOf<{ zero(x: Poly): Poly; add(a: Poly, b: Poly): Poly; one?(x: Poly): Poly }>();
    expectTypeOf(registerBackprop<Poly>).parameter(1).toEqualTypeOf<Backprop<Poly>>();
    const ok = () => registerBackprop(Poly, {
      zero: (p) => new Poly(p.coef.map(() => 0)),
      add: (a, b) => new Poly(a.coef.map((c, i) => c + b.coef[i]!)),
      one: (p) => new Poly(p.coef.map(() => 1)),
    });
    expectTypeOf(ok).returns.toEqualTypeOf<void>();
    // @ts-expect-error zero must take and return a Poly
    const bad = () => registerBackprop(Poly, { zero: (x: number) => x, add: (a: Poly) => a });
    // @ts-expect-error add is required
    const bad2 = () => registerBackprop(Poly, { zero: (p: Poly) => p });
    void bad; void bad2;
    class M { static [backpropKey]: Backprop<M> = { zero: (m) => m, add: (a) => a }; }
    expectTypeOf<(typeof M)[typeof backpropKey]>().toEqualTypeOf<Backprop<M>>();
  });
});
