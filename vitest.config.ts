import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));
// `server-only` throws outside React Server Components; tests run server code directly.
const alias = { "@": root, "server-only": fileURLToPath(new URL("./test/server-only-stub.ts", import.meta.url)) };

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          setupFiles: ["test/fast-check-setup.ts"],
          include: ["server/**/*.test.ts", "components/**/*.test.ts", "sdk/**/*.test.ts", "scripts/**/*.test.ts", "test/*.test.ts"],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
          environment: "node",
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          setupFiles: ["test/fast-check-setup.ts"],
          // Integration tests live in test/integration/ only (test/repository-layout.test.ts keeps it so).
          include: ["test/integration/*.int.test.ts"],
          environment: "node",
          globalSetup: ["test/integration/global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // One database for the run; each test file works in its own org, so files may run together.
          maxWorkers: 2,
        },
      },
      {
        resolve: { alias },
        test: {
          // Tests that run the built app as separate processes. They get a database of their own:
          // those processes run the job queue, whose org-wide jobs (rollout evaluation, sweeps) must
          // not act on the rows in-process tests are looking at. One file at a time: each starts
          // several apps, and two cores are what the machine has.
          name: "processes",
          setupFiles: ["test/fast-check-setup.ts"],
          include: ["test/integration/processes/*.int.test.ts"],
          environment: "node",
          globalSetup: ["test/integration/global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          maxWorkers: 1,
        },
      },
    ],
  },
});
