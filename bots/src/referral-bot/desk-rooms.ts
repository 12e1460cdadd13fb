/**
 * The referral desk's rooms (`DeskRooms`): one encrypted direct room per case
 * and companion, with the bot and the companion only. No name or topic: state
 * is not encrypted, and the case id is said in the first message instead.
 */
import { type MatrixClient, Preset, Visibility } from "matrix-js-sdk";
import type { DeskRooms } from "../referrals/desk.ts";
import { readRoomEvent } from "../runtime/room-event.ts";
import { roomSynced } from "../runtime/room-synced.ts";
import { sendAll } from "../runtime/send.ts";
import type { Outgoing } from "../runtime/outgoing-message.ts";

export class MatrixDeskRooms implements DeskRooms {
  constructor(private readonly client: MatrixClient) {}

  async create(staffId: string): Promise<string> {
    const { room_id: roomId } = await this.client.createRoom({
      preset: Preset.PrivateChat,
      visibility: Visibility.Private,
      is_direct: true,
      invite: [staffId],
      initial_state: [
        { type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } },
        { type: "m.room.history_visibility", state_key: "", content: { history_visibility: "invited" } },
      ],
    });
    // The first question's key goes to the members the client knows of: wait until the invite came back through sync.
    const invited = (membership?: string) => membership === "invite" || membership === "join";
    if (!(await roomSynced(this.client, roomId, (room) => room.hasEncryptionStateEvent() && invited(room.getMember(staffId)?.membership)))) {
      throw new Error("the referral desk room has not synced");
    }
    return roomId;
  }

  send(roomId: string, messages: Outgoing[], answering: string): Promise<string[]> {
    return sendAll(this.client, roomId, messages, answering);
  }

  async textOf(roomId: string, eventId: string): Promise<string | null> {
    const body = (await readRoomEvent(this.client, roomId, eventId))?.getContent().body;
    return typeof body === "string" ? body : null;
  }
}
