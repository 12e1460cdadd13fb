/**
 * The hand-off (DESIGN.md "Conversation flow" 6): when the companion joins,
 * the bot posts the triage summary, with what the victim wrote that was not an
 * answer, and leaves, so from then on only the victim's and staff devices hold
 * the room's keys. The victim's words are read back from the room (their event
 * ids are all the bots database keeps) and exist only in this encrypted message.
 */
import { type MatrixClient, MatrixEvent, type Room } from "matrix-js-sdk";
import type { Outgoing } from "../runtime/outgoing-message.ts";
import { handoffIntro, triageResult, triageSummary, type TriageNote } from "../triage/index.ts";
import type { CaseRow } from "../storage/index.ts";
import { isConversation } from "./conversation.ts";

export async function handOff(client: MatrixClient, room: Room, c: CaseRow, send: (messages: Outgoing[]) => Promise<void>): Promise<void> {
  const lang = c.language ?? "ko";
  const messages = [handoffIntro(lang)];
  if (isConversation(c.triageState)) {
    const notes = await readNotes(client, room, c.notedEventIds);
    messages.push(triageSummary(triageResult(c.triageState.machine), notes, lang));
  }
  await send(messages);
}

async function readNotes(client: MatrixClient, room: Room, eventIds: string[]): Promise<TriageNote[]> {
  const notes: TriageNote[] = [];
  for (const eventId of eventIds) {
    const event = room.findEventById(eventId) ?? await fetchEvent(client, room.roomId, eventId);
    if (!event) continue;
    await client.decryptEventIfNeeded(event);
    const body = event.getContent().body;
    if (event.getType() === "m.room.message" && typeof body === "string") notes.push({ body, at: event.getTs() });
  }
  return notes;
}

async function fetchEvent(client: MatrixClient, roomId: string, eventId: string): Promise<MatrixEvent | undefined> {
  try {
    return new MatrixEvent(await client.fetchRoomEvent(roomId, eventId));
  } catch {
    return undefined;
  }
}
