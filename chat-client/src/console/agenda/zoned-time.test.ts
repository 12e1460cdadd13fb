import { describe, expect, it } from "vitest";
import { formatSpan, todayIn, zonedInstant } from "./zoned-time.ts";

describe("times in the service's time zone", () => {
  it("turns a date and time on the service's clock into the instant, whatever the computer's zone", () => {
    expect(zonedInstant("2026-12-03", "14:00", "Asia/Seoul")).toBe(Date.parse("2026-12-03T14:00:00+09:00"));
    expect(zonedInstant("2026-12-31", "23:30", "Asia/Seoul")).toBe(Date.parse("2026-12-31T23:30:00+09:00"));
    // Both sides of a daylight saving change.
    expect(zonedInstant("2026-03-28", "10:00", "Europe/Berlin")).toBe(Date.parse("2026-03-28T10:00:00+01:00"));
    expect(zonedInstant("2026-03-30", "10:00", "Europe/Berlin")).toBe(Date.parse("2026-03-30T10:00:00+02:00"));
    expect(zonedInstant("2026-12-03", "", "Asia/Seoul")).toBeNaN();
  });

  it("knows the service's date, which may not be the computer's", () => {
    expect(todayIn("Asia/Seoul", Date.parse("2026-12-03T16:00:00Z"))).toBe("2026-12-04");
    expect(todayIn("Asia/Seoul", Date.parse("2026-12-03T14:59:00Z"))).toBe("2026-12-03");
  });

  it("shows a span as a companion reads it, in Korean and English", () => {
    const start = Date.parse("2026-12-03T14:00:00+09:00");
    expect(formatSpan(start, start + 3_600_000, "Asia/Seoul", "en")).toMatch(/^Thu,? 3 Dec,? 14:00\s?–\s?15:00$/);
    // Node's ICU may name the half of the day "PM" in Korean too; Chromium says "오후".
    expect(formatSpan(start, start + 3_600_000, "Asia/Seoul", "ko")).toMatch(/^12월 3일 \(목\) (오후|PM) 2:00\s?~\s?3:00$/);
    expect(formatSpan(start, null, "Asia/Seoul", "en")).toMatch(/^Thu,? 3 Dec,? 14:00$/);
  });
});
