import { grad } from "backprop-ts";

declare function external(x: number): number;

export const df = grad(external);
