/**
 * How far into a room's timeline a bot has handled events, so after a restart
 * it handles what came while it was away, and nothing twice. Stored with the
 * rooms a bot reads (`read_state` of scheduling rooms, referrals, referral
 * desks), so it lives with the stores, which know no SDK.
 */
export interface ReadMark {
  /** origin_server_ts of the newest event handled. */
  ts: number;
  /** Ids of the handled events with exactly that timestamp. */
  ids: string[];
}

export const NOTHING_READ: ReadMark = { ts: 0, ids: [] };

export function alreadyRead(mark: ReadMark, ts: number, eventId: string): boolean {
  return ts < mark.ts || (ts === mark.ts && mark.ids.includes(eventId));
}

export function markRead(mark: ReadMark, ts: number, eventId: string): ReadMark {
  if (ts > mark.ts) return { ts, ids: [eventId] };
  if (ts === mark.ts && !mark.ids.includes(eventId)) return { ts, ids: [...mark.ids, eventId] };
  return mark;
}
