import { describe, expect, it } from "vitest";
import type { VisitContent } from "@onsafe/schema/scheduling";
import { visitTimes } from "./visit-format.ts";

// 27 November 2026, 14:00 to 15:00 in Seoul (UTC+9, no summer time) is 05:00 to 06:00 UTC.
const visit: VisitContent = {
  stage: "confirmed",
  appointment_id: "a-abc123",
  kind: "counselling_visit",
  starts_at: Date.UTC(2026, 10, 27, 5, 0),
  ends_at: Date.UTC(2026, 10, 27, 6, 0),
  time_zone: "Asia/Seoul",
};

describe("visitTimes", () => {
  it("shows the time in the appointment's zone, in Korean and English", () => {
    const ko = visitTimes(visit, "ko", "Asia/Seoul")!;
    expect(ko).toContain("11월 27일");
    expect(ko).toContain("(금)");
    expect(ko).toMatch(/오후 2:00\s*~\s*3:00/);
    const en = visitTimes(visit, "en", "Asia/Seoul")!;
    expect(en).toBe("Fri 27 November, 14:00–15:00");
  });

  it("names the zone when the phone is set to another one, and never shows the phone's own time", () => {
    const en = visitTimes(visit, "en", "Europe/London")!;
    expect(en).toBe("Fri 27 November, 14:00–15:00 GMT+9");
    expect(visitTimes(visit, "ko", "UTC")).toMatch(/오후 2:00\s*~\s*3:00 GMT\+9$/);
  });

  it("has nothing to show without a time", () => {
    expect(visitTimes({ ...visit, starts_at: undefined, ends_at: undefined }, "en")).toBeNull();
  });
});
