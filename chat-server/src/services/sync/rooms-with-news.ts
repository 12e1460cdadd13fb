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
  const { hs, rows, userId, since, upTo } = ctx;
  // After a restart the typing serial is unknown: every room gets its typing again.
  if (since.typing === undefined) return undefined;
  const rooms = new Set<string>();
  const add = (roomIds: string[]) => { for (const roomId of roomIds) rooms.add(roomId); };
  if (scanWholeRange(since.pos, upTo, joined)) {
    add(rows.roomsWithEventsIn(since.pos, upTo));
    add(rows.roomsWithReceiptsIn(since.pos, upTo));
  } else {
    add(rows.joinedRoomsWithEventsIn(userId, since.pos, upTo));
    add(rows.joinedRoomsWithReceiptsIn(userId, since.pos, upTo));
  }
  add(rows.roomsWithAccountDataIn(userId, since.pos, upTo));
  for (const roomId of hs.typing.roomsChangedSince(since.typing)) rooms.add(roomId);
  return rooms;
}
