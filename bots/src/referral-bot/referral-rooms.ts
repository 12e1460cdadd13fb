/**
 * The referral bot's rooms (`ReferralRooms`): one encrypted referral room per
 * referral, with the victim and the companion, history visible from one's
 * invite on: the victim reads the offer sent before they joined, and partner
 * staff, invited only after consent, never see the consent conversation (and
 * get no keys for it). No name or topic: state is not encrypted.
 */
import { type MatrixClient, Preset, type Room, Visibility } from "matrix-js-sdk";
import { readRoomEvent } from "../runtime/room-event.ts";
import { roomSynced } from "../runtime/room-synced.ts";
import { type OutgoingFile, sendEncryptedFile } from "../runtime/send-file.ts";
import type { ReferralRooms } from "../referrals/referral-flow.ts";
import type { CaseRow } from "../storage/index.ts";
import { sendAll } from "../runtime/send.ts";
import type { Outgoing } from "../runtime/outgoing-message.ts";

const present = (room: Room, userId: string) => ["join", "invite"].includes(room.getMember(userId)?.membership ?? "");

export class MatrixReferralRooms implements ReferralRooms {
  constructor(private readonly client: MatrixClient) {}

  async create(c: CaseRow, companionId: string): Promise<string> {
    const invite = [c.visitorId, companionId];
    const { room_id: roomId } = await this.client.createRoom({
      preset: Preset.PrivateChat,
      visibility: Visibility.Private,
      invite,
      initial_state: [
        { type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } },
        { type: "m.room.history_visibility", state_key: "", content: { history_visibility: "invited" } },
      ],
    });
    // Until the invites came back through sync the client would share the first key with nobody.
    if (!(await roomSynced(this.client, roomId, (room) => room.hasEncryptionStateEvent() && invite.every((u) => present(room, u))))) {
      throw new Error("the referral room has not synced");
    }
    return roomId;
  }

  send(roomId: string, messages: Outgoing[], answering: string): Promise<string[]> {
    return sendAll(this.client, roomId, messages, answering);
  }

  sendFile(roomId: string, file: OutgoingFile, answering: string): Promise<string> {
    return sendEncryptedFile(this.client, roomId, file, answering);
  }

  async invite(roomId: string, userIds: string[]): Promise<void> {
    for (const userId of userIds) {
      if (present(this.client.getRoom(roomId)!, userId)) continue;
      await this.client.invite(roomId, userId).catch((error: Error) => console.error(`referrals: an invite failed: ${error.message.slice(0, 200)}`));
    }
    // The next message's key goes to the members the client knows of: wait until the invites came back through sync.
    await roomSynced(this.client, roomId, (room) => userIds.every((userId) => present(room, userId)));
  }

  async remove(roomId: string, userIds: string[]): Promise<void> {
    for (const userId of userIds) {
      if (!present(this.client.getRoom(roomId)!, userId)) continue;
      await this.client.kick(roomId, userId);
    }
  }

  async summaryOf(roomId: string, offerEventId: string): Promise<string | null> {
    const summary = (await readRoomEvent(this.client, roomId, offerEventId))?.getContent()["org.onsafe.referral_summary"];
    return typeof summary === "string" ? summary : null;
  }
}
