// `backprop-ts/esbuild`: the esbuild plugin.
import type { Plugin } from "esbuild";
import type { BackpropPluginOptions } from "./options.js";
import { unplugin } from "./unplugin.js";

export type { BackpropPluginOptions };

export const backprop: (options?: BackpropPluginOptions) => Plugin = (options) => unplugin.esbuild(options);

export default backprop;
