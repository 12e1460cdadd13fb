/**
 * One joined room's part of a sync response: timeline, the state before it,
 * ephemeral events and room account data, built from per-stream "since" queries.
 */
import type { ClientEvent, EventRow } from "../events.ts";
import type { SyncContext } from "./context.ts";
import { formatSyncToken } from "../sync-token.ts";
import { type JsonObject } from "@onsafe/matrix-basics";

export function joinedRoom(ctx: SyncContext, roomId: string, newlyJoined: boolean): JsonObject | undefined {
  const { hs, userId, since, upTo, filter } = ctx;
  const timeline = hs.timeline.recent(roomId, userId, newlyJoined ? 0 : since.pos, upTo, filter.timelineLimit);
  const firstPos = timeline.events[0]?.stream_pos;
  const state = newlyJoined
    ? stateBefore(ctx, roomId, timeline.events)
    : timeline.limited ? stateChangedBetween(ctx, roomId, since.pos, firstPos ?? upTo + 1) : [];
  if (filter.lazyLoadMembers && (newlyJoined || timeline.limited)) addSenderMembers(ctx, roomId, timeline.events, state);

  const ephemeral: JsonObject[] = [];
  const receipts = hs.receipts.receiptEvent(roomId, userId, newlyJoined ? 0 : since.pos, upTo);
  if (receipts) ephemeral.push(receipts);
  const typing = hs.typing.changedSince(roomId, newlyJoined ? undefined : since.typing);
  if (typing && (typing.length || !newlyJoined)) ephemeral.push({ type: "m.typing", content: { user_ids: typing } });
  const accountData = hs.accountData.changedSince(userId, roomId, newlyJoined ? undefined : since.pos, upTo);

  if (!newlyJoined && !timeline.events.length && !state.length && !ephemeral.length && !accountData.length) return undefined;
  const viewer = { userId, deviceId: ctx.deviceId };
  const room: JsonObject = {
    timeline: {
      events: timeline.events.map((e) => hs.events.toClient(e, viewer)),
      limited: timeline.limited,
      prev_batch: formatSyncToken(firstPos !== undefined ? firstPos - 1 : upTo, 0),
    },
    state: { events: state.map((e) => stripRoomId(hs.events.toClient(e, viewer))) },
    ephemeral: { events: ephemeral },
    account_data: { events: accountData },
    unread_notifications: { notification_count: 0, highlight_count: 0 },
  };
  if (newlyJoined) room.summary = summary(ctx, roomId);
  return room;
}

/** Current state, with any key changed inside the timeline rolled back to its value before it. */
function stateBefore(ctx: SyncContext, roomId: string, timeline: EventRow[]): EventRow[] {
  const inTimeline = new Set(timeline.map((e) => e.event_id));
  const state: EventRow[] = [];
  for (const current of ctx.hs.events.currentState(roomId)) {
    let event: EventRow | undefined = current;
    while (event && inTimeline.has(event.event_id)) event = event.replaces_state ? ctx.hs.events.byId(event.replaces_state) : undefined;
    if (!event) continue;
    if (ctx.filter.lazyLoadMembers && event.type === "m.room.member" && event.state_key !== ctx.userId) continue;
    state.push(event);
  }
  return state;
}

/** For a limited timeline: state events between `since` and the timeline's start. */
function stateChangedBetween(ctx: SyncContext, roomId: string, from: number, before: number): EventRow[] {
  return ctx.hs.events.currentState(roomId).filter((e) => e.stream_pos > from && e.stream_pos < before);
}

function addSenderMembers(ctx: SyncContext, roomId: string, timeline: EventRow[], state: EventRow[]): void {
  const have = new Set(state.map((e) => e.event_id));
  const senders = new Set(timeline.map((e) => e.sender));
  senders.add(ctx.userId);
  const inTimeline = new Set(timeline.map((e) => e.event_id));
  for (const member of ctx.hs.events.memberEvents(roomId, senders)) {
    if (!have.has(member.event_id) && !inTimeline.has(member.event_id)) state.push(member);
  }
}

function summary(ctx: SyncContext, roomId: string): JsonObject {
  const joined = ctx.hs.memberships.membersOf(roomId, ["join"]);
  const invited = ctx.hs.memberships.membersOf(roomId, ["invite"]);
  const heroes = [...joined, ...invited].filter((u) => u !== ctx.userId).slice(0, 5);
  return { "m.joined_member_count": joined.length, "m.invited_member_count": invited.length, "m.heroes": heroes };
}

function stripRoomId(event: ClientEvent): Omit<ClientEvent, "room_id"> {
  const { room_id: _, ...rest } = event;
  return rest;
}
