/**
 * Reads what the chat screen needs from matrix-js-sdk's room: the events as
 * plain `TimelineEvent`s, how far the companion has read, who is typing.
 */
import { EventStatus, type MatrixClient, type MatrixEvent, type Room } from "matrix-js-sdk";
import type { KeyWait } from "./key-wait.ts";
import { senderKind, type Delivery, type TimelineEvent } from "./timeline.ts";

/** `keyWait` decides how long a message the SDK failed to decrypt is still "opening" (without it: not at all). */
export function timelineEvents(room: Room, keyWait: KeyWait | null = null, now = Date.now()): TimelineEvent[] {
  return [...room.getLiveTimeline().getEvents(), ...room.getPendingEvents()].map((event) => toTimelineEvent(event, keyWait, now));
}

function toTimelineEvent(event: MatrixEvent, keyWait: KeyWait | null, now: number): TimelineEvent {
  const id = event.getId() ?? event.getTxnId() ?? "";
  const failed = event.isDecryptionFailure();
  const undecryptable = failed || (event.isEncrypted() && event.getClearContent() === null);
  return {
    id,
    sender: event.getSender() ?? "",
    ts: event.getTs(),
    type: event.getType(),
    content: undecryptable ? null : (event.getOriginalContent() as Record<string, unknown>),
    // Not yet tried or being decrypted is opening too: right after a reload every message is, for a moment.
    ...(undecryptable ? { opening: !failed || (keyWait?.opening(id, now) ?? false) } : {}),
    delivery: delivery(event.status),
  };
}

function delivery(status: EventStatus | null): Delivery {
  if (status === null || status === EventStatus.SENT) return "sent";
  if (status === EventStatus.NOT_SENT || status === EventStatus.CANCELLED) return "failed";
  return "sending";
}

/** The newest of my events that another person (not a bot) has read. */
export function readByOthers(room: Room, me: string): string | null {
  const events = room.getLiveTimeline().getEvents();
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (event.getSender() !== me) continue;
    if (room.getUsersReadUpTo(event).some((user) => senderKind(user, me) === "other")) return event.getId() ?? null;
  }
  return null;
}

export function othersTyping(room: Room, me: string): boolean {
  return room.getMembers().some((member) => member.typing && senderKind(member.userId, me) === "other");
}

/** Messages from others after my read receipt (all of them when I have none). */
export function unreadCount(room: Room, me: string): number {
  return unreadEvents(room, me).length;
}

/** The messages `unreadCount` counts, oldest first. */
export function unreadEvents(room: Room, me: string): MatrixEvent[] {
  const events = room.getLiveTimeline().getEvents();
  return events.slice(readIndex(room, me, events) + 1).filter((e) => e.getSender() !== me && (e.getType() === "m.room.message" || e.isEncrypted()));
}

/** Where my read receipt is in `events` (-1 when I have none there). */
function readIndex(room: Room, me: string, events: MatrixEvent[]): number {
  const readUpTo = room.getEventReadUpTo(me);
  return readUpTo ? events.findIndex((e) => e.getId() === readUpTo) : -1;
}

/**
 * The event to send a read receipt for once the reader has seen up to `seenId`
 * (an event of the timeline, or one of mine still being sent; null: all of it,
 * to the end): the newest from someone else up to it, if it is after my read
 * receipt. Null when there is nothing new to mark: a receipt never goes back,
 * nor past what was seen.
 */
export function newestSeenFromOthers(room: Room, me: string, seenId: string | null): MatrixEvent | null {
  const events = room.getLiveTimeline().getEvents();
  let at = seenId === null ? events.length - 1 : events.findIndex((e) => e.getId() === seenId);
  if (at < 0 && seenId !== null && findPending(room, seenId)) at = events.length - 1;
  const read = readIndex(room, me, events);
  for (let i = at; i > read; i--) {
    const event = events[i]!;
    if (event.getSender() !== me && event.getId()) return event;
  }
  return null;
}

/** The newest event from someone else, to send a read receipt for. */
export function newestFromOthers(room: Room, me: string): MatrixEvent | null {
  const events = room.getLiveTimeline().getEvents();
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (event.getSender() !== me && event.getId()) return event;
  }
  return null;
}

export function findPending(room: Room, id: string): MatrixEvent | null {
  return room.getPendingEvents().find((event) => (event.getId() ?? event.getTxnId()) === id) ?? null;
}

/** Sends again a message that did not go out; a new failure shows as its status ("Not sent"). */
export function resend(client: MatrixClient, room: Room, event: MatrixEvent): void {
  if (event.status === EventStatus.NOT_SENT) void client.resendEvent(event, room).catch(() => undefined);
}

/** Who created the room (the sender of `m.room.create`). */
export function createdBy(room: Room): string | undefined {
  return room.currentState.getStateEvents("m.room.create", "")?.getSender();
}
