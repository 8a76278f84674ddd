// Checks a fixture's `cases` export against finite differences. Bundled together with the transformed
// fixture and run in a worker thread (see harness.ts), so generated code that loops forever is
// stopped by a timeout instead of hanging the test run; returns failure messages, [] when all pass.
import { gradientError, numericGradient } from "../support/fd.js";

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One entry of a fixture's `cases` export. Exactly one of g / vg / vjp. */
export interface Case {
  /** shown in failures; defaults to the case's index */
  name?: string;
  /** the primal: finite-difference reference (unless `expected`), and the value valueAndGrad/vjp must return */
  f?: (...a: Any[]) => number;
  /** a `grad(...)` site (possibly wrapped to fix integer arguments) */
  g?: (...a: Any[]) => Any;
  /** a `valueAndGrad(...)` site: `value` must be exactly `f(...args)` */
  vg?: (...a: Any[]) => { value: number; grad: Any };
  /** a `vjp(...)` site with number output: `pullback(dy)` must be `dy * gradient` */
  vjp?: (...a: Any[]) => { value: number; pullback: (dy: number) => Any };
  /** cotangent given to pullback (default 1.5) */
  dy?: number;
  /** the exact gradient instead of finite differences of f (stopGradient, Math.random); `value` is the site's value when it has one */
  expected?: (args: Any[], value: number | undefined) => Any;
  points: Any[][];
  /** relative tolerance (default 1e-6) */
  tol?: number;
}

const show = (x: Any): string =>
  JSON.stringify(x, (_k, v) => (v instanceof Float64Array || v instanceof Float32Array ? `${v.constructor.name}[${[...v].join(", ")}]` : v));

const scale = (g: Any, k: number): Any =>
  typeof g === "number"
    ? g * k
    : g instanceof Float64Array || g instanceof Float32Array
      ? g.map((x) => x * k)
      : Array.isArray(g)
        ? g.map((x) => scale(x, k))
        : g && typeof g === "object"
          ? Object.fromEntries(Object.entries(g).map(([key, v]) => [key, scale(v, k)]))
          : g;

/** Same shape, entry by entry: a typed array for a typed array of the same kind, etc. */
function shapeError(got: Any, like: Any, path = ""): string | undefined {
  if (like instanceof Float64Array || like instanceof Float32Array) {
    if (!(got instanceof like.constructor) || (got as Float64Array).length !== like.length) return `${path || "(root)"}: expected a ${like.constructor.name} of length ${like.length}, got ${show(got)}`;
    return undefined;
  }
  if (Array.isArray(like)) {
    if (!Array.isArray(got) || got.length !== like.length) return `${path || "(root)"}: expected an array of length ${like.length}, got ${show(got)}`;
    for (let i = 0; i < like.length; i++) {
      const e = shapeError(got[i], like[i], `${path}[${i}]`);
      if (e) return e;
    }
  }
  return undefined;
}

export function checkCases(cases: Case[], label: string): string[] {
  const failures: string[] = [];
  if (!Array.isArray(cases) || cases.length === 0) return [`${label}: input.ts must export a non-empty \`cases\` array`];
  cases.forEach((c, index) => {
    const name = `${label}/${c.name ?? index}`;
    if (!c.points?.length) return void failures.push(`${name}: a case needs points`);
    if ([c.g, c.vg, c.vjp].filter(Boolean).length !== 1) return void failures.push(`${name}: exactly one of g / vg / vjp`);
    if (!c.expected && typeof c.f !== "function") return void failures.push(`${name}: a case needs f (finite differences) or expected`);
    for (const args of c.points) {
      const at = `${name} at ${show(args)}`;
      try {
        const before = show(args);
        let got: Any;
        let value: number | undefined;
        const dy = c.dy ?? 1.5;
        if (c.g) got = c.g(...args);
        else if (c.vg) ({ value, grad: got } = c.vg(...args));
        else {
          const r = c.vjp!(...args);
          value = r.value;
          got = r.pullback(dy);
        }
        if (show(args) !== before) failures.push(`${at}: the inputs were mutated: now ${show(args)}`);
        if (value !== undefined && c.f && !c.expected && !Object.is(value, c.f(...args))) failures.push(`${at}: value ${value} is not exactly f(...args) = ${c.f(...args)}`);
        let reference: Any;
        if (c.expected) reference = c.expected(args, value);
        else {
          const fd = numericGradient(c.f!, args);
          reference = c.f!.length === 1 ? fd[0] : fd;
        }
        if (c.vjp) reference = scale(reference, dy);
        const shape = shapeError(got, reference);
        if (shape) failures.push(`${at}: gradient shape ${shape}`);
        const { error, path } = gradientError(got, reference);
        if (!(error < (c.tol ?? 1e-6))) failures.push(`${at}: gradient differs at ${path || "(root)"} (relative error ${error.toExponential(2)}): got ${show(got)}, expected ${show(reference)}`);
      } catch (e) {
        failures.push(`${at}: threw ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      }
    }
  });
  return failures;
}
