import type { AppointmentJson, SlotJson } from "@onsafe/schema/ops-api";
import { describe, expect, it } from "vitest";
import { neededLength, tooShortFor, waitingNeeds } from "./slot-needs.ts";

const appointment = (id: string, fields: Partial<AppointmentJson>): AppointmentJson => ({
  id, case_id: `c-${id.slice(2)}`, companion_id: "@mina:t", kind: null, status: "requested", step: "time", starts_at: null, ends_at: null,
  place: null, cancelled_by: null, created_at: 1, confirmed_at: null, cancelled_at: null, ...fields,
});
const slot = (minutes: number, appointmentId: string | null = null): SlotJson => ({ id: "s-aaaaaa", starts_at: 0, ends_at: minutes * 60_000, appointment_id: appointmentId });

describe("what waiting appointments need of the slots (issue 19)", () => {
  const police = appointment("a-police", { kind: "police_interview", step: "waiting_for_times" });
  const statement = appointment("a-statem", { kind: "statement_prep", step: "waiting_for_times" });

  it("lists only open appointments waiting for times with a kind, the longest need first", () => {
    const needs = waitingNeeds([
      statement, police,
      appointment("a-asking", { kind: "court_hearing", step: "time" }),
      appointment("a-cancel", { kind: "court_hearing", step: "waiting_for_times", status: "cancelled" }),
    ]);
    expect(needs.map((n) => [n.appointmentId, n.minutes])).toEqual([["a-police", 120], ["a-statem", 90]]);
    expect(neededLength(needs, 60)).toBe(120);
    expect(neededLength([], 60)).toBe(60);
  });

  it("finds free slots too short for a waiting appointment, never booked ones", () => {
    const needs = waitingNeeds([statement, police]);
    expect(tooShortFor(slot(90), needs)?.kind).toBe("police_interview");
    expect(tooShortFor(slot(60), needs)?.kind).toBe("police_interview");
    expect(tooShortFor(slot(120), needs)).toBeNull();
    expect(tooShortFor(slot(60, "a-other0"), needs)).toBeNull();
    expect(tooShortFor(slot(30), [])).toBeNull();
  });
});
