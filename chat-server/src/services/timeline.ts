/**
 * Reading a room's events in stream order, within what the user may see:
 * from `visible_from` (history visibility at join or invite) up to their
 * leave, if they left. Tokens name the point just after a stream position.
 * Also who may read a room's current state.
 */
import type { Store } from "../storage/database.ts";
import { RoomsStore } from "../storage/rooms.ts";
import { type EventFilter, TimelineStore } from "../storage/timeline.ts";
import type { EventRow, Events } from "./events.ts";
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
  private readonly rows: TimelineStore;
  private readonly rooms: RoomsStore;

  constructor(store: Store, private readonly memberships: Memberships, private readonly events: Events, private readonly current: () => number) {
    this.rows = new TimelineStore(store);
    this.rooms = new RoomsStore(store);
  }

  /** Only joined members may read state (a former member is refused, not shown the state at their leave); others may not know the room exists. */
  assertMayReadState(roomId: string, userId: string): void {
    if (!this.rooms.exists(roomId)) throw notFound("Unknown room");
    const membership = this.memberships.membershipOf(roomId, userId);
    if (membership !== "join") throw forbidden("You are not joined to this room");
  }

  /** The positions of `roomId` that `userId` may see, or undefined if none. */
  visibleWindow(roomId: string, userId: string): Window | undefined {
    const m = this.memberships.get(roomId, userId);
    if (!m || m.membership === "invite") return undefined;
    const to = m.membership === "join" ? Number.MAX_SAFE_INTEGER : m.visible_to ?? m.stream_pos;
    return { from: m.visible_from, to };
  }

  /** `/messages`: a page of the events the filter lets through; a full page ends with a token to page on from. */
  paginate(roomId: string, userId: string, opts: { dir: "b" | "f"; from?: number; to?: number; limit: number; filter?: EventFilter }): Page {
    const window = this.visibleWindow(roomId, userId);
    if (!window) {
      if (!this.rooms.exists(roomId)) throw notFound("Unknown room");
      throw forbidden("You are not a member of this room");
    }
    const backwards = opts.dir === "b";
    // Without `from`, backwards starts at the live end and forwards at the start of what the user may see.
    const from = opts.from ?? (backwards ? this.current() : Math.max(0, window.from - 1));
    const events = this.rows.page(roomId, window, { backwards, from, to: opts.to, limit: opts.limit, filter: opts.filter });
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
  context(roomId: string, userId: string, eventId: string, limit: number, filter?: EventFilter): { before: EventRow[]; event: EventRow; after: EventRow[]; start: string; end: string } {
    const window = this.visibleWindow(roomId, userId);
    if (!window) throw notFound("Event not found");
    // The event itself is returned whatever the filter says; the filter narrows the events around it.
    const event = this.rows.eventIn(roomId, eventId, window);
    if (!event) throw notFound("Event not found");
    const around = { from: window.from, to: Math.min(window.to, this.current()) };
    const beforeLimit = Math.floor(limit / 2);
    const before = this.rows.beside(roomId, around, event.stream_pos, "before", beforeLimit, filter);
    const after = this.rows.beside(roomId, around, event.stream_pos, "after", limit - beforeLimit, filter);
    return {
      before,
      event,
      after,
      start: formatSyncToken((before.at(-1)?.stream_pos ?? event.stream_pos) - 1, 0),
      end: formatSyncToken(after.at(-1)?.stream_pos ?? event.stream_pos, 0),
    };
  }

  /**
   * The `state` of a `/context` answer around `events`: current state only for members;
   * someone who left sees the senders' member events, as with lazy loading.
   */
  contextState(roomId: string, userId: string, events: EventRow[], lazyLoadMembers: boolean): EventRow[] {
    const joined = this.memberships.membershipOf(roomId, userId) === "join";
    return joined && !lazyLoadMembers
      ? this.events.currentState(roomId)
      : this.events.memberEvents(roomId, events.map((e) => e.sender));
  }

  /** Events after `since` up to `upTo`, the newest `limit` of them, oldest first; `limited` when more were skipped. */
  recent(roomId: string, userId: string, since: number, upTo: number, limit: number): { events: EventRow[]; limited: boolean } {
    const window = this.visibleWindow(roomId, userId);
    if (!window) return { events: [], limited: false };
    const lower = Math.max(since + 1, window.from);
    const upper = Math.min(upTo, window.to);
    const rows = this.rows.newest(roomId, { from: lower, to: upper }, limit + 1);
    const limited = rows.length > limit;
    if (limited) rows.pop();
    return { events: rows.reverse(), limited };
  }
}
