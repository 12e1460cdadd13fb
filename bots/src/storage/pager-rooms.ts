/** Each staff member's pager room: their one-to-one encrypted room with the triage bot, where crisis pages go (docs/CRISIS.md). */
import type { BotsStore } from "./store.ts";

export class PagerRoomStore {
  constructor(private readonly db: BotsStore) {}

  roomOf(userId: string): string | undefined {
    return this.db.first(this.db.q.selectFrom("pager_rooms").select("room_id").where("user_id", "=", userId))?.room_id;
  }

  set(userId: string, roomId: string, at: number): void {
    this.db.run(this.db.q.insertInto("pager_rooms").values({ user_id: userId, room_id: roomId, created_at: at })
      .onConflict((oc) => oc.column("user_id").doUpdateSet({ room_id: roomId, created_at: at })));
  }

  /** For the push gateway: a pager room's event is pushed as a page (docs/CRISIS.md "Push"). */
  isPagerRoom(roomId: string): boolean {
    return this.db.first(this.db.q.selectFrom("pager_rooms").select("user_id").where("room_id", "=", roomId)) !== undefined;
  }
}
