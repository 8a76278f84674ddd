import { describe, expect, it } from "vitest";
import { grad, valueAndGrad, vjp } from "backprop-ts";
import { expectGradMatchesFD } from "../support/check.js";

function poly(x: number, cs: number[]): number {
  let y = 0;
  for (let i = 0; i < cs.length; i++) y = y * x + cs[i];
  return y;
}

function branchy(x: number, y: number): number {
  let s = x * y;
  if (x > 0) s = s + Math.sin(x);
  else s = s - y * y;
  return s > 1 ? s * s : -s;
}

function whileBreak(x: number, n: number): number {
  let acc = 1;
  let k = 0;
  while (true) {
    k++;
    if (k > n) break;
    if (k % 2 === 0) continue;
    acc = acc * x + Math.cos(acc);
  }
  return acc;
}

function earlyReturn(x: number): number {
  for (let i = 0; i < 10; i++) {
    x = x * 1.5;
    if (x > 20) return x * x;
  }
  return -x;
}

function sw(x: number, k: number): number {
  let r = 0;
  switch (k) {
    case 0: r = x; break;
    case 1: r = x * x;
    case 2: r += Math.exp(x); break;
    default: r = Math.log(x);
  }
  return r;
}

function doWhile(x: number): number {
  let y = x;
  let i = 0;
  do { y = Math.sqrt(y * y + 1); i++; } while (i < 3);
  return y;
}

const sq = (v: number) => v * v;
function usesCall(x: number, y: number): number {
  return sq(x + y) * sq(x) + Math.max(x, y) + Math.abs(x - y) + x ** y + Math.atan2(y, x);
}

function fact(n: number, x: number): number {
  return n <= 1 ? x : x * fact(n - 1, x);
}

function compound(x: number): number {
  let y = x;
  y += 2; y *= x; y -= 1; y /= 3; y **= 2;
  let z = y++;
  z = ++y + z;
  return z + (x % 0.7);
}

describe("scalar gradients match finite differences", () => {
  it("grad of x**2+3 at 9 is 18", () => {
    expect(grad((x: number) => x ** 2 + 3)(9)).toBe(18);
  });
  it("poly (for loop over an array)", () => expectGradMatchesFD(poly, grad(poly), [[1.5, [1, 2, 3]], [-0.3, [2, -1, 0.5, 4]], [2, []]]));
  it("branches", () => expectGradMatchesFD(branchy, grad(branchy), [[1.2, 0.7], [-1.1, 2], [0.5, 0.1]]));
  // integer arguments are compared with wrt: finite differences across `k > n` are meaningless
  it("while with break/continue", () => {
    const g = grad(whileBreak, 0);
    for (const n of [5, 0, 7]) expectGradMatchesFD((x: number) => whileBreak(x, n), (x: number) => g(x, n), [[0.9], [1.1], [0.3]]);
  });
  it("early return inside a loop", () => expectGradMatchesFD(earlyReturn, grad(earlyReturn), [[1], [3], [-2]]));
  it("switch with fall-through", () => {
    const g = grad(sw, 0);
    for (const k of [0, 1, 2, 7]) expectGradMatchesFD((x: number) => sw(x, k), (x: number) => g(x, k), [[0.5], [1.7]]);
  });
  it("do-while", () => expectGradMatchesFD(doWhile, grad(doWhile), [[0.5], [-2]]));
  it("calls, Math, pow", () => expectGradMatchesFD(usesCall, grad(usesCall), [[1.3, 0.4], [0.7, 2.1]]));
  it("recursion", () => {
    const g = grad(fact, 1);
    expectGradMatchesFD((x: number) => fact(4, x), (x: number) => g(4, x), [[1.1], [-0.7]]);
  });
  it("compound assignment and ++", () => expectGradMatchesFD(compound, grad(compound), [[0.8], [1.9]]));
  it("wrt and valueAndGrad", () => {
    const r = valueAndGrad(poly, 0)(2, [1, 2, 3]);
    expect(r.value).toBe(poly(2, [1, 2, 3]));
    expect(r.grad).toBeCloseTo(2 * 2 + 2, 12);
    const v = vjp(poly)(2, [1, 2, 3]);
    expect(v.value).toBe(11);
    const [dx, dcs] = v.pullback(2);
    expect(dx).toBeCloseTo(12, 12);
    expect(dcs).toEqual([8, 4, 2]);
  });
});
