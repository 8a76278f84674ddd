// Vitest runs our own Vite plugin from source, so every test exercises the current transformer.
// `backprop-ts` (the runtime the generated code imports) resolves to its source as in tsconfig paths.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { backprop } from "./src/transformer/host/vite.js";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

const transformed = backprop({ tsconfig: here("./tsconfig.json") });
// The gradient tests also run through the plain transform (no activity/TBR/recompute), so every
// optimisation is checked against the same finite differences.
const plain = backprop({ tsconfig: here("./tsconfig.json"), optimize: false });

export default defineConfig({
  resolve: {
    alias: [{ find: /^backprop-ts$/, replacement: here("./src/runtime/index.ts") }],
  },
  test: {
    projects: [
      {
        extends: true,
        plugins: [transformed],
        test: {
          name: "unit",
          include: ["test/**/*.test.ts"],
          exclude: ["test/integration/**", "test/fixtures/**", "test/errors/**", "**/node_modules/**"],
        },
      },
      {
        extends: true,
        plugins: [plain],
        test: {
          name: "unit-plain",
          include: ["test/gradients/*.test.ts"],
        },
      },
      {
        // Packs the package and installs it into temp projects from the npm registry: minutes, not ms.
        extends: true,
        plugins: [transformed],
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
