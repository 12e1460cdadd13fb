/**
 * Device-list changes: recorded in the global stream whenever a user's devices
 * or cross-signing keys change, and reported in `/sync` `device_lists` and
 * `/keys/changes` to the users who share a room with them.
 */
import type { Store } from "../storage/database.ts";
import type { WriteContext } from "../storage/writer.ts";
import type { Memberships } from "./memberships.ts";

export interface DeviceListDelta {
  changed: string[];
  left: string[];
}

export class DeviceLists {
  constructor(private readonly store: Store, private readonly memberships: Memberships) {}

  /**
   * Records that `userId`'s keys changed. With `onlyFor`, only that user is
   * told: a signature on another user's master key is the signer's business
   * alone, so the target's contacts must not learn that someone verified them.
   */
  recordChange(ctx: WriteContext, userId: string, onlyFor?: string): void {
    this.store.run(this.store.q.insertInto("device_list_changes").values({ stream_pos: ctx.nextPos(), user_id: userId, visible_to: onlyFor ?? null }));
    ctx.wakeUsers(onlyFor ? [onlyFor] : this.memberships.usersSharingRooms(userId));
  }

  /** What changed for `userId`'s view between two stream positions. */
  delta(userId: string, from: number, to: number): DeviceListDelta {
    const q = this.store.q;
    // Almost every sync sees no device or membership change: two cheap probes answer that.
    if (!this.anythingChanged(userId, from, to)) return { changed: [], left: [] };
    const sharing = this.memberships.usersSharingRooms(userId);
    const changed = new Set<string>();
    for (const row of this.store.all(q.selectFrom("device_list_changes").select(["user_id", "visible_to"]).distinct()
      .where("stream_pos", ">", from).where("stream_pos", "<=", to))) {
      if (row.visible_to === null ? sharing.has(row.user_id) : row.visible_to === userId) changed.add(row.user_id);
    }
    // Membership changes in my rooms: newcomers' devices are news to me, and if I
    // joined a room, all its members are; those who no longer share a room have left.
    const left = new Set<string>();
    const myRooms = this.store.all(q.selectFrom("memberships").select(["room_id", "membership", "stream_pos"])
      .where("user_id", "=", userId));
    for (const room of myRooms) {
      const myChangeIsNew = room.stream_pos > from && room.stream_pos <= to;
      let members = this.store.all(q.selectFrom("memberships").select(["user_id", "stream_pos"]).where("room_id", "=", room.room_id));
      if (!myChangeIsNew) members = members.filter((m) => m.stream_pos > from && m.stream_pos <= to);
      for (const m of members) {
        if (m.user_id === userId) continue;
        if (sharing.has(m.user_id)) changed.add(m.user_id);
        else left.add(m.user_id);
      }
    }
    return { changed: [...changed], left: [...left] };
  }

  private anythingChanged(userId: string, from: number, to: number): boolean {
    const q = this.store.q;
    const deviceChange = this.store.first(q.selectFrom("device_list_changes").select("stream_pos")
      .where("stream_pos", ">", from).where("stream_pos", "<=", to).limit(1));
    if (deviceChange) return true;
    const membershipChange = this.store.first(q.selectFrom("memberships as mine")
      .innerJoin("memberships as other", "other.room_id", "mine.room_id")
      .select("other.stream_pos")
      .where("mine.user_id", "=", userId)
      .where("other.stream_pos", ">", from).where("other.stream_pos", "<=", to)
      .limit(1));
    return !!membershipChange;
  }
}
