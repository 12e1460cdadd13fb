/** Read-only queries on room membership, shared by the services that need them. */
import type { Store } from "../storage/database.ts";
import { prepared } from "../storage/prepared.ts";

/** Memberships that let a user see a room's new events and share its keys. */
export const PRESENT = ["join", "invite"] as const;

/** Every send checks its sender's membership and wakes the room's members: compiled once (storage/prepared.ts). */
const queries = (store: Store) => ({
  get: prepared(store, (q, roomId: string, userId: string) => q.selectFrom("memberships").selectAll()
    .where("room_id", "=", roomId).where("user_id", "=", userId)),
  present: prepared(store, (q, roomId: string) => q.selectFrom("memberships").select("user_id")
    .where("room_id", "=", roomId).where("membership", "in", PRESENT)),
});

export class Memberships {
  private readonly queries: ReturnType<typeof queries>;

  constructor(private readonly store: Store) {
    this.queries = queries(store);
  }

  get(roomId: string, userId: string) {
    return this.queries.get.first(roomId, userId);
  }

  membershipOf(roomId: string, userId: string): string | undefined {
    return this.get(roomId, userId)?.membership;
  }

  roomsOf(userId: string, memberships: readonly string[] = ["join"]): string[] {
    return this.store.all(this.store.q.selectFrom("memberships").select("room_id")
      .where("user_id", "=", userId).where("membership", "in", memberships)).map((r) => r.room_id);
  }

  /** Everyone joined to or invited into the room: whom its new events wake. */
  presentIn(roomId: string): string[] {
    return this.queries.present.all(roomId).map((r) => r.user_id);
  }

  membersOf(roomId: string, memberships: readonly string[] = ["join"]): string[] {
    return this.store.all(this.store.q.selectFrom("memberships").select("user_id")
      .where("room_id", "=", roomId).where("membership", "in", memberships)).map((r) => r.user_id);
  }

  /** Everyone joined to or invited into a room that `userId` is joined to or invited into, themselves included. */
  usersSharingRooms(userId: string): Set<string> {
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
    const users = new Set(rows.map((r) => r.user_id));
    users.add(userId);
    return users;
  }

  sharesRoom(a: string, b: string): boolean {
    if (a === b) return true;
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
}
