/**
 * Timeline reads: a room's events in stream order between two positions (what
 * a user may see is decided by the service, services/timeline.ts), for
 * `/messages`, `/context` and a sync's timelines, narrowed by a client's
 * RoomEventFilter where one is given.
 */
import { type Expression, type ExpressionBuilder, sql, type SqlBool } from "kysely";
import type { EventsTable, HomeserverDatabase } from "@onsafe/schema";
import type { Store } from "./database.ts";
import { prepared } from "./prepared.ts";

/** A stretch of stream positions, both ends included. */
export interface PositionRange {
  from: number;
  to: number;
}

/**
 * Which events a RoomEventFilter lets through (validated by the service).
 * Absent `types` / `senders` let every type / sender through; an empty list lets none.
 * A `*` in a type stands for any run of characters.
 */
export interface EventFilter {
  types?: string[];
  notTypes: string[];
  senders?: string[];
  notSenders: string[];
  /** true: only events whose `content.url` is a string; false: only the others. */
  containsUrl?: boolean;
}

/** A sync reads every room with news this way: compiled once (storage/prepared.ts). */
const queries = (store: Store) => ({
  newest: prepared(store, (q, roomId: string, from: number, to: number, limit: number) => q.selectFrom("events").selectAll().where("room_id", "=", roomId)
    .where("stream_pos", ">=", from).where("stream_pos", "<=", to)
    .orderBy("stream_pos", "desc").limit(limit)),
});

export class TimelineStore {
  private readonly queries: ReturnType<typeof queries>;

  constructor(private readonly store: Store) {
    this.queries = queries(store);
  }

  /**
   * Up to `limit` events of `roomId` inside `window` that the filter lets through, from `from`
   * on: backwards (newest first) at and before `from` down to after `to`, or forwards after
   * `from` up to `to`. The filter is part of the query, so a page is full whenever more match.
   */
  page(roomId: string, window: PositionRange, opts: { backwards: boolean; from: number; to?: number; limit: number; filter?: EventFilter }): EventsTable[] {
    const { backwards, from } = opts;
    let query = this.store.q.selectFrom("events").selectAll().where("room_id", "=", roomId)
      .where("stream_pos", ">=", window.from).where("stream_pos", "<=", window.to);
    query = backwards ? query.where("stream_pos", "<=", from) : query.where("stream_pos", ">", from);
    if (opts.to !== undefined) query = backwards ? query.where("stream_pos", ">", opts.to) : query.where("stream_pos", "<=", opts.to);
    const filter = opts.filter;
    if (filter && narrows(filter)) query = query.where((eb) => lets(eb, filter));
    return this.store.all(query.orderBy("stream_pos", backwards ? "desc" : "asc").limit(opts.limit));
  }

  /** The event `eventId` of `roomId`, if its position is inside `window`. */
  eventIn(roomId: string, eventId: string, window: PositionRange): EventsTable | undefined {
    return this.store.first(this.store.q.selectFrom("events").selectAll().where("event_id", "=", eventId).where("room_id", "=", roomId)
      .where("stream_pos", ">=", window.from).where("stream_pos", "<=", window.to));
  }

  /**
   * Up to `limit` events of `roomId` inside `window` that the filter lets through, on one side of
   * position `pos`: before it (newest first) or after it (oldest first).
   */
  beside(roomId: string, window: PositionRange, pos: number, side: "before" | "after", limit: number, filter?: EventFilter): EventsTable[] {
    let around = this.store.q.selectFrom("events").selectAll().where("room_id", "=", roomId)
      .where("stream_pos", ">=", window.from).where("stream_pos", "<=", window.to);
    if (filter && narrows(filter)) around = around.where((eb) => lets(eb, filter));
    return this.store.all(side === "before"
      ? around.where("stream_pos", "<", pos).orderBy("stream_pos", "desc").limit(limit)
      : around.where("stream_pos", ">", pos).orderBy("stream_pos", "asc").limit(limit));
  }

  /** The newest `limit` events of `roomId` in `range`, newest first. */
  newest(roomId: string, range: PositionRange, limit: number): EventsTable[] {
    return this.queries.newest.all(roomId, range.from, range.to, limit);
  }
}

/** Whether the filter leaves anything out (one with none of its fields adds nothing to the query). */
function narrows(filter: EventFilter): boolean {
  return filter.types !== undefined || filter.notTypes.length > 0 || filter.senders !== undefined || filter.notSenders.length > 0 || filter.containsUrl !== undefined;
}

/** The filter as one condition on `events`. Every clause compares values: nothing of the client's becomes SQL. */
function lets(eb: ExpressionBuilder<HomeserverDatabase, "events">, filter: EventFilter): Expression<SqlBool> {
  const clauses: Expression<SqlBool>[] = [];
  if (filter.types) clauses.push(filter.types.length ? eb.or(filter.types.map((type) => typeIs(eb, type))) : nothing());
  for (const type of filter.notTypes) clauses.push(eb.not(typeIs(eb, type)));
  if (filter.senders) clauses.push(filter.senders.length ? eb("sender", "in", filter.senders) : nothing());
  if (filter.notSenders.length) clauses.push(eb("sender", "not in", filter.notSenders));
  if (filter.containsUrl !== undefined) {
    // As Synapse computes contains_url: the content's `url` is a string. SQLite's JSON1 here;
    // another dialect would say the same with its own JSON operator. Ciphertext has no `url`
    // in the clear, so an `m.room.encrypted` event never contains one.
    const hasUrl = sql<SqlBool>`json_type(${eb.ref("content")}, '$.url') = 'text'`;
    clauses.push(filter.containsUrl ? hasUrl : sql<SqlBool>`coalesce(json_type(${eb.ref("content")}, '$.url'), '') != 'text'`);
  }
  return eb.and(clauses);
}

/**
 * A type pattern: exact, or with `*` standing for any run of characters. SQLite's GLOB, not
 * LIKE: it keeps case (event types are case-sensitive) and `_` or `%` in a type mean themselves.
 * GLOB's other wildcards (`?`, `[`) are bracketed so they match only themselves.
 */
function typeIs(eb: ExpressionBuilder<HomeserverDatabase, "events">, type: string): Expression<SqlBool> {
  if (!type.includes("*")) return eb("type", "=", type);
  const pattern = type.replace(/[?[]/g, (c) => `[${c}]`);
  return sql<SqlBool>`${eb.ref("type")} GLOB ${pattern}`;
}

function nothing(): Expression<SqlBool> {
  return sql<SqlBool>`0 = 1`;
}
