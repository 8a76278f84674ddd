// Argument values (numbers, arrays, records of these) as the checker and the interpreter see
// them: every number in a fixed order (arrays by index, records by sorted field name), copies,
// and gradients rebuilt in an argument's shape.
import type { Input } from "./ast.js";

/** where one number sits: the parameter, then field names and element indices */
export interface Coord { param: number; path: (string | number)[] }

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x) && !ArrayBuffer.isView(x);
const keys = (o: object) => Object.keys(o).sort();

/** every number of `x`, in the fixed order */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function leaves(x: any): number[] {
  if (Array.isArray(x) || ArrayBuffer.isView(x)) return Array.from(x as ArrayLike<unknown>).flatMap(leaves);
  if (isObj(x)) return keys(x).flatMap((k) => leaves(x[k]));
  return [x as number];
}

export function coords(args: Input[]): Coord[] {
  const out: Coord[] = [];
  const walk = (x: Input, param: number, path: (string | number)[]) => {
    if (Array.isArray(x)) x.forEach((_, j) => out.push({ param, path: [...path, j] }));
    else if (isObj(x)) for (const k of keys(x)) walk(x[k]!, param, [...path, k]);
    else out.push({ param, path });
  };
  args.forEach((a, i) => walk(a, i, []));
  return out;
}

export function deepCopy<T>(x: T): T {
  if (Array.isArray(x)) return x.map(deepCopy) as T;
  if (isObj(x)) return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, deepCopy(v)])) as T;
  return x;
}

export const copyArgs = (args: Input[]): Input[] => args.map(deepCopy);

export function getAt(args: Input[], c: Coord): number {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let x: any = args[c.param];
  for (const s of c.path) x = x[s];
  return x as number;
}

/** a copy of args with the number at `c` replaced by `f(old)` */
export function withAt(args: Input[], c: Coord, f: (old: number) => number): Input[] {
  const out = copyArgs(args);
  if (c.path.length === 0) { out[c.param] = f(out[c.param] as number); return out; }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let x: any = out[c.param];
  for (const s of c.path.slice(0, -1)) x = x[s];
  const last = c.path[c.path.length - 1]!;
  x[last] = f(x[last]);
  return out;
}

/** `like`'s shape with its numbers taken from `values` in order */
export function rebuild(like: Input[], values: number[]): Input[] {
  let k = 0;
  const walk = (x: Input): Input => {
    if (Array.isArray(x)) return x.map(() => values[k++]!);
    if (isObj(x)) {
      const o: Record<string, Input> = {};
      for (const key of keys(x)) o[key] = walk(x[key]!);
      return o;
    }
    return values[k++]!;
  };
  return like.map(walk);
}

/** does gradient `g` have the shape of argument `a` (same array lengths, same fields)? */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function sameShape(g: any, a: Input): boolean {
  if (Array.isArray(a)) return Array.isArray(g) && g.length === a.length && g.every((x) => typeof x === "number");
  if (isObj(a)) return isObj(g) && keys(g).join() === keys(a).join() && keys(a).every((k) => sameShape(g[k], a[k]!));
  return typeof g === "number";
}

/** `f` applied to every number of a gradient-shaped value */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function mapLeaves(x: any, f: (v: number) => number): any {
  if (Array.isArray(x)) return x.map((y) => mapLeaves(y, f));
  if (isObj(x)) return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, mapLeaves(v, f)]));
  return f(x as number);
}

/** every place where a robustness check may put NaN/±Infinity (a number, or an array's first
 * element) and every array that may be made empty */
export function badSpots(args: Input[]): { nums: Coord[]; arrays: Coord[] } {
  const nums: Coord[] = [];
  const arrays: Coord[] = [];
  const walk = (x: Input, param: number, path: (string | number)[]) => {
    if (Array.isArray(x)) {
      arrays.push({ param, path });
      if (x.length) nums.push({ param, path: [...path, 0] });
    } else if (isObj(x)) for (const k of keys(x)) walk(x[k]!, param, [...path, k]);
    else nums.push({ param, path });
  };
  args.forEach((a, i) => walk(a, i, []));
  return { nums, arrays };
}

/** a copy of args with the array at `c` replaced by [] */
export function emptied(args: Input[], c: Coord): Input[] {
  const out = copyArgs(args);
  if (c.path.length === 0) { out[c.param] = []; return out; }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let x: any = out[c.param];
  for (const s of c.path.slice(0, -1)) x = x[s];
  x[c.path[c.path.length - 1]!] = [];
  return out;
}
