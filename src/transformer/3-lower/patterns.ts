// Destructuring → one read per binding: `const [a, ...rest] = xs` is `a = xs[0]` and a slice loop;
// `const { w, ...others } = p` is `w = p.w` and a record of the remaining fields.
import type * as TS from "typescript";
import type { Expr, Stmt, VType } from "../ir/ir.js";
import { type LowerContext, asLocal, countedLoop, idx, len, num, v } from "./context.js";

export function destructure(cx: LowerContext, name: TS.BindingName, value: Expr, type: VType, pre: Stmt[], site: TS.Node): void {
  const { ts } = cx;
  if (ts.isIdentifier(name)) {
    pre.push(cx.at(site, { k: "assign", name: cx.declare(name, cx.typeAt(name)), e: value, decl: true }));
    return;
  }
  const src = asLocal(cx, value, type, pre, "parts");
  if (ts.isArrayBindingPattern(name)) {
    name.elements.forEach((el, k) => {
      if (ts.isOmittedExpression(el)) return;
      if (el.dotDotDotToken) {
        const rest = cx.temp("rest", cx.typeAt(el.name));
        pre.push({ k: "assign", name: rest, e: { k: "array", elems: [] }, decl: true });
        pre.push(...countedLoop(cx, num(k), len(src), (i) => [{ k: "push", arr: rest, e: idx(src, i) }], el));
        destructure(cx, el.name, v(rest), cx.typeAt(el.name), pre, el);
        return;
      }
      destructure(cx, el.name, withDefault(cx, idx(src, num(k)), el.initializer, cx.typeAt(el.name), pre, el), cx.typeAt(el.name), pre, el);
    });
    return;
  }
  const taken: string[] = [];
  for (const el of name.elements) {
    if (el.dotDotDotToken) {
      const fields = type.k === "record" ? type.fields.filter((f) => !taken.includes(f.name)) : cx.fail(el, "unsupported", "object rest of a value whose fields are not known");
      // the rest holds only the fields the value has; the IR's object literal lists its fields
      if (fields.some((f) => f.optional)) cx.fail(el, "partialFields", "this object rest", cx.checker.typeToString(cx.checker.getTypeAtLocation(name)));
      const props: [string, Expr][] = fields.map((f) => [f.name, { k: "prop", obj: src, name: f.name }]);
      destructure(cx, el.name, { k: "object", props }, cx.typeAt(el.name), pre, el);
      continue;
    }
    const key = el.propertyName ?? el.name;
    if (!ts.isIdentifier(key) && !ts.isStringLiteral(key)) cx.fail(key, "unsupported", "a computed property name in destructuring");
    const field = (key as TS.Identifier | TS.StringLiteral).text;
    taken.push(field);
    destructure(cx, el.name, withDefault(cx, { k: "prop", obj: src, name: field }, el.initializer, cx.typeAt(el.name), pre, el), cx.typeAt(el.name), pre, el);
  }
}

/**
 * `value`, or `init` where `value` is undefined (`init` may not call anything: it is not hoisted).
 * An array or record becomes an `if` into a temporary, as a ternary does, so its shadow is chosen
 * with it: as a `cond` expression the default's shadow was fresh even when `value` was taken, and
 * the gradient of a given `{ v: { w } = {} }` was dropped.
 */
export function withDefault(cx: LowerContext, value: Expr, init: TS.Expression | undefined, type: VType, pre: Stmt[], site: TS.Node): Expr {
  if (!init) return value;
  const initPre: Stmt[] = [];
  const dflt = cx.expr(init, initPre);
  if (initPre.length > 0) cx.fail(init, "unsupported", "a default value that calls a function");
  const missing: Expr = { k: "bin", op: "===", a: value, b: { k: "lit", text: "undefined" } };
  if (type.k === "num" || type.k === "none") return { k: "cond", c: missing, a: dflt, b: value };
  const t = cx.temp("defaulted", type);
  pre.push(cx.at(site, { k: "if", c: missing, then: [{ k: "assign", name: t, e: dflt }], else: [{ k: "assign", name: t, e: value }] }));
  return v(t);
}
