import { describe, expect, it } from "vitest";
import type { AppointmentJson } from "@onsafe/schema/ops-api";
import { victimChanges } from "./agenda-changes.ts";

const base: AppointmentJson = {
  id: "a-abc123", case_id: "c-abc123", companion_id: "@mina:test", kind: "counselling_visit", status: "requested", step: "time",
  starts_at: null, ends_at: null, place: null, cancelled_by: null, created_at: 1, confirmed_at: null, cancelled_at: null,
};
const confirmed = { ...base, status: "confirmed", step: "settled", starts_at: 1000, ends_at: 2000, place: "centre" } as const;

describe("victimChanges", () => {
  it("tells a booking, a new time, a request for other times and a cancellation by the victim", () => {
    expect(victimChanges([base], [confirmed])).toEqual([{ id: base.id, caseId: base.case_id, change: "booked" }]);
    expect(victimChanges([confirmed], [{ ...confirmed, starts_at: 5000, ends_at: 6000 }])[0].change).toBe("moved");
    expect(victimChanges([base], [{ ...base, step: "waiting_for_times" }])[0].change).toBe("needs_times");
    expect(victimChanges([confirmed], [{ ...confirmed, status: "cancelled", cancelled_by: "victim" }])[0].change).toBe("cancelled");
  });

  it("tells what happened to an appointment that came and changed between two refreshes", () => {
    expect(victimChanges([], [confirmed])[0].change).toBe("booked");
    expect(victimChanges([], [{ ...base, step: "waiting_for_times" }])[0].change).toBe("needs_times");
  });

  it("stays quiet about the companion's own changes, a new appointment being arranged and nothing new", () => {
    expect(victimChanges([confirmed], [{ ...confirmed, status: "cancelled", cancelled_by: "companion" }])).toEqual([]);
    // The companion's reschedule gives the slot up: no time, asked again.
    expect(victimChanges([confirmed], [{ ...confirmed, status: "requested", step: "time", starts_at: null, ends_at: null }])).toEqual([]);
    expect(victimChanges([], [base])).toEqual([]);
    expect(victimChanges([confirmed], [confirmed])).toEqual([]);
  });
});
