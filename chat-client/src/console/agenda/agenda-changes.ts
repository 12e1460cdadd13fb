/**
 * What the victim changed between two agenda refreshes, so the companion hears
 * of it without watching the appointments room: a booking, a new time, a
 * request for other times, a cancellation. Changes the companion made here
 * are not news to them (cancelled_by "companion"; their own reschedule clears the time).
 */
import type { AppointmentJson } from "@onsafe/schema/ops-api";

export type AgendaChange = "booked" | "moved" | "needs_times" | "cancelled";

export interface AgendaNews {
  id: string;
  caseId: string;
  change: AgendaChange;
}

export function victimChanges(before: readonly AppointmentJson[], after: readonly AppointmentJson[]): AgendaNews[] {
  const earlier = new Map(before.map((a) => [a.id, a]));
  const news: AgendaNews[] = [];
  for (const a of after) {
    // One that came and changed between two refreshes counts from its start: being arranged.
    const was = earlier.get(a.id) ?? { ...a, status: "requested", step: "kind", starts_at: null, cancelled_by: null };
    const change = changeOf(was, a);
    if (change) news.push({ id: a.id, caseId: a.case_id, change });
  }
  return news;
}

function changeOf(was: AppointmentJson, now: AppointmentJson): AgendaChange | null {
  if (now.status === "cancelled") return was.status !== "cancelled" && now.cancelled_by === "victim" ? "cancelled" : null;
  if (now.step === "waiting_for_times" && was.step !== "waiting_for_times") return "needs_times";
  if (now.status === "confirmed" && was.status !== "confirmed") return "booked";
  if (now.status === "confirmed" && was.starts_at !== null && now.starts_at !== was.starts_at) return "moved";
  return null;
}
