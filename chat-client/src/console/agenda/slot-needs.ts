/**
 * What the appointments waiting for times need of the companion's slots (issue 19): a police interview
 * needs 120 minutes, and two free 90-minute slots must not look like times on offer. Pure: from the
 * agenda and the slots the ops API gives, with each kind's length from the schema (docs/SCHEDULING.md).
 */
import type { AppointmentJson, SlotJson } from "@onsafe/schema/ops-api";
import { APPOINTMENT_KIND_INFO, type AppointmentKind } from "@onsafe/schema/scheduling";

export interface Need {
  appointmentId: string;
  caseId: string;
  kind: AppointmentKind;
  minutes: number;
}

/** Open appointments whose victim waits for times, with the length their kind needs; the longest first. */
export function waitingNeeds(appointments: readonly AppointmentJson[]): Need[] {
  return appointments
    .filter((a): a is AppointmentJson & { kind: AppointmentKind } => a.status !== "cancelled" && a.step === "waiting_for_times" && a.kind !== null)
    .map((a) => ({ appointmentId: a.id, caseId: a.case_id, kind: a.kind, minutes: APPOINTMENT_KIND_INFO[a.kind].minutes }))
    .sort((x, y) => y.minutes - x.minutes);
}

/** The length to publish a slot with: the longest a waiting appointment needs, or `fallback` when none waits. */
export function neededLength(needs: readonly Need[], fallback: number): number {
  return needs[0]?.minutes ?? fallback;
}

/** For a free slot shorter than a waiting appointment needs: the longest such need (what it is too short for). */
export function tooShortFor(slot: SlotJson, needs: readonly Need[]): Need | null {
  if (slot.appointment_id !== null) return null;
  const minutes = (slot.ends_at - slot.starts_at) / 60_000;
  return needs.find((n) => n.minutes > minutes) ?? null;
}
