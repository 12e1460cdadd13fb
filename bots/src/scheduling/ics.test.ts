import { describe, expect, it } from "vitest";
import { appointmentIcs, ICS_TITLE } from "./ics.ts";

/** Unfolds RFC 5545 lines (a CRLF followed by a space continues the line). */
const unfold = (ics: string) => ics.replace(/\r\n /g, "").split("\r\n");

describe("appointment .ics", () => {
  const base = { uid: "a-abc123@appointments", startsAt: Date.UTC(2026, 11, 3, 5, 0), endsAt: Date.UTC(2026, 11, 3, 7, 0), stamp: Date.UTC(2026, 10, 26, 1, 2, 3) };

  it("has UTC times, a discreet title and the typed location escaped", () => {
    const lines = unfold(appointmentIcs({ ...base, location: "역삼역 카페, 2층; 창가\\B" }));
    expect(lines).toContain("DTSTART:20261203T050000Z");
    expect(lines).toContain("DTEND:20261203T070000Z");
    expect(lines).toContain("DTSTAMP:20261126T010203Z");
    expect(lines).toContain(`SUMMARY:${ICS_TITLE}`);
    expect(lines).toContain("LOCATION:역삼역 카페\\, 2층\\; 창가\\\\B");
    expect(lines.join("\n")).not.toMatch(/onsafe|police|경찰|court|법원/i);
  });

  it("folds long lines at 75 octets without splitting a character, and ends lines with CRLF", () => {
    const ics = appointmentIcs({ ...base, location: "서울특별시 ".repeat(20) });
    for (const line of ics.split("\r\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(ics.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(ics).not.toContain("\uFFFD");
    expect(unfold(ics).find((l) => l.startsWith("LOCATION:"))).toBe(`LOCATION:${"서울특별시 ".repeat(20)}`);
  });

  it("leaves out the location when none was given", () => {
    expect(appointmentIcs({ ...base, location: null })).not.toContain("LOCATION");
  });
});
