/** Room membership, read by the services that need it (queries in storage/memberships.ts). */
import type { Store } from "../storage/database.ts";
import { MembershipsStore } from "../storage/memberships.ts";

/** Memberships that let a user see a room's new events and share its keys. */
export { PRESENT } from "../storage/memberships.ts";

export class Memberships {
  /** The queries, for the services given this one (rooms' `/forget`). */
  readonly rows: MembershipsStore;

  constructor(store: Store) {
    this.rows = new MembershipsStore(store);
  }

  get(roomId: string, userId: string) {
    return this.rows.get(roomId, userId);
  }

  membershipOf(roomId: string, userId: string): string | undefined {
    return this.get(roomId, userId)?.membership;
  }

  roomsOf(userId: string, memberships: readonly string[] = ["join"]): string[] {
    return this.rows.roomsOf(userId, memberships);
  }

  /** Everyone joined to or invited into the room: whom its new events wake. */
  presentIn(roomId: string): string[] {
    return this.rows.presentIn(roomId);
  }

  membersOf(roomId: string, memberships: readonly string[] = ["join"]): string[] {
    return this.rows.membersOf(roomId, memberships);
  }

  /** Everyone joined to or invited into a room that `userId` is joined to or invited into, themselves included. */
  usersSharingRooms(userId: string): Set<string> {
    const users = new Set(this.rows.usersSharingRooms(userId));
    users.add(userId);
    return users;
  }

  sharesRoom(a: string, b: string): boolean {
    if (a === b) return true;
    return this.rows.shareRoom(a, b);
  }
}
