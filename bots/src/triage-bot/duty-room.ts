/**
 * The duty room: one encrypted room of the triage bot with the staff, where
 * crisis alerts and other staff notices go (ids, category, language; never
 * the victim's words), mentioning the staff they are for so their clients
 * notify them. Created on first need; its id is kept in the bots database.
 */
import { type MatrixClient, MsgType, Preset, type Room, Visibility } from "matrix-js-sdk";
import { roomSynced } from "../runtime/room-synced.ts";
import type { MetaStore } from "../storage/meta.ts";
import type { CaseRow } from "../storage/index.ts";

const META_KEY = "duty_room_id";

export class DutyRoom {
  private creating?: Promise<string>;

  constructor(private readonly client: MatrixClient, private readonly meta: MetaStore) {}

  async alert(c: CaseRow, staffUserIds: string[]): Promise<void> {
    const body = `Crisis case ${c.id} (${c.category ?? "category not yet known"}, ${c.language ?? "ko"}) is waiting: highest priority. `
      + `위기 사례 ${c.id}: 최우선으로 응대해 주세요.`;
    await this.notify(staffUserIds, body, { kind: "crisis", case_id: c.id });
  }

  /**
   * Posts a notice for staff, mentioning `staffUserIds` (invited first if they
   * are not in the room yet), with `org.onsafe.alert` for apps. Ids only in `alert`.
   */
  async notify(staffUserIds: string[], body: string, alert: Record<string, string>): Promise<void> {
    const roomId = await this.roomId();
    // Until the new room came back through sync the client does not know it is encrypted, and would send in the clear.
    if (!(await roomSynced(this.client, roomId, (room) => room.hasEncryptionStateEvent()))) throw new Error("the duty room has not synced");
    const present = (room: Room, userId: string) => ["join", "invite"].includes(room.getMember(userId)?.membership ?? "");
    for (const userId of staffUserIds) {
      if (present(this.client.getRoom(roomId)!, userId)) continue;
      // One failed invite (e.g. a join the client has not seen yet) must not cost the others their alert.
      await this.client.invite(roomId, userId).catch((error: Error) => console.error(`duty room: an invite failed: ${error.message.slice(0, 200)}`));
    }
    // The room key goes to the members the client knows of: wait until the invites came back through sync.
    await roomSynced(this.client, roomId, (room) => staffUserIds.every((userId) => present(room, userId)));
    await this.client.sendMessage(roomId, {
      msgtype: MsgType.Notice,
      body,
      "m.mentions": { user_ids: staffUserIds },
      "org.onsafe.alert": alert,
    } as never);
  }

  private roomId(): Promise<string> {
    const known = this.meta.get(META_KEY);
    if (known) return Promise.resolve(known);
    this.creating ??= this.client.createRoom({
      name: "onsafe duty",
      preset: Preset.PrivateChat,
      visibility: Visibility.Private,
      initial_state: [
        { type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } },
        // Staff invited later read the alerts from their invite on.
        { type: "m.room.history_visibility", state_key: "", content: { history_visibility: "invited" } },
      ],
    }).then(({ room_id }) => {
      this.meta.set(META_KEY, room_id);
      return room_id;
    });
    return this.creating;
  }
}
