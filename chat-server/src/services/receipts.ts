/** Read receipts (`m.read`, `m.read.private`), kept in the global stream; private ones are shown only to their owner. */
import type { Store } from "../storage/database.ts";
import type { Writer } from "../storage/writer.ts";
import { type JsonObject } from "@onsafe/matrix-basics";

export const RECEIPT_TYPES = ["m.read", "m.read.private"] as const;
export type ReceiptType = (typeof RECEIPT_TYPES)[number];

export class Receipts {
  constructor(private readonly store: Store, private readonly writer: Writer) {}

  async set(roomId: string, userId: string, type: ReceiptType, eventId: string, threadId: string): Promise<void> {
    await this.writer.write((ctx) => {
      // A receipt only moves forward: one for an older event than the current one changes nothing.
      if (this.isBehind(roomId, userId, type, threadId, eventId)) return;
      const pos = ctx.nextPos();
      const values = { event_id: eventId, ts: Date.now(), stream_pos: pos };
      this.store.run(this.store.q.insertInto("receipts")
        .values({ room_id: roomId, user_id: userId, receipt_type: type, thread_id: threadId, ...values })
        .onConflict((oc) => oc.columns(["room_id", "user_id", "receipt_type", "thread_id"]).doUpdateSet(values)));
      if (type === "m.read.private") ctx.wakeUsers([userId]);
      else ctx.wakeRoom(roomId);
    });
  }

  private isBehind(roomId: string, userId: string, type: ReceiptType, threadId: string, eventId: string): boolean {
    const q = this.store.q;
    const current = this.store.first(q.selectFrom("receipts").innerJoin("events", "events.event_id", "receipts.event_id")
      .select("events.stream_pos")
      .where("receipts.room_id", "=", roomId).where("receipts.user_id", "=", userId)
      .where("receipts.receipt_type", "=", type).where("receipts.thread_id", "=", threadId));
    if (!current) return false;
    const target = this.store.first(q.selectFrom("events").select("stream_pos").where("event_id", "=", eventId));
    return !!target && target.stream_pos <= current.stream_pos;
  }

  /** The `m.receipt` ephemeral event for receipts in the room after `since`, or undefined if none. */
  receiptEvent(roomId: string, viewer: string, since: number, upTo: number): JsonObject | undefined {
    const rows = this.store.all(this.store.q.selectFrom("receipts").selectAll()
      .where("room_id", "=", roomId).where("stream_pos", ">", since).where("stream_pos", "<=", upTo));
    const content: Record<string, Record<string, Record<string, JsonObject>>> = {};
    for (const row of rows) {
      if (row.receipt_type === "m.read.private" && row.user_id !== viewer) continue;
      const byType = (content[row.event_id] ??= {});
      const byUser = (byType[row.receipt_type] ??= {});
      byUser[row.user_id] = row.thread_id ? { ts: row.ts, thread_id: row.thread_id } : { ts: row.ts };
    }
    return Object.keys(content).length ? { type: "m.receipt", content } : undefined;
  }
}
