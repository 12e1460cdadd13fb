/**
 * Device-list changes: recorded in the global stream whenever a user's devices
 * or cross-signing keys change, and reported in `/sync` `device_lists` and
 * `/keys/changes` to the users who share a room with them.
 */
import type { Store } from "../storage/database.ts";
import { DeviceListsStore } from "../storage/device-lists.ts";
import type { WriteContext } from "../storage/writer.ts";
import { type Memberships, PRESENT } from "./memberships.ts";
import { scanWholeRange } from "./stream-range.ts";

export interface DeviceListDelta {
  changed: string[];
  left: string[];
}

export class DeviceLists {
  private readonly rows: DeviceListsStore;

  constructor(store: Store, private readonly memberships: Memberships) {
    this.rows = new DeviceListsStore(store);
  }

  /**
   * Records that `userId`'s keys changed. With `onlyFor`, only that user is
   * told: a signature on another user's master key is the signer's business
   * alone, so the target's contacts must not learn that someone verified them.
   */
  recordChange(ctx: WriteContext, userId: string, onlyFor?: string): void {
    this.rows.insertChange(ctx.nextPos(), userId, onlyFor ?? null);
    ctx.wakeUsers(onlyFor ? [onlyFor] : this.memberships.usersSharingRooms(userId));
  }

  /**
   * What changed for `userId`'s view between two stream positions: users whose
   * devices changed and who share a room with them, and the members who came
   * into or went out of their rooms. Read from what is new in the range or by
   * probing the user's rooms, whichever is cheaper (`stream-range.ts`).
   */
  delta(userId: string, from: number, to: number): DeviceListDelta {
    const scan = scanWholeRange(from, to, this.rows.roomCount(userId));
    const sharing = this.sharingCheck(userId);
    const changed = new Set<string>();
    const left = new Set<string>();
    const deviceChanges = scan
      ? this.rows.changesInRange(from, to).filter((row) => row.visible_to === null ? sharing(row.user_id) : row.visible_to === userId)
      : this.deviceChangesNear(userId, from, to);
    for (const row of deviceChanges) changed.add(row.user_id);
    // Membership changes in rooms I am or was in: newcomers' devices are news to me, and if my
    // own membership changed, all the room's members are; those who no longer share a room have left.
    const byRoom = new Map<string, Set<string>>();
    for (const e of scan ? this.rows.memberEventsInRange(from, to) : this.rows.memberEventsInRoomsOf(userId, from, to)) {
      let users = byRoom.get(e.room_id);
      if (!users) byRoom.set(e.room_id, (users = new Set()));
      users.add(e.state_key!);
    }
    for (const [roomId, users] of byRoom) {
      if (scan && !this.memberships.get(roomId, userId)) continue;
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
   * The device changes `userId` is to hear of, found from their rooms: their own,
   * those of the people in their rooms, and those told only to them.
   */
  private deviceChangesNear(userId: string, from: number, to: number): { user_id: string }[] {
    return [...this.rows.changesOfRoomMates(userId, PRESENT, from, to), ...this.rows.ownChanges(userId, from, to)];
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
