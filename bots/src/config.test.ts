import { describe, expect, it } from "vitest";
import { botsConfigFromEnv, MIN_CLOSED_CASE_RETENTION_DAYS } from "./config.ts";

const DAY = 86_400_000;

describe("ONSAFE_CLOSED_CASE_RETENTION_DAYS", () => {
  it("keeps closed cases 90 days unless set", () => {
    expect(botsConfigFromEnv({}).closedCaseRetentionMs).toBe(90 * DAY);
    expect(botsConfigFromEnv({ ONSAFE_CLOSED_CASE_RETENTION_DAYS: "365" }).closedCaseRetentionMs).toBe(365 * DAY);
    expect(botsConfigFromEnv({ ONSAFE_CLOSED_CASE_RETENTION_DAYS: "14" }).closedCaseRetentionMs).toBe(14 * DAY);
  });

  it("refuses to start with 0 or anything under the minimum, rather than erase at once", () => {
    expect(MIN_CLOSED_CASE_RETENTION_DAYS).toBe(14);
    for (const value of ["0", "1", "13", "-5", "ninety"]) {
      expect(() => botsConfigFromEnv({ ONSAFE_CLOSED_CASE_RETENTION_DAYS: value })).toThrow(/ONSAFE_CLOSED_CASE_RETENTION_DAYS/);
    }
  });
});
