/**
 * Issue 10's fuzzer on the ops API (test-support/fuzz/ops-requests.ts,
 * ops-scenario.ts), short: no 5xx, Matrix errors only, nothing accepted, the
 * bots database unchanged and nothing sent to Matrix. `fuzz.deep.test.ts`
 * sends more.
 */
import { describe, expect, it } from "vitest";
import { fuzzOpsApi } from "../../test-support/fuzz/ops-scenario.ts";

describe("fuzzing the ops API", () => {
  it.each([
    ["on its own port", "direct", 3_000],
    ["through the homeserver's /_onsafe/ proxy", "proxy", 1_500],
  ] as const)("refuses hostile requests %s cleanly and changes nothing", async (_, via, count) => {
    const { report, databaseUnchanged, matrixActions } = await fuzzOpsApi(20261126, count, via);
    console.log(`ops fuzz (${via}): ${report.sent} requests in ${report.ms} ms; waiting by kind (ms):`, report.msByKind);
    expect(report.findings.slice(0, 20)).toEqual([]);
    expect(report.sent).toBe(count);
    // The run reaches every layer: the token check, the staff check, the handlers' validation and lookups, the body limit.
    for (const status of [400, 401, 403, 404, 413]) expect(report.byStatus[status]).toBeGreaterThan(0);
    expect(databaseUnchanged).toBe(true);
    expect(matrixActions).toBe(0);
  }, 120_000);
});
