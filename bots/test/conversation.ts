/** Reading what the triage bot said in a room, from a real client's decrypted timeline. */
import type { MatrixEvent } from "matrix-js-sdk";
import type { SdkClient } from "../../test-support/sdk-client.ts";

export interface Prompt {
  id: string;
  options: { id: string; label: string }[];
  eventId: string;
}

/** Decrypted message contents in the room, oldest first, with who sent them. */
export function messages(client: SdkClient, roomId: string): { sender: string; content: Record<string, any>; event: MatrixEvent }[] {
  const events = client.client.getRoom(roomId)?.getLiveTimeline().getEvents() ?? [];
  return events
    .filter((e) => e.getType() === "m.room.message" && !e.isDecryptionFailure())
    .map((e) => ({ sender: e.getSender()!, content: e.getContent(), event: e }));
}

/** Waits for a prompt from `bot` newer than `after` (an event id), and returns it. */
export async function nextPrompt(client: SdkClient, roomId: string, bot: string, after?: string): Promise<Prompt> {
  let found: Prompt | undefined;
  await client.waitFor(() => {
    const list = messages(client, roomId);
    const start = after ? list.findIndex((m) => m.event.getId() === after) + 1 : 0;
    const prompt = list.slice(start).find((m) => m.sender === bot && m.content["org.onsafe.prompt"]);
    if (prompt) found = { ...prompt.content["org.onsafe.prompt"], eventId: prompt.event.getId()! };
    return found !== undefined;
  }, `a prompt from ${bot}${after ? ` after ${after}` : ""}`);
  return found!;
}

/** Waits until `bot` has said something whose body contains `text`, after `after`; returns its content. */
export async function waitForText(client: SdkClient, roomId: string, bot: string, text: string | RegExp): Promise<Record<string, any>> {
  let content: Record<string, any> | undefined;
  await client.waitFor(() => {
    content = messages(client, roomId).find((m) => m.sender === bot && (typeof text === "string" ? String(m.content.body).includes(text) : text.test(String(m.content.body))))?.content;
    return content !== undefined;
  }, `"${text}" from ${bot}`);
  return content!;
}

/** Waits until the bot posted a message carrying `field`; returns its content. */
export async function waitForField(client: SdkClient, roomId: string, bot: string, field: string): Promise<Record<string, any>> {
  let content: Record<string, any> | undefined;
  await client.waitFor(() => {
    content = messages(client, roomId).find((m) => m.sender === bot && m.content[field] !== undefined)?.content;
    return content !== undefined;
  }, `a message with ${field} from ${bot}`);
  return content!;
}
