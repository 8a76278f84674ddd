// `backprop-ts/vite`: the Vite plugin (Vitest uses it too; Vitest ignores tsconfig plugins).
import type { Plugin } from "vite";
import type { BackpropPluginOptions } from "./options.js";
import { unplugin } from "./unplugin.js";

export type { BackpropPluginOptions };

export const backprop: (options?: BackpropPluginOptions) => Plugin = (options) => unplugin.vite(options) as Plugin;

export default backprop;
