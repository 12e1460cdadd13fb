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
import { ConversationErasureStore, type EventFilter } from "../storage/conversation-erasure.ts";
import { prune } from "./redactions.ts";
import { type JsonObject } from "@onsafe/matrix-basics";

export function pruneMessagesOf(store: Store, userId: string): void {
  pruneMessages(new ConversationErasureStore(store), { column: "sender", value: userId });
}

/** Of `roomIds`, erases those no visitor is in (joined or invited) any more; returns how many. */
export function eraseAbandonedRooms(store: Store, roomIds: Iterable<string>): number {
  const rows = new ConversationErasureStore(store);
  let erased = 0;
  for (const roomId of roomIds) {
    if (rows.visitorStays(roomId)) continue;
    pruneMessages(rows, { column: "room_id", value: roomId });
    rows.deleteRoomKeys(roomId);
    rows.deleteReceipts(roomId);
    erased++;
  }
  return erased;
}

/** Prunes the content of every message event (not state) matching `filter`. */
function pruneMessages(rows: ConversationErasureStore, filter: EventFilter): void {
  for (const event of rows.messagesWithContent(filter)) {
    const pruned = JSON.stringify(prune(event.type, JSON.parse(event.content) as JsonObject));
    rows.setContent(event.event_id, pruned);
  }
}
