import { grad } from "backprop-ts";

class Base {
  constructor(public a: number) {}
  twice(): number {
    return 2 * this.a;
  }
}

class Derived extends Base {
  twice(): number {
    return super.twice() + 1;
  }
}

export const g = grad((x: number) => new Derived(x).twice());
