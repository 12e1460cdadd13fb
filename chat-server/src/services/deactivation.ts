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
import type { Writer } from "../storage/writer.ts";
import { PER_DEVICE_TABLES, type Session } from "./accounts.ts";
import type { DeviceLists } from "./device-lists.ts";
import type { Media } from "./media.ts";
import { eraseAbandonedRooms, pruneMessagesOf } from "./conversation-erasure.ts";
import { type Memberships, PRESENT } from "./memberships.ts";
import type { Rooms } from "./rooms.ts";

/** Tables whose rows belong to one user, by their `user_id` column: every device's, and the user's own. */
const PER_USER_TABLES = [
  ...PER_DEVICE_TABLES, "cross_signing_keys", "room_key_versions", "room_keys", "account_data", "filters", "receipts",
] as const;

const EVER = ["join", "invite", "leave", "ban", "knock"] as const;

export class Deactivation {
  constructor(
    private readonly store: Store,
    private readonly writer: Writer,
    private readonly memberships: Memberships,
    private readonly rooms: Rooms,
    private readonly deviceLists: DeviceLists,
    private readonly media: Media,
  ) {}

  async deactivate(session: Session): Promise<void> {
    const { userId } = session;
    const q = this.store.q;
    // First the lock: no token of this user works from here on.
    await this.writer.write(() => {
      this.store.run(q.updateTable("users").set({ deactivated: 1, password_hash: null, displayname: null, avatar_url: null }).where("user_id", "=", userId));
      this.store.run(q.deleteFrom("access_tokens").where("user_id", "=", userId));
    });
    for (const roomId of this.memberships.roomsOf(userId, PRESENT)) {
      await this.rooms.membership(session, roomId, "leave", userId);
    }
    // Every room they were ever in: the victim app leaves its rooms before it deactivates.
    const everIn = session.kind === "visitor" ? this.memberships.roomsOf(userId, EVER) : [];
    const mediaIds = await this.writer.write((ctx) => {
      pruneMessagesOf(this.store, userId);
      eraseAbandonedRooms(this.store, everIn);
      for (const table of PER_USER_TABLES) {
        // Every table in the list has a user_id column.
        this.store.run(q.deleteFrom(table as "devices").where("user_id", "=", userId));
      }
      this.store.run(q.deleteFrom("key_signatures").where((eb) => eb.or([eb("target_user_id", "=", userId), eb("signer_user_id", "=", userId)])));
      const media = this.store.all(q.selectFrom("media").select("media_id").where("user_id", "=", userId)).map((m) => m.media_id);
      this.store.run(q.deleteFrom("media").where("user_id", "=", userId));
      this.deviceLists.recordChange(ctx, userId);
      return media;
    });
    this.store.truncateWal();
    await this.media.removeFiles(mediaIds);
  }
}
