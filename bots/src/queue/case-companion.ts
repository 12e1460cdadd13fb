/**
 * Who may bring a victim into a new room with them (an appointment, a
 * referral, a helper bot invited into the counselling room): the companion the
 * case is with, and no one else, supervisors included. A supervisor who must
 * act takes the case over with a transfer first, so the victim always meets
 * the person their case is with (docs/OPS-API.md "Who may act on what").
 */
import type { CaseRow } from "../storage/index.ts";

export function isCaseCompanion(c: CaseRow, userId: string): boolean {
  return c.status === "assigned" && c.assignedTo === userId;
}
