// Types whose shape is known only at run time: BP1017 at the parameter (these gave an undefined or
// zero gradient, or crashed, before)
import { grad } from "backprop-ts";

function rec(r: Record<string, number>): number { return r["a"] * r.b; }
function idx(r: { [k: number]: number }): number { return r[0] * r[1]; }
function mp(m: Map<string, number>, x: number): number { return m.size * x; }
function gid<T>(x: T): T { return x; }
function gen(x: number): number { return gid(x) * x; }
// a union of records is one record of all their fields, unless a field has two shapes
type Shape = { kind: "sq"; s: number } | { kind: "rect"; s: number[] };
function area(sh: Shape): number { return sh.kind === "sq" ? sh.s * sh.s : sh.s[0] * sh.s[1]; }

export const sites = [grad(rec), grad(idx), grad(mp), grad(gen), grad(area)];
