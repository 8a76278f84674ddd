// Options of the bundler plugins (kept free of unplugin's types so the published .d.ts are small).
export type FilterPattern = string | RegExp | ReadonlyArray<string | RegExp>;

export interface BackpropPluginOptions {
  /** tsconfig.json to type-check with (default: nearest one from Vite's root / the cwd) */
  tsconfig?: string;
  /** run the pipeline's optimisations (default true) */
  optimize?: boolean;
  /** further restrict which files are transformed (globs or RegExps) */
  include?: FilterPattern;
  exclude?: FilterPattern;
}
