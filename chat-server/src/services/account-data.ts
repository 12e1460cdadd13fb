/** Global and per-room account data, each write a position in the global stream. */
import type { Store } from "../storage/database.ts";
import type { Writer } from "../storage/writer.ts";
import { type JsonObject } from "@onsafe/matrix-basics";

export class AccountData {
  constructor(private readonly store: Store, private readonly writer: Writer) {}

  /** `roomId` "" is global account data. */
  async set(userId: string, roomId: string, type: string, content: JsonObject): Promise<void> {
    await this.writer.write((ctx) => {
      const values = { content: JSON.stringify(content), stream_pos: ctx.nextPos() };
      this.store.run(this.store.q.insertInto("account_data").values({ user_id: userId, room_id: roomId, type, ...values })
        .onConflict((oc) => oc.columns(["user_id", "room_id", "type"]).doUpdateSet(values)));
      ctx.wakeUsers([userId]);
    });
  }

  get(userId: string, roomId: string, type: string): JsonObject | undefined {
    const row = this.store.first(this.store.q.selectFrom("account_data").select("content")
      .where("user_id", "=", userId).where("room_id", "=", roomId).where("type", "=", type));
    return row ? (JSON.parse(row.content) as JsonObject) : undefined;
  }

  /** Account data changed after `since` (all of it when undefined) up to `upTo`. */
  changedSince(userId: string, roomId: string, since: number | undefined, upTo: number): { type: string; content: JsonObject }[] {
    return this.store.all(this.store.q.selectFrom("account_data").select(["type", "content"])
      .where("user_id", "=", userId).where("room_id", "=", roomId)
      .where("stream_pos", ">", since ?? -1).where("stream_pos", "<=", upTo)
      .orderBy("stream_pos"))
      .map((row) => ({ type: row.type, content: JSON.parse(row.content) as JsonObject }));
  }
}
