/**
 * Pager rooms (docs/CRISIS.md "The alert"): each staff member's one-to-one
 * encrypted room with the triage bot, created and invited on their first page,
 * its id kept in `pager_rooms`. In a two-member encrypted room the spec's
 * default push rule `.m.rule.encrypted_room_one_to_one` notifies with sound,
 * and the invite matches `.m.rule.invite_for_me`, so the homeserver pushes a
 * page to that person's devices and to nobody else's.
 */
import { type MatrixClient, MsgType, Preset, type Room, Visibility } from "matrix-js-sdk";
import { pageAlert, pageBody, type Page, type Pager } from "../crisis/page.ts";
import type { Clock } from "../queue/index.ts";
import { roomSynced } from "../runtime/room-synced.ts";
import type { BotsTables } from "../storage/index.ts";

/** What marks a pager room from its creation on, so the console joins it by itself and never lists it as a conversation. */
export const PAGER_ROOM_MARK = { "org.onsafe.room": "pager" } as const;

export class MatrixPager implements Pager {
  private readonly creating = new Map<string, Promise<string>>();

  constructor(private readonly client: MatrixClient, private readonly t: BotsTables, private readonly clock: Clock) {}

  async page(userIds: string[], page: Page): Promise<void> {
    // One at a time would let one slow room delay everyone's page; one failure must not cost the others theirs.
    await Promise.all(userIds.map((userId) => this.pageOne(userId, page).catch((error: Error & { errcode?: string }) => {
      // The case id and the error's code only: a Matrix error's message holds the room's URL.
      console.error(`pager: a page for ${page.caseId} failed: ${error.errcode ?? error.name}`);
    })));
  }

  private async pageOne(userId: string, page: Page): Promise<void> {
    const roomId = await this.roomOf(userId);
    const present = (room: Room) => ["join", "invite"].includes(room.getMember(userId)?.membership ?? "");
    // Until the new room came back through sync the client does not know it is encrypted, and would send in the clear.
    if (!(await roomSynced(this.client, roomId, (room) => room.hasEncryptionStateEvent()))) throw new Error("the pager room has not synced");
    // Someone who left or rejected their pager room is invited back: a page must reach them.
    if (!present(this.client.getRoom(roomId)!)) await this.client.invite(roomId, userId);
    // The room key goes to the members the client knows of: wait until the invite came back through sync.
    if (!(await roomSynced(this.client, roomId, present))) throw new Error("the pager room's invite has not synced");
    await this.client.sendMessage(roomId, {
      // m.text, not m.notice: the default rule `.m.rule.suppress_notices` would silence a notice.
      msgtype: MsgType.Text,
      body: pageBody(page),
      "m.mentions": { user_ids: [userId] },
      "org.onsafe.alert": pageAlert(page),
    } as never);
  }

  private roomOf(userId: string): Promise<string> {
    const known = this.t.pagerRooms.roomOf(userId);
    if (known) return Promise.resolve(known);
    let creating = this.creating.get(userId);
    if (!creating) {
      creating = this.client.createRoom({
        name: "onsafe pager",
        preset: Preset.PrivateChat,
        visibility: Visibility.Private,
        // Invited by pageOne once the room is kept: the homeserver pushes the invite, and the push gateway must already know this is a pager room.
        creation_content: PAGER_ROOM_MARK,
        initial_state: [
          { type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } },
          // The person reads pages from their invite on, before they join.
          { type: "m.room.history_visibility", state_key: "", content: { history_visibility: "invited" } },
        ],
      }).then(({ room_id }) => {
        this.t.pagerRooms.set(userId, room_id, this.clock.now());
        return room_id;
      }).finally(() => this.creating.delete(userId));
      this.creating.set(userId, creating);
    }
    return creating;
  }
}
