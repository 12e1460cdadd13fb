/**
 * A transfer's private part, end to end encrypted from console to console
 * (docs/SHIFT.md "Transfer"): the transferring companion's console sends the
 * room's Megolm keys and the note to the colleague's devices as Olm-encrypted
 * to-device messages, as MSC3061 forwards keys to an invitee; the colleague's
 * console imports the keys, so the earlier conversation decrypts, and says it
 * has them. Nothing of it touches the room or the ops API.
 *
 * Not MSC4268 (`shareRoomHistoryWithUser` in matrix-js-sdk 43): it needs a
 * cross-signed device and shares only sessions created while the room's
 * history was "shared", which the victims' rooms made before issue 19 were not.
 */
import { isTriageSummaryContent, type TriageSummaryContent } from "@onsafe/schema/events";
import { ClientEvent, type IMegolmSessionData, type MatrixClient, type ReceivedToDeviceMessage } from "matrix-js-sdk";

/** The keys (in parts) and, in part 0, the note. */
export const HISTORY_TYPE = "org.onsafe.transfer.history";
/** The colleague's console has imported every part. */
export const RECEIVED_TYPE = "org.onsafe.transfer.received";
/** Sessions per to-device message: one exported session is about 600 bytes of JSON. */
const KEYS_PER_PART = 20;

interface HistoryPart {
  room_id: string;
  /** Joins the parts of one hand-over and its acknowledgement. */
  transfer_id: string;
  part: number;
  parts: number;
  keys: IMegolmSessionData[];
  /** Only in part 0; "" without a note. */
  note?: string;
  /** Only in part 0: the triage summary, for a room whose history the colleague cannot fetch (made "joined", before issue 19). */
  summary?: TriageSummaryContent;
}

export interface ReceivedHistory {
  note: string;
  keys: number;
  summary: TriageSummaryContent | null;
}

/** This device's keys for one room: every session it can decrypt there (its own, the victim's, a bot's). */
export async function roomKeys(client: MatrixClient, roomId: string): Promise<IMegolmSessionData[]> {
  return (await client.getCrypto()!.exportRoomKeys()).filter((k) => k.room_id === roomId);
}

/** Olm-encrypts `content` for every device of `userId` and sends it. */
async function sendEncrypted(client: MatrixClient, userId: string, type: string, content: Record<string, unknown>): Promise<void> {
  const crypto = client.getCrypto()!;
  const devices = await crypto.getUserDeviceInfo([userId], true);
  const targets = [...(devices.get(userId)?.keys() ?? [])].map((deviceId) => ({ userId, deviceId }));
  if (targets.length === 0) throw new Error(`${userId} has no devices`);
  await client.queueToDevice(await crypto.encryptToDeviceMessages(type, targets, content));
}

/** Resolves with the first message for which `take` returns a value; only Olm-encrypted messages from `sender` count. */
function nextMessage<T>(client: MatrixClient, sender: string, take: (type: string, content: Record<string, unknown>) => T | undefined, timeoutMs: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = ({ message, encryptionInfo }: ReceivedToDeviceMessage) => {
      if (!encryptionInfo || message.sender !== sender || encryptionInfo.sender !== sender) return;
      const value = take(message.type, message.content as Record<string, unknown>);
      if (value === undefined) return;
      cleanup();
      resolve(value);
    };
    const timer = setTimeout(() => { cleanup(); reject(new Error(`${what} did not arrive`)); }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      client.off(ClientEvent.ReceivedToDeviceMessage, onMessage);
    };
    client.on(ClientEvent.ReceivedToDeviceMessage, onMessage);
  });
}

/**
 * The transferring side: sends the room's keys and the note to `colleague`,
 * then waits until their console says it imported them (up to `timeoutMs`).
 * Returns how many sessions went.
 */
export async function handOverHistory(client: MatrixClient, roomId: string, colleague: string, note: string, summary: TriageSummaryContent | null, timeoutMs = 120_000): Promise<number> {
  const keys = await roomKeys(client, roomId);
  const transferId = crypto.randomUUID();
  const parts = Math.max(1, Math.ceil(keys.length / KEYS_PER_PART));
  const received = nextMessage(client, colleague, (type, content) =>
    type === RECEIVED_TYPE && content.room_id === roomId && content.transfer_id === transferId ? true : undefined, timeoutMs, "The colleague's confirmation");
  received.catch(() => undefined);
  for (let part = 0; part < parts; part++) {
    const content: HistoryPart = { room_id: roomId, transfer_id: transferId, part, parts, keys: keys.slice(part * KEYS_PER_PART, (part + 1) * KEYS_PER_PART) };
    if (part === 0) {
      content.note = note;
      if (summary) content.summary = summary;
    }
    await sendEncrypted(client, colleague, HISTORY_TYPE, content as unknown as Record<string, unknown>);
  }
  await received;
  return keys.length;
}

/**
 * The receiving side: waits for every part from `from` for `roomId`, imports
 * the keys (the SDK then decrypts the waiting messages) and confirms. Start it
 * before joining: the parts may arrive first.
 */
export async function receiveHistory(client: MatrixClient, roomId: string, from: string, timeoutMs = 120_000): Promise<ReceivedHistory> {
  const seen = new Map<number, HistoryPart>();
  const complete = await nextMessage(client, from, (type, content) => {
    if (type !== HISTORY_TYPE || content.room_id !== roomId || !Array.isArray(content.keys)) return undefined;
    const part = content as unknown as HistoryPart;
    // Parts of one hand-over only: a second one (sent again) starts over.
    if ([...seen.values()].some((p) => p.transfer_id !== part.transfer_id)) seen.clear();
    seen.set(part.part, part);
    return seen.size === part.parts ? [...seen.values()] : undefined;
  }, timeoutMs, "The conversation's keys");
  const keys = complete.flatMap((p) => p.keys).filter((k) => k.room_id === roomId);
  await client.getCrypto()!.importRoomKeys(keys);
  const first = complete.find((p) => p.part === 0);
  await sendEncrypted(client, from, RECEIVED_TYPE, { room_id: roomId, transfer_id: complete[0]!.transfer_id });
  return { note: typeof first?.note === "string" ? first.note : "", keys: keys.length, summary: isTriageSummaryContent(first?.summary) ? first.summary : null };
}
