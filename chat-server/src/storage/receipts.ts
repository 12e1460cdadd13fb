/** Read receipts (the `receipts` table), one per room, user, receipt type and thread, each at its stream position. */
import type { ReceiptsTable } from "@onsafe/schema";
import type { Store } from "./database.ts";

export class ReceiptsStore {
  constructor(private readonly store: Store) {}

  /** Sets the user's receipt of this type and thread in the room, replacing the earlier one. */
  upsert(row: ReceiptsTable): void {
    const values = { event_id: row.event_id, ts: row.ts, stream_pos: row.stream_pos };
    this.store.run(this.store.q.insertInto("receipts")
      .values({ room_id: row.room_id, user_id: row.user_id, receipt_type: row.receipt_type, thread_id: row.thread_id, ...values })
      .onConflict((oc) => oc.columns(["room_id", "user_id", "receipt_type", "thread_id"]).doUpdateSet(values)));
  }

  /** The stream position of the event the user's current receipt of this type and thread points at, if any. */
  currentEventPosition(roomId: string, userId: string, type: string, threadId: string): number | undefined {
    const q = this.store.q;
    return this.store.first(q.selectFrom("receipts").innerJoin("events", "events.event_id", "receipts.event_id")
      .select("events.stream_pos")
      .where("receipts.room_id", "=", roomId).where("receipts.user_id", "=", userId)
      .where("receipts.receipt_type", "=", type).where("receipts.thread_id", "=", threadId))?.stream_pos;
  }

  /** The stream position of an event, if it exists. */
  eventPosition(eventId: string): number | undefined {
    const q = this.store.q;
    return this.store.first(q.selectFrom("events").select("stream_pos").where("event_id", "=", eventId))?.stream_pos;
  }

  /** Receipts in the room set after `since` up to `upTo`. */
  between(roomId: string, since: number, upTo: number): ReceiptsTable[] {
    return this.store.all(this.store.q.selectFrom("receipts").selectAll()
      .where("room_id", "=", roomId).where("stream_pos", ">", since).where("stream_pos", "<=", upTo));
  }
}
