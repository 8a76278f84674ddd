// Shadows of arrays and records, and the shapes they follow: the type of an expression or of a path
// into a local, a value's zero gradient, the shadow a freshly computed value gets, and the adjoint
// path that mirrors a primal one (`m[i].w` → `dm[i].w`). Shared by the sweeps and by backprop.
import type { Expr, VType } from "../ir/ir.js";
import { isObjectCreate, v } from "../ir/ir.js";
import { call, num, UNDEFINED } from "./build.js";
import type { ReverseScope } from "./scope.js";

/** An array or record (it has parts), as opposed to a number, nothing, or a type not known. */
export const structured = (t: VType | undefined): boolean => t !== undefined && t.k !== "num" && t.k !== "none" && t.k !== "unknown";

/** The type of an expression, as far as its shape goes. */
export function exprType(cx: ReverseScope, e: Expr): VType | undefined {
  switch (e.k) {
    case "var": case "index": case "prop": return pathType(cx, e);
    case "array": return { k: "array", elem: e.elems.length > 0 ? exprType(cx, e.elems[0]) ?? { k: "num" } : { k: "num" } };
    case "object": return { k: "record", fields: e.props.map(([name, x]) => ({ name, type: exprType(cx, x) ?? { k: "num" } })) };
    case "lit": return { k: "none" };
    case "call": case "new": return undefined;
    default: return { k: "num" };
  }
}

export function pathType(cx: ReverseScope, e: Expr): VType | undefined {
  if (e.k === "var") return cx.typeOf(e.name);
  if (e.k === "index") {
    const t = pathType(cx, e.obj);
    if (!t) return undefined;
    if (t.k === "array") return t.elem;
    if (t.k === "typed") return { k: "num" };
    if (t.k === "tuple") return e.index.k === "num" ? t.elems[e.index.v] : undefined;
    return undefined;
  }
  if (e.k === "prop") {
    const t = pathType(cx, e.obj);
    if (t?.k === "record") return t.fields.find((f) => f.name === e.name)?.type;
    if (e.name === "length") return { k: "num" };
    return undefined;
  }
  return exprType(cx, e);
}

/** A zero gradient shaped like `value`: a `number[]` by its length, anything else by a walk at run time. */
export function zeroOf(cx: ReverseScope, value: Expr, type: VType): Expr {
  return call(cx.host.runtime(type.k === "array" && type.elem.k === "num" ? "zeroNumbers" : "zeroLike"), value);
}

/** The shadow of a freshly computed value: aliases where the value aliases, zeros elsewhere. */
export function shadowOf(cx: ReverseScope, e: Expr, value: Expr, type?: VType): Expr {
  const t = type ?? exprType(cx, e);
  if (!structured(t)) return t?.k === "none" ? UNDEFINED : num(0);
  if (e.k === "var" || e.k === "index" || e.k === "prop") {
    const path = adjointPath(cx, e);
    if (path) return path;
  }
  if (e.k === "array") return { k: "array", elems: e.elems.map((el, i) => shadowOf(cx, el, { k: "index", obj: value, index: num(i) })) };
  if (e.k === "object") return { k: "object", props: e.props.map(([name, x]) => [name, shadowOf(cx, x, { k: "prop", obj: value, name })]) };
  // a constructor's `self`, before its fields are set: an empty record that the stores fill in
  if (isObjectCreate(e)) return { k: "object", props: [] };
  return t ? zeroOf(cx, value, t) : call(cx.host.runtime("zeroLike"), value);
}

export function adjointPath(cx: ReverseScope, e: Expr): Expr | undefined {
  if (e.k === "var") return cx.active.has(e.name) && e.name !== cx.fn.result ? v(cx.adjName(e.name)) : undefined;
  if (e.k === "index") { const o = adjointPath(cx, e.obj); return o && { k: "index", obj: o, index: e.index }; }
  if (e.k === "prop") { const o = adjointPath(cx, e.obj); return o && { k: "prop", obj: o, name: e.name }; }
  return undefined;
}

