/** Reading what the triage bot said in a room, from a real client's decrypted timeline, and answering it. */
import { type MatrixClient, MatrixEvent, MsgType, type Room } from "matrix-js-sdk";
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

/**
 * Answers triage prompt by prompt: for each `[promptId, typed]`, waits for the
 * bot's next prompt after `after`, checks it is `promptId` and types `typed`.
 * Returns the event id of the last prompt answered (to wait for what comes next).
 */
export async function answerTriage(
  client: SdkClient,
  roomId: string,
  bot: string,
  answers: readonly (readonly [promptId: string, typed: string])[],
  after?: string,
): Promise<string | undefined> {
  for (const [id, typed] of answers) {
    const prompt = await nextPrompt(client, roomId, bot, after);
    if (prompt.id !== id) throw new Error(`expected the prompt "${id}", the bot asked "${prompt.id}"`);
    await client.client.sendMessage(roomId, { msgtype: MsgType.Text, body: typed } as never);
    after = prompt.eventId;
  }
  return after;
}

/** Messages from `bot` after the event `after` (all when not given), oldest first. */
export function messagesAfter(client: SdkClient, roomId: string, bot: string, after?: string): Record<string, any>[] {
  const list = messages(client, roomId);
  const start = after ? list.findIndex((m) => m.event.getId() === after) + 1 : 0;
  return list.slice(start).filter((m) => m.sender === bot).map((m) => m.content);
}

export interface QueueStatus {
  position: number;
  expected_wait_minutes: number | null;
  body: string;
  /** How many `m.replace` edits of the first queue notice the client has seen. */
  edits: number;
}

/**
 * What the victim's client shows of their place in the queue: the bot's first
 * message with `org.onsafe.queue`, as changed by its latest `m.replace` edit.
 */
export function queueStatus(client: SdkClient, roomId: string, bot: string): QueueStatus | undefined {
  const list = messages(client, roomId).filter((m) => m.sender === bot);
  const first = list.find((m) => m.event.getOriginalContent()["org.onsafe.queue"] && !m.event.getRelation());
  if (!first) return undefined;
  const edits = list.filter((m) => {
    const rel = m.event.getRelation();
    return rel?.rel_type === "m.replace" && rel.event_id === first.event.getId();
  });
  const current = edits.length > 0 ? edits.at(-1)!.content["m.new_content"] : first.event.getOriginalContent();
  return { ...current["org.onsafe.queue"], body: String(current.body), edits: edits.length };
}

/** Waits until the victim's queue notice (after its edits) satisfies `check`; returns it. */
export async function waitForQueueStatus(client: SdkClient, roomId: string, bot: string, check: (s: QueueStatus) => boolean, what: string): Promise<QueueStatus> {
  let status: QueueStatus | undefined;
  await client.waitFor(() => {
    status = queueStatus(client, roomId, bot);
    return status !== undefined && check(status);
  }, `a queue notice with ${what}`);
  return status!;
}

/** Waits until the client is invited to (or in) the triage bot's duty room, where crisis alerts go; returns its id. */
export async function dutyRoomId(client: SdkClient): Promise<string> {
  // Invites arrive as stripped state, not timeline events: poll.
  const deadline = Date.now() + 20_000;
  for (;;) {
    const room = client.client.getRooms().find((r) => r.name === "onsafe duty" && ["invite", "join"].includes(r.getMyMembership()));
    if (room) return room.roomId;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${client.userId} to be invited to the duty room`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits for the duty room's crisis alert about `caseId` (any, when not given); returns its content. */
export async function waitForAlert(client: SdkClient, roomId: string, bot: string, caseId?: string): Promise<Record<string, any>> {
  let content: Record<string, any> | undefined;
  await client.waitFor(() => {
    content = messages(client, roomId).find((m) => m.sender === bot && m.content["org.onsafe.alert"]?.kind === "crisis"
      && (caseId === undefined || m.content["org.onsafe.alert"].case_id === caseId))?.content;
    return content !== undefined;
  }, `a crisis alert${caseId ? ` for ${caseId}` : ""}`);
  return content!;
}

/** Polls `read` until `done` holds (for state only the ops API shows); returns the last value. The bound only ends a wait that failed: generous for a busy machine. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Whether `reader` (a bot's client) can decrypt the message `event` as it went over the wire: a copy is decrypted, the original stays. */
export async function readableBy(reader: MatrixClient, event: MatrixEvent): Promise<boolean> {
  const copy = new MatrixEvent(structuredClone(event.event));
  if (!copy.isEncrypted()) throw new Error("the event was not encrypted");
  await reader.decryptEventIfNeeded(copy);
  return !copy.isDecryptionFailure();
}

/** The rooms `inviter` has invited `client` to that it has not answered yet. */
export function pendingInvites(client: SdkClient, inviter: string): Room[] {
  return client.client.getRooms().filter((room) => room.getMyMembership() === "invite" && room.getMember(client.userId)?.events.member?.getSender() === inviter);
}

/** A room `inviter` has invited `client` to that it has not answered yet. */
export function pendingInvite(client: SdkClient, inviter: string): Room | undefined {
  return pendingInvites(client, inviter)[0];
}

/** Waits for an invite from `inviter`; returns the room id. Invites arrive as stripped state, which wakes no waiter: this polls. */
export async function waitForInvite(client: SdkClient, inviter: string, timeoutMs = 60_000): Promise<string> {
  const room = await eventually(async () => pendingInvite(client, inviter), (r) => r !== undefined, `an invite from ${inviter} to ${client.userId}`, timeoutMs);
  return room!.roomId;
}
