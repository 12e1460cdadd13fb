/**
 * Reading a room's events in stream order, within what the user may see:
 * from `visible_from` (history visibility at join or invite) up to their
 * leave, if they left. Tokens name the point just after a stream position.
 */
import type { Store } from "../storage/database.ts";
import type { EventRow } from "./events.ts";
import type { Memberships } from "./memberships.ts";
import { formatSyncToken } from "./sync-token.ts";
import { forbidden, notFound } from "@onsafe/matrix-basics";

export interface Page {
  events: EventRow[];
  start: string;
  end?: string;
}

export interface Window {
  from: number;
  to: number;
}

export class Timeline {
  constructor(private readonly store: Store, private readonly memberships: Memberships, private readonly current: () => number) {}

  /** The positions of `roomId` that `userId` may see, or undefined if none. */
  visibleWindow(roomId: string, userId: string): Window | undefined {
    const m = this.memberships.get(roomId, userId);
    if (!m || m.membership === "invite") return undefined;
    const to = m.membership === "join" ? Number.MAX_SAFE_INTEGER : m.stream_pos;
    return { from: m.visible_from, to };
  }

  paginate(roomId: string, userId: string, opts: { dir: "b" | "f"; from?: number; to?: number; limit: number }): Page {
    const window = this.visibleWindow(roomId, userId);
    if (!window) {
      if (!this.store.first(this.store.q.selectFrom("rooms").select("room_id").where("room_id", "=", roomId))) throw notFound("Unknown room");
      throw forbidden("You are not a member of this room");
    }
    const backwards = opts.dir === "b";
    // Without `from`, backwards starts at the live end and forwards at the start of what the user may see.
    const from = opts.from ?? (backwards ? this.current() : Math.max(0, window.from - 1));
    let query = this.store.q.selectFrom("events").selectAll().where("room_id", "=", roomId)
      .where("stream_pos", ">=", window.from).where("stream_pos", "<=", window.to);
    query = backwards ? query.where("stream_pos", "<=", from) : query.where("stream_pos", ">", from);
    if (opts.to !== undefined) query = backwards ? query.where("stream_pos", ">", opts.to) : query.where("stream_pos", "<=", opts.to);
    const events = this.store.all(query.orderBy("stream_pos", backwards ? "desc" : "asc").limit(opts.limit));
    const page: Page = { events, start: formatSyncToken(from, 0) };
    if (events.length === opts.limit) {
      const last = events[events.length - 1].stream_pos;
      page.end = formatSyncToken(backwards ? last - 1 : last, 0);
    }
    return page;
  }

  /**
   * `/context`: the event and up to `limit` visible events around it, half
   * before (newest first) and half after, with tokens to paginate on from there.
   */
  context(roomId: string, userId: string, eventId: string, limit: number): { before: EventRow[]; event: EventRow; after: EventRow[]; start: string; end: string } {
    const window = this.visibleWindow(roomId, userId);
    if (!window) throw notFound("Event not found");
    const event = this.store.first(this.store.q.selectFrom("events").selectAll().where("event_id", "=", eventId).where("room_id", "=", roomId)
      .where("stream_pos", ">=", window.from).where("stream_pos", "<=", window.to));
    if (!event) throw notFound("Event not found");
    const around = this.store.q.selectFrom("events").selectAll().where("room_id", "=", roomId)
      .where("stream_pos", ">=", window.from).where("stream_pos", "<=", Math.min(window.to, this.current()));
    const beforeLimit = Math.floor(limit / 2);
    const before = this.store.all(around.where("stream_pos", "<", event.stream_pos).orderBy("stream_pos", "desc").limit(beforeLimit));
    const after = this.store.all(around.where("stream_pos", ">", event.stream_pos).orderBy("stream_pos", "asc").limit(limit - beforeLimit));
    return {
      before,
      event,
      after,
      start: formatSyncToken((before.at(-1)?.stream_pos ?? event.stream_pos) - 1, 0),
      end: formatSyncToken(after.at(-1)?.stream_pos ?? event.stream_pos, 0),
    };
  }

  /** Events after `since` up to `upTo`, the newest `limit` of them, oldest first; `limited` when more were skipped. */
  recent(roomId: string, userId: string, since: number, upTo: number, limit: number): { events: EventRow[]; limited: boolean } {
    const window = this.visibleWindow(roomId, userId);
    if (!window) return { events: [], limited: false };
    const lower = Math.max(since + 1, window.from);
    const upper = Math.min(upTo, window.to);
    const rows = this.store.all(this.store.q.selectFrom("events").selectAll().where("room_id", "=", roomId)
      .where("stream_pos", ">=", lower).where("stream_pos", "<=", upper)
      .orderBy("stream_pos", "desc").limit(limit + 1));
    const limited = rows.length > limit;
    if (limited) rows.pop();
    return { events: rows.reverse(), limited };
  }
}
