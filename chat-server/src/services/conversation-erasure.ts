/**
 * Erasing what was said. A deleted account's own messages are pruned
 * (`pruneMessagesOf`), as a redaction prunes them. A conversation room left
 * with no visitor in it, once its visitor deleted their account or the account
 * expired, is erased whole (`eraseAbandonedRooms`): every message in it,
 * whoever sent it (a companion's answers say as much about the victim as
 * the victim's words), the room keys anyone backed up for it, and its read
 * receipts. The rooms, their state and the member events stay, so the staff and
 * bots still in them see a room that was emptied, not one that vanished.
 * Runs inside a write (storage/writer.ts).
 */
import type { Store } from "../storage/database.ts";
import { PRESENT } from "./memberships.ts";
import { prune } from "./redactions.ts";
import { type JsonObject } from "@onsafe/matrix-basics";

type EventFilter = { column: "sender" | "room_id"; value: string };

export function pruneMessagesOf(store: Store, userId: string): void {
  pruneMessages(store, { column: "sender", value: userId });
}

/** Of `roomIds`, erases those no visitor is in (joined or invited) any more; returns how many. */
export function eraseAbandonedRooms(store: Store, roomIds: Iterable<string>): number {
  const q = store.q;
  let erased = 0;
  for (const roomId of roomIds) {
    const visitorStays = store.first(q.selectFrom("memberships").innerJoin("users", "users.user_id", "memberships.user_id")
      .select("memberships.user_id").where("memberships.room_id", "=", roomId).where("memberships.membership", "in", PRESENT)
      .where("users.kind", "=", "visitor").limit(1));
    if (visitorStays) continue;
    pruneMessages(store, { column: "room_id", value: roomId });
    store.run(q.deleteFrom("room_keys").where("room_id", "=", roomId));
    store.run(q.deleteFrom("receipts").where("room_id", "=", roomId));
    erased++;
  }
  return erased;
}

/** Prunes the content of every message event (not state) matching `filter`. */
function pruneMessages(store: Store, filter: EventFilter): void {
  const q = store.q;
  for (const event of store.all(q.selectFrom("events").select(["event_id", "type", "content"])
    .where(filter.column, "=", filter.value).where("state_key", "is", null).where("content", "!=", "{}"))) {
    const pruned = JSON.stringify(prune(event.type, JSON.parse(event.content) as JsonObject));
    store.run(q.updateTable("events").set({ content: pruned }).where("event_id", "=", event.event_id));
  }
}
