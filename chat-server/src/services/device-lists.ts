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

  /**
   * What changed for `userId`'s view between two stream positions: users whose
   * devices changed and who share a room with them, and the members who came
   * into or went out of their rooms. Found from what is new in the range, so the
   * cost follows the changes, not the number of rooms the user is in.
   */
  delta(userId: string, from: number, to: number): DeviceListDelta {
    const q = this.store.q;
    const sharing = this.sharingCheck(userId);
    const changed = new Set<string>();
    const left = new Set<string>();
    for (const row of this.store.all(q.selectFrom("device_list_changes").select(["user_id", "visible_to"]).distinct()
      .where("stream_pos", ">", from).where("stream_pos", "<=", to))) {
      if (row.visible_to === null ? sharing(row.user_id) : row.visible_to === userId) changed.add(row.user_id);
    }
    // Membership changes in rooms I am or was in: newcomers' devices are news to me, and if my
    // own membership changed, all the room's members are; those who no longer share a room have left.
    const memberEvents = this.store.all(q.selectFrom("events").select(["room_id", "state_key"])
      .where("stream_pos", ">", from).where("stream_pos", "<=", to).where("type", "=", "m.room.member"));
    const byRoom = new Map<string, Set<string>>();
    for (const e of memberEvents) {
      let users = byRoom.get(e.room_id);
      if (!users) byRoom.set(e.room_id, (users = new Set()));
      users.add(e.state_key!);
    }
    for (const [roomId, users] of byRoom) {
      if (!this.memberships.get(roomId, userId)) continue;
      const everyone = users.has(userId) ? this.memberships.membersOf(roomId, ["join", "invite", "leave", "ban"]) : users;
      for (const other of everyone) {
        if (other === userId) continue;
        if (sharing(other)) changed.add(other);
        else left.add(other);
      }
    }
    return { changed: [...changed], left: [...left] };
  }

  /**
   * Whether `userId` shares a room with someone: one query per question while
   * there are few, then the whole set at once.
   */
  private sharingCheck(userId: string): (other: string) => boolean {
    let asked = 0;
    let everyone: Set<string> | undefined;
    return (other) => {
      if (everyone) return everyone.has(other);
      if (++asked <= 20) return this.memberships.sharesRoom(userId, other);
      everyone = this.memberships.usersSharingRooms(userId);
      return everyone.has(other);
    };
  }
}
