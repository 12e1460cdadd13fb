/**
 * Issue 10's fuzzer, short: a few thousand malformed and hostile requests
 * (test-support/fuzz/) against a homeserver process. No 5xx, every error a
 * Matrix error, nothing accepted that must be refused, the process alive and
 * the database unchanged. `fuzz.deep.test.ts` sends 100,000.
 */
import { describe, expect, it } from "vitest";
import { fuzzHomeserver } from "../../test-support/fuzz/scenario.ts";

describe("fuzzing the homeserver", () => {
  it("refuses 4,000 hostile requests cleanly and changes nothing", async () => {
    const { report, before, after, alive } = await fuzzHomeserver(20261126, 4_000);
    expect(report.findings.slice(0, 20)).toEqual([]);
    expect(report.sent).toBe(4_000);
    // The run reaches every layer: replays answered, the token check, validation, membership checks, lookups, the body limit.
    for (const status of [200, 400, 401, 403, 404, 413]) expect(report.byStatus[status]).toBeGreaterThan(0);
    expect(alive).toBe(true);
    expect(after).toEqual(before);
  }, 120_000);
});
