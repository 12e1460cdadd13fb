/**
 * Who gets offered a case (docs/QUEUE.md "Routing"). A pure function of the
 * case's language, the staff on shift with their loads, and who turned the
 * case down before, so the rules are tested without a database.
 */
import type { StaffMember } from "../storage/index.ts";

export interface Candidate {
  member: StaffMember;
  /** Assigned open cases plus pending offers. */
  load: number;
}

/** How an earlier offer of this case to someone ended. */
export type Refusal = "declined" | "expired";

export function chooseCompanion(language: string | null, candidates: Candidate[], refusals: Map<string, Refusal>): string | null {
  const staff = candidates.filter((c) => c.member.onShift && c.member.kind !== "partner");
  let pool = staff.filter((c) => !refusals.has(c.member.userId));
  // Everyone left has had it: ring those who only missed it again, never those who said no.
  if (pool.length === 0) pool = staff.filter((c) => refusals.get(c.member.userId) === "expired");
  if (language !== null) {
    const speakers = pool.filter((c) => c.member.languages.includes(language));
    // A speaker on shift is worth waiting for, even when busy right now.
    if (speakers.length > 0) pool = speakers;
  }
  const free = pool.filter((c) => c.load < c.member.capacity);
  free.sort((a, b) =>
    a.load / a.member.capacity - b.load / b.member.capacity
    || (a.member.lastAssignedAt ?? 0) - (b.member.lastAssignedAt ?? 0)
    || a.member.userId.localeCompare(b.member.userId));
  return free[0]?.member.userId ?? null;
}
