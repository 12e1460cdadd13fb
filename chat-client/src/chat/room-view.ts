/**
 * Reads what the chat screen needs from matrix-js-sdk's room: the events as
 * plain `TimelineEvent`s, how far the companion has read, who is typing.
 */
import { EventStatus, type MatrixEvent, type Room } from "matrix-js-sdk";
import { senderKind, type Delivery, type TimelineEvent } from "./timeline.ts";

export function timelineEvents(room: Room): TimelineEvent[] {
  return [...room.getLiveTimeline().getEvents(), ...room.getPendingEvents()].map(toTimelineEvent);
}

function toTimelineEvent(event: MatrixEvent): TimelineEvent {
  const undecryptable = event.isDecryptionFailure() || (event.isEncrypted() && event.getClearContent() === null);
  return {
    id: event.getId() ?? event.getTxnId() ?? "",
    sender: event.getSender() ?? "",
    ts: event.getTs(),
    type: event.getType(),
    content: undecryptable ? null : (event.getOriginalContent() as Record<string, unknown>),
    delivery: delivery(event.status),
  };
}

function delivery(status: EventStatus | null): Delivery {
  if (status === null || status === EventStatus.SENT) return "sent";
  if (status === EventStatus.NOT_SENT || status === EventStatus.CANCELLED) return "failed";
  return "sending";
}

/** The newest of my events that a companion (not a bot) has read. */
export function readByCompanion(room: Room, me: string): string | null {
  const events = room.getLiveTimeline().getEvents();
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (event.getSender() !== me) continue;
    if (room.getUsersReadUpTo(event).some((user) => senderKind(user, me) === "companion")) return event.getId() ?? null;
  }
  return null;
}

export function companionTyping(room: Room, me: string): boolean {
  return room.getMembers().some((member) => member.typing && senderKind(member.userId, me) === "companion");
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
