// A small runtime-tape reverse mode, the way a micrograd-like library does it: every scalar
// operation allocates a node holding its value, its parents and the local partial derivatives,
// and appends it to a global tape; `backward` walks the tape once in reverse. This is what a
// run-time tape costs. (It is a kinder baseline than micrograd itself: partials are stored as
// numbers, not as one closure per node, and the tape is already in topological order, so no sort.)

export class Node {
  g = 0;
  constructor(
    public v: number,
    public a: Node | null = null,
    public da = 0,
    public b: Node | null = null,
    public db = 0,
  ) {}
}

let tape: Node[] = [];

/** Start a new recording: leaves made after this are the inputs. */
export function reset(): void {
  tape = [];
}

export const leaf = (v: number): Node => new Node(v);
export const constant = (v: number): Node => new Node(v);

function rec(n: Node): Node {
  tape.push(n);
  return n;
}

export const add = (x: Node, y: Node): Node => rec(new Node(x.v + y.v, x, 1, y, 1));
export const sub = (x: Node, y: Node): Node => rec(new Node(x.v - y.v, x, 1, y, -1));
export const mul = (x: Node, y: Node): Node => rec(new Node(x.v * y.v, x, y.v, y, x.v));
export const div = (x: Node, y: Node): Node => rec(new Node(x.v / y.v, x, 1 / y.v, y, -x.v / (y.v * y.v)));
export const neg = (x: Node): Node => rec(new Node(-x.v, x, -1));
export const addc = (x: Node, c: number): Node => rec(new Node(x.v + c, x, 1));
export const mulc = (x: Node, c: number): Node => rec(new Node(x.v * c, x, c));
/** c - x */
export const rsubc = (c: number, x: Node): Node => rec(new Node(c - x.v, x, -1));
export const square = (x: Node): Node => rec(new Node(x.v * x.v, x, 2 * x.v));
export function exp(x: Node): Node {
  const e = Math.exp(x.v);
  return rec(new Node(e, x, e));
}
export const log = (x: Node): Node => rec(new Node(Math.log(x.v), x, 1 / x.v));
export function tanh(x: Node): Node {
  const t = Math.tanh(x.v);
  return rec(new Node(t, x, 1 - t * t));
}
export function sigmoid(x: Node): Node {
  const s = 1 / (1 + Math.exp(-x.v));
  return rec(new Node(s, x, s * (1 - s)));
}

/** Propagate from `out` (seeded with 1) to every node recorded since `reset`. */
export function backward(out: Node): void {
  out.g = 1;
  for (let i = tape.length - 1; i >= 0; i--) {
    const n = tape[i]!;
    const g = n.g;
    if (g === 0) continue;
    if (n.a) n.a.g += n.da * g;
    if (n.b) n.b.g += n.db * g;
  }
  tape = [];
}

export const leaves = (xs: ArrayLike<number>): Node[] => Array.from(xs, leaf);
export const grads = (ns: Node[]): number[] => ns.map((n) => n.g);
