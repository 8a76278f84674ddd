// What ts-patch loads as `backprop-ts/transformer`: the transformer (tspc.ts, bundled on its own as
// transformer-impl.cjs) read through a V8 code cache, since every tsc/tspc run is a cold start.
import * as path from "node:path";
import { requireWithCodeCache } from "./code-cache.js";
import type backpropTransformer from "./tspc.js";

declare const __dirname: string;

export default requireWithCodeCache(path.join(__dirname, "transformer-impl.cjs")) as typeof backpropTransformer;
