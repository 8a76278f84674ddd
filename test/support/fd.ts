// Central finite differences over every number inside the arguments (numbers, arrays, typed
// arrays, records), returned in the gradient's shape: the reference every gradient test uses.
type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any

function clone(x: Any): Any {
  if (typeof x === "number" || x === null || typeof x !== "object") return x;
  if (x instanceof Float64Array || x instanceof Float32Array) return x.slice();
  if (Array.isArray(x)) return x.map(clone);
  const out: Any = Object.create(Object.getPrototypeOf(x));
  for (const k of Object.keys(x)) out[k] = clone(x[k]);
  return out;
}

/** Visits every number slot of a value: get/set closures and a path for messages. */
function slots(x: Any, path: string, visit: (get: () => number, set: (v: number) => void, path: string) => void): void {
  if (x instanceof Float64Array || x instanceof Float32Array || Array.isArray(x)) {
    for (let i = 0; i < x.length; i++) {
      if (typeof x[i] === "number") visit(() => x[i], (v) => { x[i] = v; }, `${path}[${i}]`);
      else slots(x[i], `${path}[${i}]`, visit);
    }
  } else if (x && typeof x === "object") {
    for (const k of Object.keys(x)) {
      if (typeof x[k] === "number") visit(() => x[k], (v) => { x[k] = v; }, `${path}.${k}`);
      else slots(x[k], `${path}.${k}`, visit);
    }
  }
}

function zerosLike(x: Any): Any {
  if (typeof x === "number") return 0;
  if (x instanceof Float64Array) return new Float64Array(x.length);
  if (x instanceof Float32Array) return new Float32Array(x.length);
  if (Array.isArray(x)) return x.map(zerosLike);
  if (x && typeof x === "object") {
    const out: Any = {};
    for (const k of Object.keys(x)) out[k] = zerosLike(x[k]);
    return out;
  }
  return undefined;
}

/** Gradient of f at args by central differences, one entry per argument (numbers → number). */
export function numericGradient(f: (...a: Any[]) => number, args: Any[], h = 1e-6): Any[] {
  return args.map((arg, i) => {
    if (typeof arg === "number") {
      const at = (v: number) => f(...args.map((a, j) => (j === i ? v : clone(a))));
      const step = h * Math.max(1, Math.abs(arg));
      return (at(arg + step) - at(arg - step)) / (2 * step);
    }
    const g = zerosLike(arg);
    const gslots: ((v: number) => void)[] = [];
    slots(g, "", (_get, set) => gslots.push(set));
    let k = 0;
    slots(clone(arg), "", () => {
      const index = k++;
      const eval1 = (delta: number) => {
        const copy = clone(arg);
        let n = 0;
        let base = 0;
        slots(copy, "", (get, set) => { if (n++ === index) { base = get(); set(base + delta * h * Math.max(1, Math.abs(base))); } });
        const value = f(...args.map((a, j) => (j === i ? copy : clone(a))));
        return { value, step: h * Math.max(1, Math.abs(base)) };
      };
      const plus = eval1(1), minus = eval1(-1);
      gslots[index]((plus.value - minus.value) / (2 * plus.step));
    });
    return g;
  });
}

/** Largest relative difference between two gradient-shaped values, with the path where it is. */
export function gradientError(a: Any, b: Any, path = ""): { error: number; path: string } {
  if (typeof a === "number" || typeof b === "number") {
    if (typeof a !== "number" || typeof b !== "number") return { error: Infinity, path: `${path} (shape: ${typeof a} vs ${typeof b})` };
    if (Number.isNaN(a) && Number.isNaN(b)) return { error: 0, path };
    const err = Math.abs(a - b) / Math.max(1, Math.abs(a), Math.abs(b));
    return { error: Number.isNaN(err) ? Infinity : err, path };
  }
  if (a === undefined && b === undefined) return { error: 0, path };
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return { error: Infinity, path: `${path} (shape)` };
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  let worst = { error: 0, path };
  for (const k of keys) {
    const e = gradientError(a[k], b[k], `${path}[${k}]`);
    if (e.error > worst.error) worst = e;
  }
  return worst;
}
