/** Global and per-room account data (`room_id` "" is global): the queries of services/account-data.ts. */
import { sql } from "kysely";
import type { Store } from "./database.ts";

export class AccountDataStore {
  constructor(private readonly store: Store) {}

  /** Inserts or replaces one type's content; `values` are what a replacement sets. */
  upsert(key: { user_id: string; room_id: string; type: string }, values: { content: string; stream_pos: number }): void {
    this.store.run(this.store.q.insertInto("account_data").values({ ...key, ...values })
      .onConflict((oc) => oc.columns(["user_id", "room_id", "type"]).doUpdateSet(values)));
  }

  content(userId: string, roomId: string, type: string): string | undefined {
    return this.store.first(this.store.q.selectFrom("account_data").select("content")
      .where("user_id", "=", userId).where("room_id", "=", roomId).where("type", "=", type))?.content;
  }

  /** How many entries the user keeps, and their content's bytes, leaving out `exceptTypes`. */
  usage(userId: string, exceptTypes: readonly string[]): { entries: number; bytes: number } {
    const row = this.store.first(this.store.q.selectFrom("account_data")
      .select((eb) => [eb.fn.countAll<number>().as("entries"), sql<number | null>`sum(length(cast(content as blob)))`.as("bytes")])
      .where("user_id", "=", userId).where("type", "not in", exceptTypes));
    return { entries: Number(row?.entries ?? 0), bytes: Number(row?.bytes ?? 0) };
  }

  /** The bytes of one entry's content, undefined when there is none. */
  bytesOf(userId: string, roomId: string, type: string): number | undefined {
    const row = this.store.first(this.store.q.selectFrom("account_data").select(sql<number>`length(cast(content as blob))`.as("bytes"))
      .where("user_id", "=", userId).where("room_id", "=", roomId).where("type", "=", type));
    return row ? Number(row.bytes) : undefined;
  }

  /** Rows changed after stream position `since` up to `upTo`, in stream order. */
  changedBetween(userId: string, roomId: string, since: number, upTo: number) {
    return this.store.all(this.store.q.selectFrom("account_data").select(["type", "content"])
      .where("user_id", "=", userId).where("room_id", "=", roomId)
      .where("stream_pos", ">", since).where("stream_pos", "<=", upTo)
      .orderBy("stream_pos"));
  }
}
