// User types with their own gradient algebra (like Haskell backprop's `Backprop` class).
// Keys and registry live on Symbol.for/globalThis so two copies of the runtime (ESM + CJS builds
// loaded side by side) still see each other's registrations.

/** How gradients of a user type are made and summed. `add` must not mutate its arguments. */
export interface Backprop<T> {
  /** A zero gradient shaped like `x`. */
  zero(x: T): T;
  /** The sum of two gradients. */
  add(a: T, b: T): T;
  /** A "one" shaped like `x` (seed for vjp of a non-number output); optional. */
  one?(x: T): T;
}

/**
 * Key for a static member providing a class's Backprop:
 * `class Matrix { static [backpropKey]: Backprop<Matrix> = { zero, add } }`.
 */
export const backpropKey: unique symbol = Symbol.for("backprop-ts.backprop");

type Ctor = abstract new (...args: any[]) => unknown;

const REGISTRY_KEY = Symbol.for("backprop-ts.registry");
const registry: WeakMap<object, Backprop<any>> = ((globalThis as any)[REGISTRY_KEY] ??= new WeakMap());

/** Gives instances of `cls` (and of its subclasses) the gradient algebra `impl`. */
export function registerBackprop<T>(cls: abstract new (...args: any[]) => T, impl: Backprop<T>): void {
  if (typeof cls !== "function") throw new Error("backprop-ts: registerBackprop expects a class as first argument");
  if (!impl || typeof impl.zero !== "function" || typeof impl.add !== "function") {
    throw new Error(`backprop-ts: registerBackprop(${cls.name || "class"}, impl): impl needs zero(x) and add(a, b) functions`);
  }
  registry.set(cls, impl);
}

/**
 * The Backprop of an object's class, or undefined (plain objects and arrays never have one).
 * Walks the prototype chain so the most derived class wins; at each level a static
 * `[backpropKey]` member is preferred over a `registerBackprop` entry.
 */
export function backpropOf(x: object): Backprop<any> | undefined {
  let proto: object | null = Object.getPrototypeOf(x);
  while (proto !== null && proto !== Object.prototype) {
    const ctor = (proto as { constructor?: unknown }).constructor;
    if (typeof ctor === "function") {
      if (Object.prototype.hasOwnProperty.call(ctor, backpropKey)) {
        const own = (ctor as unknown as Record<symbol, Backprop<any> | undefined>)[backpropKey];
        if (own) return own;
      }
      const registered = registry.get(ctor as Ctor);
      if (registered) return registered;
    }
    proto = Object.getPrototypeOf(proto);
  }
  return undefined;
}
