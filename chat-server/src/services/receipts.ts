/** Read receipts (`m.read`, `m.read.private`), kept in the global stream; private ones are shown only to their owner. */
import type { Store } from "../storage/database.ts";
import { ReceiptsStore } from "../storage/receipts.ts";
import type { Writer } from "../storage/writer.ts";
import { type JsonObject } from "@onsafe/matrix-basics";

export const RECEIPT_TYPES = ["m.read", "m.read.private"] as const;
export type ReceiptType = (typeof RECEIPT_TYPES)[number];

export class Receipts {
  private readonly rows: ReceiptsStore;

  constructor(store: Store, private readonly writer: Writer) {
    this.rows = new ReceiptsStore(store);
  }

  async set(roomId: string, userId: string, type: ReceiptType, eventId: string, threadId: string): Promise<void> {
    await this.writer.write((ctx) => {
      // A receipt only moves forward: one for an older event than the current one changes nothing.
      if (this.isBehind(roomId, userId, type, threadId, eventId)) return;
      const pos = ctx.nextPos();
      this.rows.upsert({ room_id: roomId, user_id: userId, receipt_type: type, thread_id: threadId, event_id: eventId, ts: Date.now(), stream_pos: pos });
      if (type === "m.read.private") ctx.wakeUsers([userId]);
      else ctx.wakeRoom(roomId);
    });
  }

  private isBehind(roomId: string, userId: string, type: ReceiptType, threadId: string, eventId: string): boolean {
    const current = this.rows.currentEventPosition(roomId, userId, type, threadId);
    if (current === undefined) return false;
    const target = this.rows.eventPosition(eventId);
    return target !== undefined && target <= current;
  }

  /** The `m.receipt` ephemeral event for receipts in the room after `since`, or undefined if none. */
  receiptEvent(roomId: string, viewer: string, since: number, upTo: number): JsonObject | undefined {
    const rows = this.rows.between(roomId, since, upTo);
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
