import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "node",
    reporters: ["default", "./test-summary-reporter.ts"],
    include: ["**/src/**/*.test.ts", "**/test/**/*.test.ts", "bench/harness/*.test.ts", "test-support/architecture/*.test.ts"],
    // The long checks (issue 10) run with `npm run check:deep` (vitest.deep.config.ts).
    exclude: ["**/node_modules/**", "**/*.deep.test.ts"],
    // Bounds that only end a failed test: an end-to-end test of many steps takes minutes when the two cores are
    // shared (npm test beside other work); its waits are on conditions. Browser files get more (browser-stack.ts).
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The end-to-end tests each start a homeserver and crypto clients; two cores.
    maxWorkers: 2,
  },
});
