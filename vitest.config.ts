import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // DuckDB is native and multi-threaded; two cores are shared, so files run in forks.
    pool: "forks",
    maxWorkers: 2,
  },
});
