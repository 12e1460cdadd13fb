/**
 * Matrix pushers (`pushers`): the queries of services/pushers.ts. A pusher's
 * rows also go with its device (`PER_DEVICE_TABLES` in accounts.ts) and with
 * a deactivated account (deactivation.ts).
 */
import type { PushersTable } from "@onsafe/schema";
import type { Store } from "./database.ts";

export class PushersStore {
  constructor(private readonly store: Store) {}

  /** The user's pushers, oldest first. */
  of(userId: string): PushersTable[] {
    return this.store.all(this.store.q.selectFrom("pushers").selectAll().where("user_id", "=", userId).orderBy("created_at"));
  }

  has(userId: string, appId: string, pushkey: string): boolean {
    return this.store.first(this.store.q.selectFrom("pushers").select("user_id")
      .where("user_id", "=", userId).where("app_id", "=", appId).where("pushkey", "=", pushkey)) !== undefined;
  }

  countOf(userId: string): number {
    return Number(this.store.first(this.store.q.selectFrom("pushers").select((eb) => eb.fn.countAll().as("n")).where("user_id", "=", userId))?.n ?? 0);
  }

  /** Inserts the pusher, or replaces the user's one with the same app id and pushkey (keeping when it was first set). */
  upsert(row: PushersTable): void {
    const { user_id: _u, app_id: _a, pushkey: _p, created_at: _c, ...changed } = row;
    this.store.run(this.store.q.insertInto("pushers").values(row)
      .onConflict((oc) => oc.columns(["user_id", "app_id", "pushkey"]).doUpdateSet(changed)));
  }

  delete(userId: string, appId: string, pushkey: string): void {
    this.store.run(this.store.q.deleteFrom("pushers").where("user_id", "=", userId).where("app_id", "=", appId).where("pushkey", "=", pushkey));
  }

  /** Deletes other users' pushers with this app id and pushkey (`append: false`). */
  deleteOthersWithKey(userId: string, appId: string, pushkey: string): void {
    this.store.run(this.store.q.deleteFrom("pushers").where("app_id", "=", appId).where("pushkey", "=", pushkey).where("user_id", "!=", userId));
  }

  /** The events of these rooms at positions in (after, upTo]: what a commit added, for push delivery. */
  eventsIn(roomIds: string[], after: number, upTo: number) {
    return this.store.all(this.store.q.selectFrom("events").select(["event_id", "room_id", "type", "state_key", "sender", "content"])
      .where("room_id", "in", roomIds).where("stream_pos", ">", after).where("stream_pos", "<=", upTo).orderBy("stream_pos"));
  }

  /** Everyone who has a pusher: loaded once at start. */
  userIds(): string[] {
    return this.store.all(this.store.q.selectFrom("pushers").select("user_id").distinct()).map((r) => r.user_id);
  }
}
