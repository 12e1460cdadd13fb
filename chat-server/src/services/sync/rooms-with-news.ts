/**
 * Which rooms an incremental sync needs to look at: those with new events,
 * receipts, typing or room account data after `since`. Found with range scans
 * over what is new, so a sync costs what changed, not how many rooms the user
 * is in (the triage bot and busy companions are in hundreds).
 */
import type { SyncContext } from "./context.ts";

/** Rooms with news since the sync token; undefined when every room must be looked at. */
export function roomsWithNews(ctx: SyncContext): Set<string> | undefined {
  const { hs, userId, since, upTo } = ctx;
  // After a restart the typing serial is unknown: every room gets its typing again.
  if (since.typing === undefined) return undefined;
  const q = hs.store.q;
  const rooms = new Set<string>();
  const add = (rows: { room_id: string }[]) => { for (const row of rows) rooms.add(row.room_id); };
  add(hs.store.all(q.selectFrom("events").select("room_id").distinct().where("stream_pos", ">", since.pos).where("stream_pos", "<=", upTo)));
  add(hs.store.all(q.selectFrom("receipts").select("room_id").distinct().where("stream_pos", ">", since.pos).where("stream_pos", "<=", upTo)));
  add(hs.store.all(q.selectFrom("account_data").select("room_id").distinct()
    .where("user_id", "=", userId).where("room_id", "!=", "").where("stream_pos", ">", since.pos).where("stream_pos", "<=", upTo)));
  for (const roomId of hs.typing.roomsChangedSince(since.typing)) rooms.add(roomId);
  return rooms;
}
