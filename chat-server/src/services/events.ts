/**
 * Room events: inserting them into the global stream (with current state and
 * membership kept beside) and shaping them for clients. Inserts run inside a
 * Writer transaction, so positions and rows commit together.
 */
import type { Store } from "../storage/database.ts";
import { type EventRow, EventsStore } from "../storage/events.ts";
import { MembershipsStore } from "../storage/memberships.ts";
import type { MembershipsTable } from "@onsafe/schema";
import type { WriteContext } from "../storage/writer.ts";
import { type JsonObject, newEventId } from "@onsafe/matrix-basics";

export type { EventRow } from "../storage/events.ts";

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

/**
 * The last position a member may read once out of the room: none while joined
 * or invited; their leave (or ban, or declined invite) otherwise. A ban or
 * unban of someone already out keeps the end where they left, so it reopens
 * nothing sent since, even after `/forget` (issue 21).
 */
function windowEnd(existing: MembershipsTable | undefined, membership: string, pos: number): number | null {
  if (membership === "join" || membership === "invite") return null;
  if (existing && existing.membership !== "join" && existing.membership !== "invite") return existing.visible_to ?? existing.stream_pos;
  return pos;
}

export class Events {
  private readonly rows: EventsStore;
  private readonly memberships: MembershipsStore;

  constructor(store: Store) {
    this.rows = new EventsStore(store);
    this.memberships = new MembershipsStore(store);
  }

  insert(ctx: WriteContext, event: NewEvent): EventRow {
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
    this.rows.insert(row);
    if (isState) {
      const stateRow = row as EventRow & { state_key: string };
      this.rows.setCurrentState(stateRow);
      if (event.type === "m.room.member") this.updateMembership(stateRow, event.content);
    }
    ctx.wakeRoom(event.roomId);
    if (event.type === "m.room.member" && event.stateKey) ctx.wakeUsers([event.stateKey]);
    return row;
  }

  private updateMembership(row: EventRow & { state_key: string }, content: JsonObject): void {
    const userId = row.state_key;
    const membership = String(content.membership);
    const existing = this.memberships.get(row.room_id, userId);
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
    this.rows.setMembership(row, membership, visibleFrom, windowEnd(existing, membership, row.stream_pos));
  }

  byId(eventId: string): EventRow | undefined {
    return this.rows.byId(eventId);
  }

  /** The event an earlier request of this transaction created, if any. */
  byTxn(sender: string, roomId: string, txn: Txn): EventRow | undefined {
    return this.rows.byTxn(sender, txn.deviceId, txn.txnId, roomId, txn.scope);
  }

  stateRow(roomId: string, type: string, stateKey: string) {
    return this.rows.stateRow(roomId, type, stateKey);
  }

  stateContent(roomId: string, type: string, stateKey: string): JsonObject | undefined {
    const content = this.rows.stateContent(roomId, type, stateKey);
    return content !== undefined ? (JSON.parse(content) as JsonObject) : undefined;
  }

  /** Current state events of a room, optionally only some types. */
  currentState(roomId: string): EventRow[] {
    return this.rows.currentState(roomId);
  }

  memberEvents(roomId: string, userIds: Iterable<string>): EventRow[] {
    const ids = [...new Set(userIds)];
    if (ids.length === 0) return [];
    return this.rows.memberEvents(roomId, ids);
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
