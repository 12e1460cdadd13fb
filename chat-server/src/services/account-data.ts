/** Global and per-room account data, each write a position in the global stream. */
import { AccountDataStore } from "../storage/account-data.ts";
import type { Store } from "../storage/database.ts";
import type { Writer } from "../storage/writer.ts";
import { type JsonObject, tooLarge } from "@onsafe/matrix-basics";

/**
 * Types the server writes itself (read markers, one per room the user reads): they
 * are not the client's to fill, so they neither count against nor meet the quota,
 * and staff reading hundreds of rooms keep their whole quota.
 */
const SERVER_SET = ["m.fully_read", "m.push_rules"] as const;

/** What one account may keep (config: ONSAFE_ACCOUNT_DATA_MAX_ENTRIES, ONSAFE_ACCOUNT_DATA_MAX_BYTES). */
export interface AccountDataQuota {
  maxEntries: number;
  maxBytes: number;
}

export class AccountData {
  private readonly rows: AccountDataStore;

  constructor(store: Store, private readonly writer: Writer, private readonly quota: AccountDataQuota) {
    this.rows = new AccountDataStore(store);
  }

  /**
   * `roomId` "" is global account data. Every account data of the user counts
   * against the quota (replacing an entry counts the difference); past it
   * `413 M_TOO_LARGE` and nothing is written, since each sync carries it all.
   */
  async set(userId: string, roomId: string, type: string, content: JsonObject): Promise<void> {
    const json = JSON.stringify(content);
    await this.writer.write((ctx) => {
      if (!(SERVER_SET as readonly string[]).includes(type)) this.assertWithinQuota(userId, roomId, type, Buffer.byteLength(json));
      const values = { content: json, stream_pos: ctx.nextPos() };
      this.rows.upsert({ user_id: userId, room_id: roomId, type }, values);
      ctx.wakeUsers([userId]);
    });
  }

  private assertWithinQuota(userId: string, roomId: string, type: string, bytes: number): void {
    const replaced = this.rows.bytesOf(userId, roomId, type);
    const usage = this.rows.usage(userId, SERVER_SET);
    if (replaced === undefined && usage.entries + 1 > this.quota.maxEntries) {
      throw tooLarge(`An account may keep at most ${this.quota.maxEntries} account data entries`);
    }
    if (usage.bytes - (replaced ?? 0) + bytes > this.quota.maxBytes) {
      throw tooLarge(`An account's account data may take at most ${this.quota.maxBytes} bytes`);
    }
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
