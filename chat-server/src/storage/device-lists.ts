/**
 * Device-list changes in the global stream (`device_list_changes`), and the
 * reads of rooms and member events that `/sync` `device_lists` and
 * `/keys/changes` need to know who is to hear of them. The `memberships` and
 * `events` tables belong to the rooms' stores; these queries are here because
 * only the device lists ask them. Who is told what is decided in
 * `services/device-lists.ts`.
 */
import type { Store } from "./database.ts";

export class DeviceListsStore {
  constructor(private readonly store: Store) {}

  /** `visibleTo`: only that user is told; null: everyone sharing a room with `userId`. */
  insertChange(streamPos: number, userId: string, visibleTo: string | null): void {
    this.store.run(this.store.q.insertInto("device_list_changes").values({ stream_pos: streamPos, user_id: userId, visible_to: visibleTo }));
  }

  /** How many rooms the user has a membership in (of any kind). */
  roomCount(userId: string): number {
    const row = this.store.first(this.store.q.selectFrom("memberships").select((eb) => eb.fn.countAll<number>().as("n")).where("user_id", "=", userId));
    return Number(row?.n ?? 0);
  }

  /** Every device change in (from, to], with whom it is visible to. */
  changesInRange(from: number, to: number) {
    return this.store.all(this.store.q.selectFrom("device_list_changes").select(["user_id", "visible_to"]).distinct()
      .where("stream_pos", ">", from).where("stream_pos", "<=", to));
  }

  /**
   * Changes in (from, to], visible to everyone, of the users who share a room
   * with `userId`, both having a membership among `present` in it.
   */
  changesOfRoomMates(userId: string, present: readonly string[], from: number, to: number): { user_id: string }[] {
    const q = this.store.q;
    return this.store.all(q.selectFrom("memberships as mine")
      .innerJoin("memberships as other", "other.room_id", "mine.room_id")
      .innerJoin("device_list_changes as d", "d.user_id", "other.user_id")
      .select("d.user_id").distinct()
      .where("mine.user_id", "=", userId).where("mine.membership", "in", present).where("other.membership", "in", present)
      .where("d.visible_to", "is", null)
      .where("d.stream_pos", ">", from).where("d.stream_pos", "<=", to));
  }

  /** Changes in (from, to] of `userId`'s own devices, and those told only to them. */
  ownChanges(userId: string, from: number, to: number): { user_id: string }[] {
    const q = this.store.q;
    return this.store.all(q.selectFrom("device_list_changes").select("user_id").distinct()
      .where((eb) => eb.or([eb.and([eb("user_id", "=", userId), eb("visible_to", "is", null)]), eb("visible_to", "=", userId)]))
      .where("stream_pos", ">", from).where("stream_pos", "<=", to));
  }

  /** Member events in (from, to], in every room. */
  memberEventsInRange(from: number, to: number) {
    return this.store.all(this.store.q.selectFrom("events").select(["room_id", "state_key"])
      .where("stream_pos", ">", from).where("stream_pos", "<=", to).where("type", "=", "m.room.member"));
  }

  /** Member events in (from, to] of the rooms `userId` has a membership in. */
  memberEventsInRoomsOf(userId: string, from: number, to: number) {
    return this.store.all(this.store.q.selectFrom("memberships as m").innerJoin("events as e", "e.room_id", "m.room_id")
      .select(["e.room_id", "e.state_key"])
      .where("m.user_id", "=", userId).where("e.type", "=", "m.room.member")
      .where("e.stream_pos", ">", from).where("e.stream_pos", "<=", to));
  }
}
