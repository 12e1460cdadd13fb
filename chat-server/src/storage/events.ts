/**
 * Room events in the global stream (`events`), the room's current state
 * beside them (`room_state`) and the membership each member event sets
 * (`memberships`). Written inside a Writer transaction (storage/writer.ts),
 * so positions and rows commit together.
 */
import type { EventsTable, RoomStateTable } from "@onsafe/schema";
import type { Store } from "./database.ts";
import { prepared } from "./prepared.ts";

export type EventRow = EventsTable;

/** The queries every send, state read and event shaping makes: compiled once (storage/prepared.ts). */
const queries = (store: Store) => ({
  insert: prepared(store, (q, row: EventRow) => q.insertInto("events").values(row)),
  byId: prepared(store, (q, eventId: string) => q.selectFrom("events").selectAll().where("event_id", "=", eventId)),
  byTxn: prepared(store, (q, sender: string, deviceId: string, txnId: string, roomId: string, scope: string) => q.selectFrom("events").selectAll()
    .where("sender", "=", sender).where("txn_device_id", "=", deviceId).where("txn_id", "=", txnId)
    .where("room_id", "=", roomId).where("txn_scope", "=", scope)),
  stateRow: prepared(store, (q, roomId: string, type: string, stateKey: string) => q.selectFrom("room_state").selectAll()
    .where("room_id", "=", roomId).where("type", "=", type).where("state_key", "=", stateKey)),
  stateContent: prepared(store, (q, roomId: string, type: string, stateKey: string) => q.selectFrom("room_state")
    .innerJoin("events", "events.event_id", "room_state.event_id")
    .select("events.content")
    .where("room_state.room_id", "=", roomId).where("room_state.type", "=", type).where("room_state.state_key", "=", stateKey)),
});

export class EventsStore {
  private readonly queries: ReturnType<typeof queries>;

  constructor(private readonly store: Store) {
    this.queries = queries(store);
  }

  insert(row: EventRow): void {
    this.queries.insert.run(row);
  }

  /** Makes the state event `row` the room's current state for its type and state key. */
  setCurrentState(row: EventRow & { state_key: string }): void {
    const q = this.store.q;
    const pos = row.stream_pos;
    this.store.run(q.insertInto("room_state")
      .values({ room_id: row.room_id, type: row.type, state_key: row.state_key, event_id: row.event_id, stream_pos: pos })
      .onConflict((oc) => oc.columns(["room_id", "type", "state_key"]).doUpdateSet({ event_id: row.event_id, stream_pos: pos })));
  }

  /**
   * Records the membership the member event `row` sets, replacing the user's earlier one in the room,
   * with the window of history they may read (`visibleTo` null while they are joined or invited).
   */
  setMembership(row: EventRow & { state_key: string }, membership: string, visibleFrom: number, visibleTo: number | null): void {
    const q = this.store.q;
    const userId = row.state_key;
    this.store.run(q.insertInto("memberships")
      .values({ room_id: row.room_id, user_id: userId, membership, event_id: row.event_id, stream_pos: row.stream_pos, visible_from: visibleFrom, visible_to: visibleTo })
      .onConflict((oc) => oc.columns(["room_id", "user_id"]).doUpdateSet({
        membership, event_id: row.event_id, stream_pos: row.stream_pos, visible_from: visibleFrom, visible_to: visibleTo,
      })));
  }

  byId(eventId: string): EventRow | undefined {
    return this.queries.byId.first(eventId);
  }

  /** The event of this client transaction (sender, device, transaction id, room and request path), if any. */
  byTxn(sender: string, deviceId: string, txnId: string, roomId: string, scope: string): EventRow | undefined {
    return this.queries.byTxn.first(sender, deviceId, txnId, roomId, scope);
  }

  stateRow(roomId: string, type: string, stateKey: string): RoomStateTable | undefined {
    return this.queries.stateRow.first(roomId, type, stateKey);
  }

  /** The content (JSON text) of the room's current state event of this type and state key. */
  stateContent(roomId: string, type: string, stateKey: string): string | undefined {
    return this.queries.stateContent.first(roomId, type, stateKey)?.content;
  }

  /** Current state events of a room, oldest first. */
  currentState(roomId: string): EventRow[] {
    const q = this.store.q;
    return this.store.all(q.selectFrom("room_state")
      .innerJoin("events", "events.event_id", "room_state.event_id")
      .selectAll("events")
      .where("room_state.room_id", "=", roomId)
      .orderBy("events.stream_pos"));
  }

  /** The current member events of these users (at least one) in the room. */
  memberEvents(roomId: string, userIds: string[]): EventRow[] {
    const q = this.store.q;
    return this.store.all(q.selectFrom("room_state")
      .innerJoin("events", "events.event_id", "room_state.event_id")
      .selectAll("events")
      .where("room_state.room_id", "=", roomId).where("room_state.type", "=", "m.room.member")
      .where("room_state.state_key", "in", userIds));
  }

}
