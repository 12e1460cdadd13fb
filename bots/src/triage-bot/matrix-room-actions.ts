/**
 * The queue's decisions carried into Matrix rooms (`CaseRoomActions` of
 * queue/case-room-actions.ts): invites and withdrawn invites for companions,
 * queue notices to the victim, crisis alerts to on-shift staff through the
 * duty room.
 */
import { type MatrixClient, MsgType } from "matrix-js-sdk";
import type { CaseRoomActions } from "../queue/index.ts";
import type { CaseRow } from "../storage/index.ts";
import { queueNotice } from "../triage/index.ts";
import type { DutyRoom } from "./duty-room.ts";

export class MatrixRoomActions implements CaseRoomActions {
  constructor(
    private readonly client: MatrixClient,
    private readonly duty: DutyRoom,
    /** Remembers the queue notice's event id, so later updates edit it. */
    private readonly rememberNotice: (caseId: string, eventId: string) => void,
  ) {}

  async invite(roomId: string, userId: string): Promise<void> {
    const membership = await this.membershipOf(roomId, userId);
    if (membership === "invite" || membership === "join") return;
    await this.client.invite(roomId, userId);
  }

  async withdrawInvite(roomId: string, userId: string): Promise<void> {
    // Only a pending invite is taken back; someone who joined stays.
    if ((await this.membershipOf(roomId, userId)) !== "invite") return;
    await this.client.kick(roomId, userId);
  }

  /**
   * As the homeserver has it now. The client's room can be out of date: a bot
   * back in a closed case's room (docs/QUEUE.md "After closing") still holds its
   * members as they were when it left, and lazy-loaded members bring no news of
   * a companion who left meanwhile.
   */
  private async membershipOf(roomId: string, userId: string): Promise<string | undefined> {
    try {
      const content = await this.client.getStateEvent(roomId, "m.room.member", userId);
      return typeof content.membership === "string" ? content.membership : undefined;
    } catch {
      return undefined;
    }
  }

  async queueUpdate(c: CaseRow, position: number, expectedWaitMinutes: number | null): Promise<void> {
    const notice = queueNotice(c.language ?? "ko", position, expectedWaitMinutes).content;
    if (c.queueNoticeEventId) {
      await this.client.sendMessage(c.roomId, {
        msgtype: MsgType.Notice,
        body: `* ${String(notice.body)}`,
        "m.new_content": notice,
        "m.relates_to": { rel_type: "m.replace", event_id: c.queueNoticeEventId },
      } as never);
      return;
    }
    const { event_id } = await this.client.sendMessage(c.roomId, notice as never);
    this.rememberNotice(c.id, event_id);
  }

  async crisisAlert(c: CaseRow, staffUserIds: string[]): Promise<void> {
    await this.duty.alert(c, staffUserIds);
  }
}
