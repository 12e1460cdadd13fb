/**
 * What erasing a conversation reads and changes (services/conversation-erasure.ts):
 * message events (not state) and their content, the visitors still in a room,
 * the room keys backed up for it and its read receipts. Runs inside a write
 * (storage/writer.ts).
 */
import type { EventsTable } from "@onsafe/schema";
import type { Store } from "./database.ts";
import { PRESENT } from "./memberships.ts";

/** Which events: those of a sender, or those of a room. */
export type EventFilter = { column: "sender" | "room_id"; value: string };

export class ConversationErasureStore {
  constructor(private readonly store: Store) {}

  /** Whether a visitor is still in the room (joined or invited). */
  visitorStays(roomId: string): boolean {
    const q = this.store.q;
    return !!this.store.first(q.selectFrom("memberships").innerJoin("users", "users.user_id", "memberships.user_id")
      .select("memberships.user_id").where("memberships.room_id", "=", roomId).where("memberships.membership", "in", PRESENT)
      .where("users.kind", "=", "visitor").limit(1));
  }

  /** Message events (not state) matching `filter` whose content is not empty yet. */
  messagesWithContent(filter: EventFilter): Pick<EventsTable, "event_id" | "type" | "content">[] {
    const q = this.store.q;
    return this.store.all(q.selectFrom("events").select(["event_id", "type", "content"])
      .where(filter.column, "=", filter.value).where("state_key", "is", null).where("content", "!=", "{}"));
  }

  /** Replaces an event's content with `prunedContent` (JSON text). */
  setContent(eventId: string, prunedContent: string): void {
    this.store.run(this.store.q.updateTable("events").set({ content: prunedContent }).where("event_id", "=", eventId));
  }

  /** Deletes the room keys anyone backed up for the room. */
  deleteRoomKeys(roomId: string): void {
    this.store.run(this.store.q.deleteFrom("room_keys").where("room_id", "=", roomId));
  }

  /** Deletes the room's read receipts. */
  deleteReceipts(roomId: string): void {
    this.store.run(this.store.q.deleteFrom("receipts").where("room_id", "=", roomId));
  }
}
