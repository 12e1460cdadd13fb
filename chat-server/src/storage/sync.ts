/**
 * What `/sync` reads for itself (services/sync/): the user's memberships and
 * which rooms have news in a range of stream positions. Every sync runs these,
 * so they are compiled once (storage/prepared.ts). The rooms' timelines are
 * read through storage/timeline.ts.
 */
import type { Store } from "./database.ts";
import { prepared } from "./prepared.ts";

export interface SyncMembership {
  room_id: string;
  membership: string;
  event_id: string;
  stream_pos: number;
}

const queries = (store: Store) => {
  /** The user's joined rooms with a row of `table` in the range, probed room by room through (room, position) indexes. */
  const joinedRoomsWithRowsIn = (table: "events" | "receipts") => prepared(store, (q, userId: string, since: number, upTo: number) => q.selectFrom("memberships as m").select("m.room_id")
    .where("m.user_id", "=", userId).where("m.membership", "=", "join")
    .where((eb) => eb.exists(eb.selectFrom(table).select(`${table}.room_id`).whereRef(`${table}.room_id`, "=", "m.room_id")
      .where(`${table}.stream_pos`, ">", since).where(`${table}.stream_pos`, "<=", upTo))));
  return {
    memberships: prepared(store, (q, userId: string) => q.selectFrom("memberships").select(["room_id", "membership", "event_id", "stream_pos"])
      .where("user_id", "=", userId)),
    // Rooms left before `since` have nothing to say to an incremental sync.
    membershipsSince: prepared(store, (q, userId: string, since: number) => q.selectFrom("memberships").select(["room_id", "membership", "event_id", "stream_pos"])
      .where("user_id", "=", userId).where((eb) => eb.or([eb("membership", "in", ["join", "invite"]), eb("stream_pos", ">", since)]))),
    roomsWithEventsIn: prepared(store, (q, since: number, upTo: number) => q.selectFrom("events").select("room_id").distinct().where("stream_pos", ">", since).where("stream_pos", "<=", upTo)),
    roomsWithReceiptsIn: prepared(store, (q, since: number, upTo: number) => q.selectFrom("receipts").select("room_id").distinct().where("stream_pos", ">", since).where("stream_pos", "<=", upTo)),
    joinedRoomsWithEventsIn: joinedRoomsWithRowsIn("events"),
    joinedRoomsWithReceiptsIn: joinedRoomsWithRowsIn("receipts"),
    roomsWithAccountDataIn: prepared(store, (q, userId: string, since: number, upTo: number) => q.selectFrom("account_data").select("room_id").distinct()
      .where("user_id", "=", userId).where("room_id", "!=", "").where("stream_pos", ">", since).where("stream_pos", "<=", upTo)),
  };
};

export class SyncStore {
  private readonly queries: ReturnType<typeof queries>;

  constructor(store: Store) {
    this.queries = queries(store);
  }

  /** All of the user's memberships, or with `since` only those still joined or invited and those changed after it. */
  memberships(userId: string, since?: number): SyncMembership[] {
    return since === undefined ? this.queries.memberships.all(userId) : this.queries.membershipsSince.all(userId, since);
  }

  /** Rooms with events after `since` up to `upTo`, anyone's: the range read whole. */
  roomsWithEventsIn(since: number, upTo: number): string[] {
    return this.queries.roomsWithEventsIn.all(since, upTo).map((r) => r.room_id);
  }

  /** Rooms with receipts after `since` up to `upTo`, anyone's: the range read whole. */
  roomsWithReceiptsIn(since: number, upTo: number): string[] {
    return this.queries.roomsWithReceiptsIn.all(since, upTo).map((r) => r.room_id);
  }

  /** The user's joined rooms with events after `since` up to `upTo`. */
  joinedRoomsWithEventsIn(userId: string, since: number, upTo: number): string[] {
    return this.queries.joinedRoomsWithEventsIn.all(userId, since, upTo).map((r) => r.room_id);
  }

  /** The user's joined rooms with receipts after `since` up to `upTo`. */
  joinedRoomsWithReceiptsIn(userId: string, since: number, upTo: number): string[] {
    return this.queries.joinedRoomsWithReceiptsIn.all(userId, since, upTo).map((r) => r.room_id);
  }

  /** Rooms whose account data of the user changed after `since` up to `upTo`. */
  roomsWithAccountDataIn(userId: string, since: number, upTo: number): string[] {
    return this.queries.roomsWithAccountDataIn.all(userId, since, upTo).map((r) => r.room_id);
  }
}
