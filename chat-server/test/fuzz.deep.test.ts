/**
 * Issue 10's fuzzer, long (`npm run check:deep`): 100,000 malformed and
 * hostile requests against a homeserver process, with the checks of
 * `fuzz.test.ts`.
 */
import { describe, expect, it } from "vitest";
import { fuzzHomeserver } from "../../test-support/fuzz/scenario.ts";

describe("fuzzing the homeserver, deep", () => {
  it("refuses 100,000 hostile requests cleanly and changes nothing", async () => {
    const { report, before, after, alive } = await fuzzHomeserver(10_2026, 100_000);
    console.log(`fuzz: ${report.sent} requests in ${report.ms} ms`, report.byKind, report.byStatus);
    expect(report.findings.slice(0, 20)).toEqual([]);
    expect(report.findings.length).toBe(0);
    expect(report.sent).toBe(100_000);
    expect(alive).toBe(true);
    expect(after).toEqual(before);
  });
});
