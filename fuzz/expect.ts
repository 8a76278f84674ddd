// Which programs the transformer may reject with BP1020, from the AST alone: a method or getter
// that a subclass overrides, reached from `main` through a receiver whose declared type is the
// class that declares it (or a class between), since the transformer differentiates the body the
// declared type names while the override may run. The harness fails a program rejected with
// BP1020 where nothing is called that way. (One that is not rejected although such a call exists
// is not a failure by itself: a call whose result does not reach the gradient runs as written, so
// the gradient check decides.)
import { findMember, isCls, overrider, type Cls, type Fn, type Program, type Type } from "./ast.js";

/** the first call or read that must be BP1020 (`o.m` / `this.norm`, with the class overriding it), or undefined */
export function mustRejectOverride(p: Program): string | undefined {
  const classes = p.classes ?? [];
  if (!classes.some((c) => c.base)) return undefined;
  const byName = new Map(classes.map((c) => [c.name, c]));
  const fns = new Map([...p.helpers, p.main].map((f) => [f.name, f]));
  const seenFns = new Set<string>();
  const seenMembers = new Set<string>();
  let found: string | undefined;

  /** a member `name` used on a value of declared class `c` */
  const member = (c: Cls, name: string, where: string): void => {
    const m = findMember(byName, c, name);
    if (!m) return;
    const sub = overrider(classes, m.cls, name);
    if (sub) { found ??= `${where}.${name} (${m.cls.name}.${name}, overridden in ${sub.name})`; return; }
    // the body that runs is the one the declared type names: what it uses in turn
    const key = `${m.cls.name}.${name}`;
    if (seenMembers.has(key)) return;
    seenMembers.add(key);
    const body = m.method?.body ?? m.getter?.body;
    if (body) walk(body, (path) => (path === "this" ? { cls: m.cls.name } : undefined));
  };

  /** every path and call in `x`, with `typeOf` giving the declared type of a name */
  const walk = (x: unknown, typeOf: (name: string) => Type | undefined): void => {
    if (!x || typeof x !== "object") return;
    if (Array.isArray(x)) { x.forEach((y) => walk(y, typeOf)); return; }
    const o = x as Record<string, unknown>;
    const path = (s: string) => {
      const parts = s.split(".");
      if (parts.length < 2) return;
      const t = typeOf(parts[0]!);
      const c = t && isCls(t) ? byName.get(t.cls) : undefined;
      if (c) member(c, parts[1]!, parts[0]!);
    };
    if (o.k === "mcall") {
      const t = typeOf(o.obj as string);
      const c = t && isCls(t) ? byName.get(t.cls) : undefined;
      if (c) member(c, o.method as string, o.obj as string);
    } else if (o.k === "call" || o.k === "callv") {
      const f = fns.get(o.fn as string);
      if (f) fn(f);
    }
    // (a constructor reads fields only, never getters or methods: nothing to check in `new`)
    for (const key of ["name", "arr", "obj"]) if (typeof o[key] === "string" && o.k !== "mcall") path(o[key] as string);
    Object.values(o).forEach((y) => walk(y, typeOf));
  };

  const fn = (f: Fn): void => {
    if (seenFns.has(f.name)) return;
    seenFns.add(f.name);
    // names are unique within a function for values (fresh names): one map per function
    const types = new Map<string, Type>(f.params.map((prm) => [prm.name, prm.type]));
    const collect = (x: unknown): void => {
      if (!x || typeof x !== "object") return;
      if (Array.isArray(x)) { x.forEach(collect); return; }
      const o = x as Record<string, unknown>;
      if (o.k === "letv") types.set(o.name as string, o.type as Type);
      Object.values(o).forEach(collect);
    };
    collect(f.body);
    walk(f.body, (name) => types.get(name));
  };
  fn(p.main);
  return found;
}
