/**
 * Who may bring a victim into a new room with them (an appointment, a
 * referral, a helper bot invited into the counselling room): the companion the
 * case is with, and no one else, supervisors included. A supervisor who must
 * act takes the case over with a transfer first, so the victim always meets
 * the person their case is with (docs/OPS-API.md "Who may act on what").
 */
import type { BotsTables, CaseRow, StaffMember } from "../storage/index.ts";

export function isCaseCompanion(c: CaseRow, userId: string): boolean {
  return c.status === "assigned" && c.assignedTo === userId;
}

/**
 * The case of `roomId` and the staff member `inviterId`, when they may bring a
 * helper bot into the case's room (runtime/room-visit.ts); else undefined.
 */
export function companionBringing(t: BotsTables, inviterId: string, roomId: string): { c: CaseRow; staff: StaffMember } | undefined {
  const staff = t.staff.get(inviterId);
  const c = t.cases.byRoom(roomId);
  return staff && c && isCaseCompanion(c, staff.userId) ? { c, staff } : undefined;
}
