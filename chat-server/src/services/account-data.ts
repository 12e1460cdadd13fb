/** Global and per-room account data, each write a position in the global stream. */
import { AccountDataStore } from "../storage/account-data.ts";
import type { Store } from "../storage/database.ts";
import type { Writer } from "../storage/writer.ts";
import { type JsonObject } from "@onsafe/matrix-basics";

export class AccountData {
  private readonly rows: AccountDataStore;

  constructor(store: Store, private readonly writer: Writer) {
    this.rows = new AccountDataStore(store);
  }

  /** `roomId` "" is global account data. */
  async set(userId: string, roomId: string, type: string, content: JsonObject): Promise<void> {
    await this.writer.write((ctx) => {
      const values = { content: JSON.stringify(content), stream_pos: ctx.nextPos() };
      this.rows.upsert({ user_id: userId, room_id: roomId, type }, values);
      ctx.wakeUsers([userId]);
    });
  }

  get(userId: string, roomId: string, type: string): JsonObject | undefined {
    const content = this.rows.content(userId, roomId, type);
    return content !== undefined ? (JSON.parse(content) as JsonObject) : undefined;
  }

  /** Account data changed after `since` (all of it when undefined) up to `upTo`. */
  changedSince(userId: string, roomId: string, since: number | undefined, upTo: number): { type: string; content: JsonObject }[] {
    return this.rows.changedBetween(userId, roomId, since ?? -1, upTo)
      .map((row) => ({ type: row.type, content: JSON.parse(row.content) as JsonObject }));
  }
}
