// Private config for the runtime tests: no transformer plugin, so they run (and test the
// untransformed behaviour) whatever state the root config is in.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: new URL("../..", import.meta.url).pathname,
    include: ["test/runtime/**/*.test.ts"],
  },
});
