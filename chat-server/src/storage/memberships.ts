/** Room membership as it stands (the `memberships` table), read by the services that need it; written beside each member event (storage/events.ts). */
import type { MembershipsTable } from "@onsafe/schema";
import type { Store } from "./database.ts";
import { prepared } from "./prepared.ts";

/** Memberships that let a user see a room's new events and share its keys. */
export const PRESENT = ["join", "invite"] as const;

/** Every send checks its sender's membership and wakes the room's members: compiled once (storage/prepared.ts). */
const queries = (store: Store) => ({
  get: prepared(store, (q, roomId: string, userId: string) => q.selectFrom("memberships").selectAll()
    .where("room_id", "=", roomId).where("user_id", "=", userId)),
  present: prepared(store, (q, roomId: string) => q.selectFrom("memberships").select("user_id")
    .where("room_id", "=", roomId).where("membership", "in", PRESENT)),
});

export class MembershipsStore {
  private readonly queries: ReturnType<typeof queries>;

  constructor(private readonly store: Store) {
    this.queries = queries(store);
  }

  get(roomId: string, userId: string): MembershipsTable | undefined {
    return this.queries.get.first(roomId, userId);
  }

  roomsOf(userId: string, memberships: readonly string[]): string[] {
    return this.store.all(this.store.q.selectFrom("memberships").select("room_id")
      .where("user_id", "=", userId).where("membership", "in", memberships)).map((r) => r.room_id);
  }

  /** Everyone joined to or invited into the room. */
  presentIn(roomId: string): string[] {
    return this.queries.present.all(roomId).map((r) => r.user_id);
  }

  membersOf(roomId: string, memberships: readonly string[]): string[] {
    return this.store.all(this.store.q.selectFrom("memberships").select("user_id")
      .where("room_id", "=", roomId).where("membership", "in", memberships)).map((r) => r.user_id);
  }

  /** Everyone joined to or invited into a room that `userId` is joined to or invited into (themselves included if they are in any). */
  usersSharingRooms(userId: string): string[] {
    const q = this.store.q;
    const rows = this.store.all(
      q.selectFrom("memberships as mine")
        .innerJoin("memberships as other", "other.room_id", "mine.room_id")
        .select("other.user_id")
        .distinct()
        .where("mine.user_id", "=", userId)
        .where("mine.membership", "in", PRESENT)
        .where("other.membership", "in", PRESENT),
    );
    return rows.map((r) => r.user_id);
  }

  /** Whether `a` and `b` are both joined to or invited into some room. */
  shareRoom(a: string, b: string): boolean {
    const q = this.store.q;
    return !!this.store.first(
      q.selectFrom("memberships as x")
        .innerJoin("memberships as y", "y.room_id", "x.room_id")
        .select("x.room_id")
        .where("x.user_id", "=", a).where("x.membership", "in", PRESENT)
        .where("y.user_id", "=", b).where("y.membership", "in", PRESENT)
        .limit(1),
    );
  }

  /**
   * `/forget`: closes the window of history the user may see, by moving its
   * start past their leave (or ban); a membership still present is left alone.
   */
  closeHistoryWindow(roomId: string, userId: string): void {
    const q = this.store.q;
    this.store.run(q.updateTable("memberships").set((eb) => ({ visible_from: eb("stream_pos", "+", 1) }))
      .where("room_id", "=", roomId).where("user_id", "=", userId).where("membership", "in", ["leave", "ban"]));
  }
}
