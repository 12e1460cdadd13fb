/**
 * Which rooms an incremental sync needs to look at: those with new events,
 * receipts, typing or room account data after `since`. A sync then costs what
 * changed, not how many rooms the user is in (the triage bot and busy
 * companions are in hundreds); see `stream-range.ts` for how it looks.
 */
import { scanWholeRange } from "../stream-range.ts";
import type { SyncContext } from "./context.ts";

/** Rooms with news since the sync token, among `joined`; undefined when every room must be looked at. */
export function roomsWithNews(ctx: SyncContext, joined: number): Set<string> | undefined {
  const { hs, userId, since, upTo } = ctx;
  // After a restart the typing serial is unknown: every room gets its typing again.
  if (since.typing === undefined) return undefined;
  const q = hs.store.q;
  const rooms = new Set<string>();
  const add = (rows: { room_id: string }[]) => { for (const row of rows) rooms.add(row.room_id); };
  if (scanWholeRange(since.pos, upTo, joined)) {
    add(hs.store.all(q.selectFrom("events").select("room_id").distinct().where("stream_pos", ">", since.pos).where("stream_pos", "<=", upTo)));
    add(hs.store.all(q.selectFrom("receipts").select("room_id").distinct().where("stream_pos", ">", since.pos).where("stream_pos", "<=", upTo)));
  } else {
    for (const table of ["events", "receipts"] as const) {
      add(hs.store.all(q.selectFrom("memberships as m").select("m.room_id")
        .where("m.user_id", "=", userId).where("m.membership", "=", "join")
        .where((eb) => eb.exists(eb.selectFrom(table).select(`${table}.room_id`).whereRef(`${table}.room_id`, "=", "m.room_id")
          .where(`${table}.stream_pos`, ">", since.pos).where(`${table}.stream_pos`, "<=", upTo)))));
    }
  }
  add(hs.store.all(q.selectFrom("account_data").select("room_id").distinct()
    .where("user_id", "=", userId).where("room_id", "!=", "").where("stream_pos", ">", since.pos).where("stream_pos", "<=", upTo)));
  for (const roomId of hs.typing.roomsChangedSince(since.typing)) rooms.add(roomId);
  return rooms;
}
