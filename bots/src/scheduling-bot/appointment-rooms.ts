/**
 * The scheduling bot's rooms (`AppointmentRooms`): one encrypted appointments
 * room per case with the victim and the companion, no name or topic (state is
 * not encrypted), history visible to the invited, so the first question can
 * be read once they join. Its id is kept in `scheduling_rooms`.
 */
import { type MatrixClient, Preset, type Room, Visibility } from "matrix-js-sdk";
import { type OutgoingFile, sendEncryptedFile } from "../runtime/send-file.ts";
import { roomSynced } from "../runtime/room-synced.ts";
import type { Clock } from "../queue/clock.ts";
import type { AppointmentRooms } from "../scheduling/scheduler.ts";
import type { BotsTables, CaseRow } from "../storage/index.ts";
import { sendAll } from "../runtime/send.ts";
import type { Outgoing } from "../runtime/outgoing-message.ts";

export class MatrixAppointmentRooms implements AppointmentRooms {
  /** Rooms being created, per case, so two requests at once make one room. */
  private readonly creating = new Map<string, Promise<string>>();

  constructor(private readonly client: MatrixClient, private readonly t: BotsTables, private readonly clock: Clock) {}

  async open(c: CaseRow, companionId: string): Promise<string> {
    const roomId = this.t.schedulingRooms.ofCase(c.id)?.roomId ?? await this.create(c, companionId);
    const wanted = [c.visitorId, companionId];
    const present = (room: Room, userId: string) => ["join", "invite"].includes(room.getMember(userId)?.membership ?? "");
    if (!(await roomSynced(this.client, roomId, (room) => room.hasEncryptionStateEvent()))) throw new Error("the appointments room has not synced");
    for (const userId of wanted) {
      if (present(this.client.getRoom(roomId)!, userId)) continue;
      // A victim who deleted their account cannot be invited again; the others still can.
      await this.client.invite(roomId, userId).catch((error: Error) => console.error(`scheduling: an invite failed: ${error.message.slice(0, 200)}`));
    }
    // The room key goes to the members the client knows of: wait until the invites came back through sync.
    await roomSynced(this.client, roomId, (room) => wanted.every((userId) => present(room, userId) || room.getMember(userId)?.membership === "leave"));
    return roomId;
  }

  send(roomId: string, messages: Outgoing[], answering: string): Promise<string[]> {
    return sendAll(this.client, roomId, messages, answering);
  }

  async sendFile(roomId: string, file: OutgoingFile, answering: string): Promise<void> {
    await sendEncryptedFile(this.client, roomId, file, answering);
  }

  private create(c: CaseRow, companionId: string): Promise<string> {
    let creating = this.creating.get(c.id);
    if (!creating) {
      creating = this.client.createRoom({
        preset: Preset.PrivateChat,
        visibility: Visibility.Private,
        invite: [c.visitorId, companionId],
        initial_state: [
          { type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } },
          { type: "m.room.history_visibility", state_key: "", content: { history_visibility: "invited" } },
        ],
      }).then(({ room_id }) => {
        this.t.schedulingRooms.insert(c.id, room_id, this.clock.now());
        return room_id;
      }).finally(() => this.creating.delete(c.id));
      this.creating.set(c.id, creating);
    }
    return creating;
  }
}
