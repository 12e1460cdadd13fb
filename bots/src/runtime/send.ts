/**
 * Sends a bot's replies with transaction ids derived from what they answer
 * (an event id, or a step such as the hand-off), so that sending them again
 * after a crash returns the first events instead of repeating them: the
 * homeserver keeps a device's transaction ids (the spec's idempotent `send`).
 */
import { createHash } from "node:crypto";
import type { MatrixClient } from "matrix-js-sdk";
import type { Outgoing } from "./outgoing-message.ts";

/** Sends in order; returns the event ids (the first ones again for a repeat). */
export async function sendAll(client: MatrixClient, roomId: string, messages: Outgoing[], answering: string): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, message] of messages.entries()) {
    ids.push((await client.sendMessage(roomId, message.content as never, transactionId(roomId, answering, i))).event_id);
  }
  return ids;
}

export function transactionId(roomId: string, answering: string, index: number): string {
  return `onsafe-${createHash("sha256").update(`${roomId}\n${answering}\n${index}`).digest("base64url").slice(0, 32)}`;
}
