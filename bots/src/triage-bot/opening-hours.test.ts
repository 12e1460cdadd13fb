import { describe, expect, it } from "vitest";
import type { ServiceHours } from "../config.ts";
import { nextOpening } from "./opening-hours.ts";

const hours: ServiceHours = { timeZone: "Asia/Seoul", days: [1, 2, 3, 4, 5], opens: "09:00", closes: "18:00" };
/** A time given in Korea time (UTC+9, no daylight saving). */
const seoul = (iso: string) => Date.parse(`${iso}+09:00`);

describe("next opening time for the after-hours message", () => {
  it("a weekday night points to the next morning", () => {
    // Wednesday 2026-11-25, 22:30 in Seoul.
    expect(nextOpening(hours, seoul("2026-11-25T22:30:00"), "en")).toBe("Thursday at 09:00 (Korea time)");
    expect(nextOpening(hours, seoul("2026-11-25T22:30:00"), "ko")).toBe("목요일 09:00 (한국 시간)");
  });

  it("early on a weekday it is today", () => {
    expect(nextOpening(hours, seoul("2026-11-26T06:00:00"), "en")).toBe("today at 09:00 (Korea time)");
  });

  it("Friday evening and the weekend point to Monday", () => {
    expect(nextOpening(hours, seoul("2026-11-27T19:00:00"), "en")).toBe("Monday at 09:00 (Korea time)");
    expect(nextOpening(hours, seoul("2026-11-29T12:00:00"), "ko")).toBe("월요일 09:00 (한국 시간)");
  });

  it("within the usual hours, with nobody on shift after all, it names the next usual opening", () => {
    expect(nextOpening(hours, seoul("2026-11-26T11:00:00"), "en")).toBe("Friday at 09:00 (Korea time)");
  });
});
