/**
 * The Matrix side of the queue, implemented by the triage bot
 * (triage-bot/matrix-room-actions.ts). The queue decides and records; these
 * calls carry the decisions into the victim's room.
 * All of them are best effort from the queue's point of view: a failure is
 * logged (case id only) and the recorded state stands.
 */
import type { CaseRow } from "../storage/index.ts";

export interface CaseRoomActions {
  /** Offer or claim: invite the companion into the victim's room. */
  invite(roomId: string, userId: string): Promise<void>;
  /** An offer expired, was declined or the case went to someone else: revoke a still-pending invite. Must not remove a member who has joined. */
  withdrawInvite(roomId: string, userId: string): Promise<void>;
  /** Tell the victim their place in the queue; `expectedWaitMinutes` is null when there is no honest estimate. */
  queueUpdate(c: CaseRow, position: number, expectedWaitMinutes: number | null): Promise<void>;
  /** Alert every on-shift companion and supervisor to a crisis case (ids only, never the victim's words). */
  crisisAlert(c: CaseRow, staffUserIds: string[]): Promise<void>;
}
