// Vitest runs our own Vite plugin from source, so every test exercises the current transformer.
// `backprop-ts` (the runtime the generated code imports) resolves to its source as in tsconfig paths.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { backprop } from "./src/transformer/host/vite.js";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  plugins: [backprop({ tsconfig: here("./tsconfig.json") })],
  resolve: {
    alias: [{ find: /^backprop-ts$/, replacement: here("./src/runtime/index.ts") }],
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: ["test/integration/**", "test/fixtures/**", "test/errors/**", "**/node_modules/**"],
        },
      },
      {
        // Packs the package and installs it into temp projects from the npm registry: minutes, not ms.
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/*.test.ts"],
          exclude: ["test/integration/projects/**"],
          globalSetup: ["test/integration/global-setup.ts"],
          testTimeout: 240_000,
          hookTimeout: 480_000,
        },
      },
    ],
  },
});
