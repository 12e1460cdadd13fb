/**
 * Room events: inserting them into the global stream (with current state and
 * membership kept beside) and shaping them for clients. Inserts run inside a
 * Writer transaction, so positions and rows commit together.
 */
import type { EventsTable } from "@onsafe/schema";
import type { Store } from "../storage/database.ts";
import { prepared } from "../storage/prepared.ts";
import type { WriteContext } from "../storage/writer.ts";
import { type JsonObject, newEventId } from "@onsafe/matrix-basics";

export interface NewEvent {
  roomId: string;
  type: string;
  stateKey?: string;
  sender: string;
  content: JsonObject;
  txn?: Txn;
}

/**
 * A client's transaction: the same id from the same device on the same request
 * path (room plus `send/{type}` or `redact/{eventId}`) is a retry; on another
 * path it is a new request.
 */
export interface Txn {
  deviceId: string;
  txnId: string;
  scope: string;
}

export type EventRow = EventsTable;

export interface ClientEvent {
  event_id: string;
  room_id: string;
  type: string;
  sender: string;
  origin_server_ts: number;
  content: JsonObject;
  state_key?: string;
  redacts?: string;
  unsigned: JsonObject;
}

/** The requesting device, so its own sends carry `unsigned.transaction_id`. */
export interface Viewer {
  userId: string;
  deviceId?: string;
}

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

export class Events {
  private readonly queries: ReturnType<typeof queries>;

  constructor(private readonly store: Store) {
    this.queries = queries(store);
  }

  insert(ctx: WriteContext, event: NewEvent): EventRow {
    const q = this.store.q;
    const pos = ctx.nextPos();
    const isState = event.stateKey !== undefined;
    const previous = isState ? this.stateRow(event.roomId, event.type, event.stateKey!) : undefined;
    const row: EventRow = {
      stream_pos: pos,
      event_id: newEventId(),
      room_id: event.roomId,
      type: event.type,
      state_key: event.stateKey ?? null,
      sender: event.sender,
      origin_server_ts: Date.now(),
      content: JSON.stringify(event.content),
      replaces_state: previous?.event_id ?? null,
      redacted_by: null,
      txn_device_id: event.txn?.deviceId ?? null,
      txn_scope: event.txn?.scope ?? null,
      txn_id: event.txn?.txnId ?? null,
    };
    this.queries.insert.run(row);
    if (isState) {
      this.store.run(q.insertInto("room_state")
        .values({ room_id: event.roomId, type: event.type, state_key: event.stateKey!, event_id: row.event_id, stream_pos: pos })
        .onConflict((oc) => oc.columns(["room_id", "type", "state_key"]).doUpdateSet({ event_id: row.event_id, stream_pos: pos })));
      if (event.type === "m.room.member") this.updateMembership(row, event.content);
    }
    ctx.wakeRoom(event.roomId);
    if (event.type === "m.room.member" && event.stateKey) ctx.wakeUsers([event.stateKey]);
    return row;
  }

  private updateMembership(row: EventRow, content: JsonObject): void {
    const q = this.store.q;
    const userId = row.state_key!;
    const membership = String(content.membership);
    const existing = this.store.first(q.selectFrom("memberships").selectAll()
      .where("room_id", "=", row.room_id).where("user_id", "=", userId));
    let visibleFrom = existing?.visible_from ?? row.stream_pos;
    const visibility = this.stateContent(row.room_id, "m.room.history_visibility", "")?.history_visibility ?? "shared";
    const seesEverything = visibility === "shared" || visibility === "world_readable";
    if (membership === "invite" || (membership === "join" && existing?.membership !== "join")) {
      const keepInvite = membership === "join" && existing?.membership === "invite" && visibility === "invited";
      visibleFrom = seesEverything ? 0 : keepInvite ? existing!.visible_from : row.stream_pos;
    } else if (existing?.membership === "invite" && visibility !== "invited" && visibility !== "world_readable") {
      // An invite declined or withdrawn before joining shows nothing but its own end.
      visibleFrom = row.stream_pos;
    }
    this.store.run(q.insertInto("memberships")
      .values({ room_id: row.room_id, user_id: userId, membership, event_id: row.event_id, stream_pos: row.stream_pos, visible_from: visibleFrom })
      .onConflict((oc) => oc.columns(["room_id", "user_id"]).doUpdateSet({
        membership, event_id: row.event_id, stream_pos: row.stream_pos, visible_from: visibleFrom,
      })));
  }

  byId(eventId: string): EventRow | undefined {
    return this.queries.byId.first(eventId);
  }

  /** The event an earlier request of this transaction created, if any. */
  byTxn(sender: string, roomId: string, txn: Txn): EventRow | undefined {
    return this.queries.byTxn.first(sender, txn.deviceId, txn.txnId, roomId, txn.scope);
  }

  stateRow(roomId: string, type: string, stateKey: string) {
    return this.queries.stateRow.first(roomId, type, stateKey);
  }

  stateContent(roomId: string, type: string, stateKey: string): JsonObject | undefined {
    const row = this.queries.stateContent.first(roomId, type, stateKey);
    return row ? (JSON.parse(row.content) as JsonObject) : undefined;
  }

  /** Current state events of a room, optionally only some types. */
  currentState(roomId: string): EventRow[] {
    const q = this.store.q;
    return this.store.all(q.selectFrom("room_state")
      .innerJoin("events", "events.event_id", "room_state.event_id")
      .selectAll("events")
      .where("room_state.room_id", "=", roomId)
      .orderBy("events.stream_pos"));
  }

  memberEvents(roomId: string, userIds: Iterable<string>): EventRow[] {
    const ids = [...new Set(userIds)];
    if (ids.length === 0) return [];
    const q = this.store.q;
    return this.store.all(q.selectFrom("room_state")
      .innerJoin("events", "events.event_id", "room_state.event_id")
      .selectAll("events")
      .where("room_state.room_id", "=", roomId).where("room_state.type", "=", "m.room.member")
      .where("room_state.state_key", "in", ids));
  }

  toClient(row: EventRow, viewer?: Viewer): ClientEvent {
    const unsigned: JsonObject = { age: Math.max(0, Date.now() - row.origin_server_ts) };
    if (row.txn_id && viewer && row.sender === viewer.userId && row.txn_device_id === viewer.deviceId) {
      unsigned.transaction_id = row.txn_id;
    }
    if (row.replaces_state) {
      const previous = this.byId(row.replaces_state);
      if (previous) {
        unsigned.replaces_state = previous.event_id;
        unsigned.prev_content = JSON.parse(previous.content);
        unsigned.prev_sender = previous.sender;
      }
    }
    if (row.redacted_by) {
      const redaction = this.byId(row.redacted_by);
      if (redaction) unsigned.redacted_because = this.toClient(redaction);
    }
    const event: ClientEvent = {
      event_id: row.event_id,
      room_id: row.room_id,
      type: row.type,
      sender: row.sender,
      origin_server_ts: row.origin_server_ts,
      content: JSON.parse(row.content) as JsonObject,
      unsigned,
    };
    if (row.state_key !== null) event.state_key = row.state_key;
    // Room version 10 clients read `redacts` at the top level.
    if (row.type === "m.room.redaction" && typeof event.content.redacts === "string") event.redacts = event.content.redacts;
    return event;
  }

  /** Stripped state for invites: enough for a client to show who invites to what. */
  strippedState(roomId: string): JsonObject[] {
    const types = new Set(["m.room.create", "m.room.join_rules", "m.room.name", "m.room.avatar", "m.room.encryption", "m.room.topic", "m.room.canonical_alias"]);
    return this.currentState(roomId)
      .filter((e) => types.has(e.type))
      .map((e) => ({ type: e.type, state_key: e.state_key, sender: e.sender, content: JSON.parse(e.content) }));
  }
}
