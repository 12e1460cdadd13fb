/**
 * Issue 10's fuzzer, long (`npm run check:deep`): 100,000 malformed and
 * hostile requests against a homeserver process, 20,000 against the ops API
 * on its own port and 5,000 through the homeserver's `/_onsafe/` proxy, with
 * the checks of `fuzz.test.ts` and `fuzz-ops-api.test.ts`.
 */
import { describe, expect, it } from "vitest";
import { fuzzOpsApi } from "../../test-support/fuzz/ops-scenario.ts";
import { fuzzHomeserver } from "../../test-support/fuzz/scenario.ts";

describe("fuzzing the homeserver, deep", () => {
  it("refuses 100,000 hostile requests cleanly and changes nothing", async () => {
    const { report, before, after, alive } = await fuzzHomeserver(10_2026, 100_000);
    console.log(`fuzz: ${report.sent} requests in ${report.ms} ms`, report.byKind, report.msByKind, report.byStatus);
    expect(report.findings.slice(0, 20)).toEqual([]);
    expect(report.findings.length).toBe(0);
    expect(report.sent).toBe(100_000);
    // The run reaches every layer: replays answered, the token check, validation, membership checks, lookups, the body limit.
    for (const status of [200, 400, 401, 403, 404, 413]) expect(report.byStatus[status]).toBeGreaterThan(0);
    expect(alive).toBe(true);
    expect(after).toEqual(before);
  });

  it.each([
    ["on its own port", "direct", 20_000],
    ["through the homeserver's /_onsafe/ proxy", "proxy", 5_000],
  ] as const)("refuses hostile ops API requests %s cleanly and changes nothing", async (_, via, count) => {
    const { report, databaseUnchanged, matrixActions } = await fuzzOpsApi(10_2026, count, via);
    console.log(`ops fuzz (${via}): ${report.sent} requests in ${report.ms} ms`, report.byKind, report.msByKind, report.byStatus);
    expect(report.findings.slice(0, 20)).toEqual([]);
    expect(report.sent).toBe(count);
    for (const status of [400, 401, 403, 404, 413]) expect(report.byStatus[status]).toBeGreaterThan(0);
    expect(databaseUnchanged).toBe(true);
    expect(matrixActions).toBe(0);
  });
});
