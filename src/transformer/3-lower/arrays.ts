// Array operations become plain loops with the callback inlined (map, filter, reduce, forEach,
// Array.from, slice, concat, spread, Math.max(...xs), new Float64Array(xs)): the adjoint is then
// ordinary loop code, with no closure per element and no intermediate tape.
import type * as TS from "typescript";
import type { Expr, Stmt, VType } from "../ir/ir.js";
import { type LowerContext, asLocal, countedLoop, idx, len, num, v } from "./context.js";

/** The type of an element: a tuple's when all of its elements have one shape (numbers, say). */
function elemType(t: VType): VType {
  if (t.k === "array") return t.elem;
  if (t.k === "typed") return { k: "num" };
  if (t.k === "tuple" && t.elems.length > 0 && t.elems.every((e) => JSON.stringify(e) === JSON.stringify(t.elems[0]))) return t.elems[0];
  return { k: "unknown", why: "the elements of this tuple are of different kinds: index them one by one instead" };
}

/** Lowers `recv.method(args)` when it is an array method we differentiate; undefined otherwise. */
export function lowerArrayMethod(cx: LowerContext, n: TS.CallExpression, recvNode: TS.Expression, method: string, pre: Stmt[]): Expr | undefined {
  const { ts } = cx;
  const recvType = cx.typeAt(recvNode);
  if (recvType.k !== "array" && recvType.k !== "typed" && recvType.k !== "tuple") return undefined;
  if (!["map", "filter", "reduce", "forEach", "slice", "concat", "find", ...Object.keys(SEARCHES)].includes(method)) {
    // without this, the callback itself is what gets reported (BP1008, "declare it at module level")
    const inline = n.arguments.some((a) => ts.isArrowFunction(a) || ts.isFunctionExpression(a));
    return inline ? cx.fail(n, "unsupported", `${method}() with a callback (map, filter, reduce, forEach, some, every, find and findIndex are differentiated: write a loop for ${method})`) : undefined;
  }
  // some/every/findIndex with a named function, or none: a call whose result has no derivative
  if (method in SEARCHES && !(n.arguments[0] && isInlineFunction(ts, n.arguments[0]))) return undefined;
  // find's result is an element: numbers only (a record found would alias part of the array)
  if (method === "find" && elemType(recvType).k !== "num")
    return cx.fail(n, "unsupported", "find() over elements that are not numbers (use findIndex and index the array)");
  if (method === "find" && !(n.arguments[0] && isInlineFunction(ts, n.arguments[0])))
    return cx.fail(n, "unsupported", "find() with a callback that is not an inline function (use findIndex and index the array)");
  // a typed array's map/filter/slice make a typed array (Float32Array rounds): not a number[]
  if (recvType.k === "typed" && !["reduce", "forEach", "find", ...Object.keys(SEARCHES)].includes(method)) return cx.fail(n, "unsupported", `${method}() on a typed array (copy it with Array.from first, or write the loop)`);
  const args = n.arguments;
  if (method === "reduce") {
    const fused = fuseMapReduce(cx, n, recvNode, pre);
    if (fused) return fused;
  }
  const items = asLocal(cx, cx.expr(recvNode, pre), recvType, pre);
  // map/filter/reduce/forEach visit the elements present when they start: a callback that may push
  // into the array (through a call or a closure) must not make the loop longer
  const cb = args[0] && unparen(ts, args[0]);
  const contained = !!cb && (ts.isArrowFunction(cb) || ts.isFunctionExpression(cb)) && isSelfContained(ts, cb);
  const count = (): Expr => (contained ? len(items) : asLocal(cx, len(items), { k: "num" }, pre, "length"));
  if (method in SEARCHES) return search(cx, n, items, count(), recvType, SEARCHES[method as keyof typeof SEARCHES], pre);
  if (method === "find") {
    // the element itself, or undefined: `hit < 0 ? undefined : xs[hit]` (its adjoint only on its branch)
    const hit = search(cx, n, items, count(), recvType, SEARCHES.findIndex, pre);
    const item: Expr = { k: "cond", c: { k: "bin", op: "<", a: hit, b: num(0) }, a: lit("undefined"), b: idx(items, hit) };
    return asLocal(cx, item, { k: "num" }, pre, "item", n);
  }
  const outType = cx.typeAt(n);
  const fresh = (base: string) => {
    const out = cx.temp(base, outType);
    pre.push(cx.at(n, { k: "assign", name: out, e: { k: "array", elems: [] }, decl: true }));
    return out;
  };
  switch (method) {
    case "map": {
      const out = fresh("mapped");
      pre.push(...countedLoop(cx, num(0), count(), (i) => {
        const body: Stmt[] = [];
        const r = cx.invoke(args[0], [idx(items, i), i, items], body, n);
        body.push({ k: "push", arr: out, e: r });
        return body;
      }, n));
      return v(out);
    }
    case "forEach": {
      pre.push(...countedLoop(cx, num(0), count(), (i) => {
        const body: Stmt[] = [];
        cx.invoke(args[0], [idx(items, i), i, items], body, n);
        return body;
      }, n));
      return { k: "lit", text: "undefined" };
    }
    case "filter": {
      const out = fresh("kept");
      pre.push(...countedLoop(cx, num(0), count(), (i) => {
        const body: Stmt[] = [];
        const item = asLocal(cx, idx(items, i), elemType(recvType), body, "element", n);
        const keep = cx.invoke(args[0], [item, i, items], body, n);
        body.push({ k: "if", c: keep, then: [{ k: "push", arr: out, e: item }], else: [] });
        return body;
      }, n));
      return v(out);
    }
    case "reduce": {
      const acc = cx.temp("acc", outType);
      let start: Expr = num(0);
      if (args.length > 1) pre.push(cx.at(n, { k: "assign", name: acc, e: cx.expr(args[1], pre), decl: true }));
      else {
        pre.push({ k: "if", c: { k: "bin", op: "===", a: len(items), b: num(0) }, then: [{ k: "throw", e: { k: "new", callee: { k: "free", path: "TypeError" }, args: [{ k: "lit", text: JSON.stringify("Reduce of empty array with no initial value") }] } }], else: [] });
        pre.push(cx.at(n, { k: "assign", name: acc, e: idx(items, num(0)), decl: true }));
        start = num(1);
      }
      pre.push(...countedLoop(cx, start, count(), (i) => {
        const body: Stmt[] = [];
        const r = cx.invoke(args[0], [v(acc), idx(items, i), i, items], body, n);
        body.push({ k: "assign", name: acc, e: r });
        return body;
      }, n));
      return v(acc);
    }
    case "slice": {
      const out = fresh("sliced");
      const length = len(items);
      const bound = (a: TS.Expression | undefined, dflt: Expr): Expr => {
        if (!a) return dflt;
        const x = asLocal(cx, cx.expr(a, pre), { k: "num" }, pre, "bound");
        // slice's own rule: negative counts from the end, clamped to [0, length]
        return {
          k: "cond", c: { k: "bin", op: "<", a: x, b: num(0) },
          a: { k: "math", fn: "max", args: [{ k: "bin", op: "+", a: length, b: x }, num(0)] },
          b: { k: "math", fn: "min", args: [x, length] },
        };
      };
      const from = asLocal(cx, bound(args[0], num(0)), { k: "num" }, pre, "from");
      const to = asLocal(cx, bound(args[1], length), { k: "num" }, pre, "to");
      pre.push(...countedLoop(cx, from, to, (i) => [{ k: "push", arr: out, e: idx(items, i) }], n));
      return v(out);
    }
    case "concat": {
      const out = fresh("joined");
      pushAll(cx, out, items, pre, n);
      for (const a of args) {
        const t = cx.typeAt(a);
        const value = cx.expr(a, pre);
        if (t.k === "array" || t.k === "typed" || t.k === "tuple") pushAll(cx, out, asLocal(cx, value, t, pre), pre, n);
        else pre.push({ k: "push", arr: out, e: value });
      }
      return v(out);
    }
  }
  void ts;
  return undefined;
}

const lit = (text: string): Expr => ({ k: "lit", text });

/**
 * What some/every/findIndex look for, as a loop that stops where the method stops calling its
 * callback (`found` starts as `none`, becomes `hit(i)` at the first element whose callback answers
 * `wanted`). Their results are booleans or an index: nothing to differentiate, but the callback may
 * read active values and runs as written, in order.
 */
const SEARCHES = {
  some: { none: lit("false"), hit: () => lit("true"), wanted: true },
  every: { none: lit("true"), hit: () => lit("false"), wanted: false },
  findIndex: { none: num(-1), hit: (i: Expr) => i, wanted: true },
} satisfies Record<string, { none: Expr; hit: (i: Expr) => Expr; wanted: boolean }>;

/** `count`: the length when the search starts (a callback that may push must not make the loop longer) */
function search(cx: LowerContext, n: TS.CallExpression, items: Expr, count: Expr, recvType: VType, how: (typeof SEARCHES)[keyof typeof SEARCHES], pre: Stmt[]): Expr {
  const found = cx.temp("found", how.none.k === "num" ? { k: "num" } : { k: "none" });
  const i = cx.temp("i", { k: "num" });
  const pending: Expr = { k: "bin", op: "===", a: v(found), b: how.none };
  const body: Stmt[] = [];
  const item = asLocal(cx, idx(items, v(i)), elemType(recvType), body, "element", n);
  const answer = cx.invoke(n.arguments[0], [item, v(i), items], body, n);
  const stop: Stmt = { k: "assign", name: found, e: how.hit(v(i)) };
  body.push({ k: "if", c: answer, then: how.wanted ? [stop] : [], else: how.wanted ? [] : [stop] });
  pre.push(
    cx.at(n, { k: "assign", name: found, e: how.none, decl: true }),
    { k: "assign", name: i, e: num(0), decl: true },
    cx.at(n, {
      k: "loop", pre: [], c: { k: "bin", op: "&&", a: pending, b: { k: "bin", op: "<", a: v(i), b: count } }, body,
      update: [{ k: "assign", name: i, e: { k: "bin", op: "+", a: v(i), b: num(1) } }], testAfter: false,
    }),
  );
  return v(found);
}

function isInlineFunction(ts: LowerContext["ts"], e: TS.Expression): boolean {
  const f = unparen(ts, e);
  return ts.isArrowFunction(f) || ts.isFunctionExpression(f);
}

/**
 * `xs.map(f).reduce(g, init)` as one loop, `acc = g(acc, f(xs[i], i, xs), i)`: the mapped array is
 * a temporary nobody else sees, so it is never built (nor its shadow, nor their tape). Only when
 * interleaving the two callbacks cannot be observed: both are inline functions with no calls but
 * Math's and no writes outside themselves, and g does not take the array (its 4th parameter).
 */
function fuseMapReduce(cx: LowerContext, n: TS.CallExpression, recvNode: TS.Expression, pre: Stmt[]): Expr | undefined {
  const { ts } = cx;
  const [g, init] = n.arguments;
  const inner = unparen(ts, recvNode);
  if (!init || n.arguments.length !== 2 || !ts.isCallExpression(inner) || !ts.isPropertyAccessExpression(inner.expression)) return undefined;
  if (inner.expression.name.text !== "map" || inner.arguments.length !== 1) return undefined;
  const f = unparen(ts, inner.arguments[0]);
  const gFn = unparen(ts, g);
  const isInline = (x: TS.Node): x is TS.ArrowFunction | TS.FunctionExpression => ts.isArrowFunction(x) || ts.isFunctionExpression(x);
  if (!isInline(f) || !isInline(gFn) || gFn.parameters.length > 3 || !isSelfContained(ts, f) || !isSelfContained(ts, gFn)) return undefined;
  const srcNode = inner.expression.expression;
  const srcType = cx.typeAt(srcNode);
  if (srcType.k !== "array" && srcType.k !== "tuple") return undefined;
  const items = asLocal(cx, cx.expr(srcNode, pre), srcType, pre);
  const acc = cx.temp("acc", cx.typeAt(n));
  pre.push(cx.at(n, { k: "assign", name: acc, e: cx.expr(init, pre), decl: true }));
  pre.push(...countedLoop(cx, num(0), len(items), (i) => {
    const body: Stmt[] = [];
    const mapped = cx.invoke(f, [idx(items, i), i, items], body, inner);
    const r = cx.invoke(gFn, [v(acc), mapped, i], body, n);
    body.push({ k: "assign", name: acc, e: r });
    return body;
  }, n));
  return v(acc);
}

function unparen(ts: LowerContext["ts"], e: TS.Expression): TS.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

/** No calls except Math.*, no `new`, and assignments only to names declared inside `fn`. */
function isSelfContained(ts: LowerContext["ts"], fn: TS.ArrowFunction | TS.FunctionExpression): boolean {
  const own = new Set<string>();
  const declare = (b: TS.BindingName) => {
    if (ts.isIdentifier(b)) own.add(b.text);
    else for (const el of b.elements) if (!ts.isOmittedExpression(el)) declare(el.name);
  };
  let ok = true;
  const visit = (node: TS.Node): void => {
    if (!ok) return;
    if ((ts.isParameter(node) || ts.isVariableDeclaration(node)) && node.name) declare(node.name);
    if (ts.isCallExpression(node)) {
      const c = node.expression;
      if (!(ts.isPropertyAccessExpression(c) && ts.isIdentifier(c.expression) && c.expression.text === "Math")) { ok = false; return; }
    }
    if (ts.isNewExpression(node) || ts.isDeleteExpression(node) || ts.isTaggedTemplateExpression(node) || node.kind === ts.SyntaxKind.ThisKeyword) { ok = false; return; }
    const target = ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment ? node.left
      : (ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken) ? node.operand
      : undefined;
    if (target && !(ts.isIdentifier(target) && own.has(target.text))) { ok = false; return; }
    ts.forEachChild(node, visit);
  };
  visit(fn);
  return ok;
}

function pushAll(cx: LowerContext, out: string, from: Expr, pre: Stmt[], site: TS.Node): void {
  pre.push(...countedLoop(cx, num(0), len(from), (i) => [{ k: "push", arr: out, e: idx(from, i) }], site));
}

/** `[a, ...xs, b]` */
export function lowerSpreadArray(cx: LowerContext, n: TS.ArrayLiteralExpression, pre: Stmt[]): Expr {
  const { ts } = cx;
  const out = cx.temp("spread", cx.typeAt(n));
  pre.push(cx.at(n, { k: "assign", name: out, e: { k: "array", elems: [] }, decl: true }));
  for (const el of n.elements) {
    if (ts.isSpreadElement(el)) pushAll(cx, out, asLocal(cx, cx.expr(el.expression, pre), cx.typeAt(el.expression), pre), pre, n);
    else pre.push({ k: "push", arr: out, e: cx.expr(el, pre) });
  }
  return v(out);
}

/** `Array.from({ length: n }, f)`, `Array.from(xs, f)`, `Array.from(xs)` */
export function lowerArrayFrom(cx: LowerContext, n: TS.CallExpression, pre: Stmt[]): Expr {
  const { ts } = cx;
  const [src, fn] = n.arguments;
  const out = cx.temp("built", cx.typeAt(n));
  pre.push(cx.at(n, { k: "assign", name: out, e: { k: "array", elems: [] }, decl: true }));
  const lengthProp = src && ts.isObjectLiteralExpression(src) && src.properties.length === 1 ? src.properties[0] : undefined;
  if (lengthProp && ts.isPropertyAssignment(lengthProp) && lengthProp.name.getText() === "length") {
    const count = asLocal(cx, cx.expr(lengthProp.initializer, pre), { k: "num" }, pre, "count");
    pre.push(...countedLoop(cx, num(0), count, (i) => {
      const body: Stmt[] = [];
      const r = fn ? cx.invoke(fn, [{ k: "lit", text: "undefined" }, i], body, n) : { k: "lit", text: "undefined" } as Expr;
      body.push({ k: "push", arr: out, e: r });
      return body;
    }, n));
    return v(out);
  }
  if (!src) return cx.fail(n, "unsupported", "Array.from without arguments");
  const items = asLocal(cx, cx.expr(src, pre), cx.typeAt(src), pre);
  pre.push(...countedLoop(cx, num(0), len(items), (i) => {
    const body: Stmt[] = [];
    const r = fn ? cx.invoke(fn, [idx(items, i), i], body, n) : idx(items, i);
    body.push({ k: "push", arr: out, e: r });
    return body;
  }, n));
  return v(out);
}

/** `new Float64Array(xs)`: a copy, element by element, so gradients flow through it */
export function lowerTypedArrayCopy(cx: LowerContext, ctor: string, n: TS.NewExpression, src: TS.Expression, pre: Stmt[]): Expr {
  const items = asLocal(cx, cx.expr(src, pre), cx.typeAt(src), pre);
  const out = cx.temp("copy", { k: "typed", ctor: ctor as "Float64Array" });
  pre.push(cx.at(n, { k: "assign", name: out, e: { k: "new", callee: { k: "free", path: ctor }, args: [len(items)] }, decl: true }));
  pre.push(...countedLoop(cx, num(0), len(items), (i) => [{ k: "store", target: idx(v(out), i), e: idx(items, i) }], n));
  return v(out);
}

/** `Math.max(...xs)` / `Math.min(...xs)`: a running max; ties keep the earlier element. */
export function lowerSpreadExtremum(cx: LowerContext, fn: "max" | "min", n: TS.CallExpression, pre: Stmt[]): Expr {
  const { ts } = cx;
  let acc: Expr = num(fn === "max" ? -Infinity : Infinity);
  const m = cx.temp(fn === "max" ? "largest" : "smallest", { k: "num" });
  pre.push({ k: "assign", name: m, e: acc, decl: true });
  acc = v(m);
  for (const a of n.arguments) {
    if (ts.isSpreadElement(a)) {
      const items = asLocal(cx, cx.expr(a.expression, pre), cx.typeAt(a.expression), pre);
      pre.push(...countedLoop(cx, num(0), len(items), (i) => [cx.at(n, { k: "assign", name: m, e: { k: "math", fn, args: [v(m), idx(items, i)] } })], n));
    } else {
      pre.push(cx.at(n, { k: "assign", name: m, e: { k: "math", fn, args: [v(m), cx.expr(a, pre)] } }));
    }
  }
  return v(m);
}
