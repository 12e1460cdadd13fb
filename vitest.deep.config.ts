import { defineConfig } from "vitest/config";

/**
 * `npm run check:deep` (issue 10): the long reliability and security checks
 * (`*.deep.test.ts`: the 100,000-request fuzzer, SIGKILL during bursts),
 * left out of `npm test` for time. Fast versions of the same checks run there.
 */
export default defineConfig({
  test: {
    environment: "node",
    reporters: ["default", "./test-summary-reporter.ts"],
    include: ["**/*.deep.test.ts"],
    exclude: ["**/node_modules/**"],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    maxWorkers: 1,
  },
});
