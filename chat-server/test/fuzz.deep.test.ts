/**
 * Issue 10's fuzzer, long (`npm run check:deep`): 100,000 malformed and
 * hostile requests against a homeserver process and 20,000 against the ops
 * API, with the checks of `fuzz.test.ts` and `fuzz-ops-api.test.ts`.
 */
import { describe, expect, it } from "vitest";
import { fuzzOpsApi } from "../../test-support/fuzz/ops-scenario.ts";
import { fuzzHomeserver } from "../../test-support/fuzz/scenario.ts";

describe("fuzzing the homeserver, deep", () => {
  it("refuses 100,000 hostile requests cleanly and changes nothing", async () => {
    const { report, before, after, alive } = await fuzzHomeserver(10_2026, 100_000);
    console.log(`fuzz: ${report.sent} requests in ${report.ms} ms`, report.byKind, report.byStatus);
    expect(report.findings.slice(0, 20)).toEqual([]);
    expect(report.findings.length).toBe(0);
    expect(report.sent).toBe(100_000);
    // The run reaches every layer: replays answered, the token check, validation, membership checks, lookups, the body limit.
    for (const status of [200, 400, 401, 403, 404, 413]) expect(report.byStatus[status]).toBeGreaterThan(0);
    expect(alive).toBe(true);
    expect(after).toEqual(before);
  });

  it("refuses 20,000 hostile ops API requests cleanly and changes nothing", async () => {
    const { report, databaseUnchanged, matrixActions } = await fuzzOpsApi(10_2026, 20_000);
    console.log(`ops fuzz: ${report.sent} requests in ${report.ms} ms`, report.byKind, report.byStatus);
    expect(report.findings.slice(0, 20)).toEqual([]);
    expect(report.sent).toBe(20_000);
    for (const status of [400, 401, 403, 404, 413]) expect(report.byStatus[status]).toBeGreaterThan(0);
    expect(databaseUnchanged).toBe(true);
    expect(matrixActions).toBe(0);
  });
});
