import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "node",
    reporters: ["default", "./test-summary-reporter.ts"],
    include: ["**/src/**/*.test.ts", "**/test/**/*.test.ts", "bench/harness/*.test.ts"],
    exclude: ["**/node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The end-to-end tests each start a homeserver and crypto clients; two cores.
    maxWorkers: 2,
  },
});
