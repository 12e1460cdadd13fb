/**
 * Account deactivation (`POST /account/deactivate`): the account stops working
 * at once, leaves every room, and what it left on the server is erased: the
 * content of every message it sent (pruned as a redaction prunes it), its
 * devices, keys, key backup, account data, receipts, filters and uploaded
 * media. The user row stays, marked deactivated, so the id is never reused.
 *
 * A visitor's conversation rooms that no visitor is in any more are erased
 * whole (services/conversation-erasure.ts): the companion's messages too.
 * This is what "delete my conversation" and an expired visitor account
 * (services/retention.ts) both come to.
 *
 * State events are left as they are: pruning them could undo a room's
 * encryption or power levels for the people still in it, and a visitor's
 * member events carry no profile.
 */
import type { Store } from "../storage/database.ts";
import { DeactivationStore } from "../storage/deactivation.ts";
import type { Writer } from "../storage/writer.ts";
import type { Session } from "./accounts.ts";
import type { DeviceLists } from "./device-lists.ts";
import type { Media } from "./media.ts";
import { eraseAbandonedRooms, pruneMessagesOf } from "./conversation-erasure.ts";
import { type Memberships, PRESENT } from "./memberships.ts";
import type { Rooms } from "./rooms.ts";

const EVER = ["join", "invite", "leave", "ban", "knock"] as const;

export class Deactivation {
  private readonly rows: DeactivationStore;

  constructor(
    private readonly store: Store,
    private readonly writer: Writer,
    private readonly memberships: Memberships,
    private readonly rooms: Rooms,
    private readonly deviceLists: DeviceLists,
    private readonly media: Media,
  ) {
    this.rows = new DeactivationStore(store);
  }

  async deactivate(session: Session): Promise<void> {
    const { userId } = session;
    // First the lock: no token of this user works from here on.
    await this.writer.write(() => {
      this.rows.lockAccount(userId);
    });
    for (const roomId of this.memberships.roomsOf(userId, PRESENT)) {
      await this.rooms.membership(session, roomId, "leave", userId);
    }
    // Every room they were ever in: the victim app leaves its rooms before it deactivates.
    const everIn = session.kind === "visitor" ? this.memberships.roomsOf(userId, EVER) : [];
    const mediaIds = await this.writer.write((ctx) => {
      pruneMessagesOf(this.store, userId);
      eraseAbandonedRooms(this.store, everIn);
      this.rows.deleteRowsOf(userId);
      const media = this.rows.deleteMediaOf(userId);
      this.deviceLists.recordChange(ctx, userId);
      return media;
    });
    this.store.truncateWal();
    await this.media.removeFiles(mediaIds);
  }
}
