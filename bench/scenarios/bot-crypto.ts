/**
 * Issue 9, item 6 (first half): what a bot's Matrix client pays in crypto per
 * message. The client is built by the bots' own `createBotClient` (Rust crypto
 * in fake-indexeddb, encrypted with a store passphrase, mirrored to SQLite and
 * flushed before every request) and logged in as the triage bot; the
 * homeserver runs as a child process on loopback. Rooms are as in production:
 * a victim's encrypted room (history from joining) with the bot, the victim
 * and a companion, one device each.
 *  - encrypt: `sendMessage` called → the encrypted PUT handed to fetch, once the
 *    room's Megolm session exists (each room's first message reported apart);
 *  - decrypt: `decryptEventIfNeeded` on a fresh copy of each victim message;
 *  - baselines in the same run: the same client sending into an unencrypted
 *    room, and a JSON parse+stringify of the same content; for comparison, the
 *    same work in the companion's client, whose crypto store is in memory.
 */
import "@onsafe/schema/polyfills";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Direction, type IRoomEvent, type MatrixClient, MatrixEvent, MsgType, Preset } from "matrix-js-sdk";
import { createBotClient } from "../../bots/src/runtime/bot-client.ts";
import { registrationSecret } from "../../bots/src/runtime/bot-secrets.ts";
import { loginBot } from "../../bots/src/runtime/login.ts";
import { forgetInMemory, IndexedDbMirror } from "../../bots/src/runtime/persistent-indexeddb.ts";
import { ENCRYPTION } from "../../chat-server/test/harness.ts";
import { SdkClient } from "../../test-support/sdk-client.ts";
import { staffAccount, visitorAccount } from "../accounts.ts";
import { type Scenario, type Section, stat } from "../harness/report.ts";
import { freePort } from "../loopback-ports.ts";
import { Cleanup, rounded, until } from "../scenario-support.ts";
import { type TimedSend, timeSends } from "../send-timing.ts";
import { startServerProcess } from "../server-process.ts";

export interface BotCryptoOptions {
  /** Messages timed per kind: the bot's encrypted and unencrypted sends, the companion's, victim messages decrypted. */
  messages?: number;
  /** Victims' rooms the messages are spread over (each also gives one first-message sample). */
  rooms?: number;
}

const STORE_PREFIX = "onsafe-bench-crypto";
const WARM_UP = 20;
/** Far above a normal run (about 35 s); past it the scenario stops with an error. */
const BUDGET_MS = 150_000;

/** What the bot says: a short notice, as its questions and queue notices are. */
const content = (i: number) => ({ msgtype: MsgType.Text as const, body: `Thank you. A companion will read this and answer you here soon. (${i})` });
const victimSays = (room: number, i: number) => `victim ${room} says ${i}: can you help me?`;

export function botCryptoScenario(options: BotCryptoOptions = {}): Scenario {
  return { id: "bot-crypto", run: () => measure(options.messages ?? 300, options.rooms ?? 5) };
}

export const botCrypto: Scenario = botCryptoScenario();

/** Whether `client` has event `eventId` of the room, decrypted. */
function decrypted(client: MatrixClient, roomId: string, eventId: string): boolean {
  const event = client.getRoom(roomId)?.findEventById(eventId);
  return event !== undefined && !event.isBeingDecrypted() && event.getClearContent() !== null;
}

/**
 * Waits until `client` has had the remote echo of its own event back from its sync, so that the
 * next send starts with the client idle (its crypto store is an IndexedDB emulation that queues
 * every request as a task: a send that overlaps the sync's processing waits behind it).
 */
async function echoed(client: MatrixClient, roomId: string, eventId: string): Promise<void> {
  await until(() => client.getRoom(roomId)?.findEventById(eventId)?.status === null, "the remote echo of a send");
}

/** A victim's messages in the room as the server holds them (a sync brings at most 10 events of a room, then says "limited"). */
async function wireEvents(reader: MatrixClient, roomId: string, sender: string): Promise<IRoomEvent[]> {
  const wire: IRoomEvent[] = [];
  for (let from: string | null = null; ;) {
    const page = await reader.createMessagesRequest(roomId, from, 100, Direction.Backward);
    wire.unshift(...page.chunk.filter((e) => e.type === "m.room.encrypted" && e.sender === sender).reverse());
    if (!page.end || page.chunk.length === 0) return wire;
    from = page.end;
  }
}

/** Microseconds one decryption of a fresh copy of `wire` takes; checks the plaintext. */
async function decryptUs(reader: MatrixClient, wire: IRoomEvent, body: string): Promise<{ us: number; copy: MatrixEvent }> {
  const copy = new MatrixEvent(structuredClone(wire));
  const t = performance.now();
  await reader.decryptEventIfNeeded(copy);
  const us = (performance.now() - t) * 1000;
  if (copy.isDecryptionFailure() || copy.getContent().body !== body) throw new Error(`${reader.getUserId()} did not decrypt "${body}"`);
  return { us, copy };
}

/** Microseconds of one JSON parse+stringify round trip of `value`. */
function jsonRoundTripUs(value: unknown): number {
  const t = performance.now();
  JSON.parse(JSON.stringify(value));
  return (performance.now() - t) * 1000;
}

const ms = (samples: number[]) => rounded(stat(samples), 3);
const us = (samples: number[]) => rounded(stat(samples), 1);
const p50 = (samples: number[]) => stat(samples).p50;
const p95 = (samples: number[]) => stat(samples).p95;

async function measure(messages: number, roomCount: number): Promise<Section> {
  const started = performance.now();
  const deadline = Date.now() + BUDGET_MS;
  const inTime = () => { if (Date.now() > deadline) throw new Error("bot-crypto ran past its time budget"); };
  const cleanup = new Cleanup();
  try {
    const server = await startServerProcess(await freePort());
    cleanup.add(() => server.stop());
    const url = server.url;
    const sharedSecret = registrationSecret(server.dataDir);
    if (!sharedSecret) throw new Error("the homeserver wrote no registration secret");

    // The bot, as the bots service builds it (a mirror file of its own, a fresh store).
    const session = await loginBot(url, "triage", { password: randomBytes(18).toString("base64url"), deviceId: "BENCHCRYPTO" }, sharedSecret);
    const dir = mkdtempSync(join(tmpdir(), "onsafe-bench-crypto-"));
    cleanup.add(() => rmSync(dir, { recursive: true, force: true }));
    const mirror = IndexedDbMirror.open(join(dir, "bots-crypto.sqlite"));
    await mirror.restore();
    const bot = await createBotClient({ homeserverUrl: url, session, storePrefix: STORE_PREFIX, storePassphrase: randomBytes(32).toString("base64url"), mirror });
    cleanup.add(async () => {
      bot.stop();
      mirror.close();
      await forgetInMemory(STORE_PREFIX);
    });
    const botClient = bot.client;
    await bot.start();
    const botSend = timeSends(botClient, mirror);

    const companion = await SdkClient.start(url, await staffAccount(url, sharedSecret, "companion", "bench-companion"));
    cleanup.add(() => companion.stop());
    const companionSend = timeSends(companion.client);
    const victims: SdkClient[] = [];
    for (let r = 0; r < roomCount; r++) {
      const victim = await SdkClient.start(url, await visitorAccount(url));
      cleanup.add(() => victim.stop());
      victims.push(victim);
    }

    // Each victim's room, as the victim app makes it; the bot joins and invites the companion, who joins.
    const rooms: string[] = [];
    for (const victim of victims) {
      const { room_id } = await victim.client.createRoom({
        preset: Preset.PrivateChat,
        invite: [session.userId],
        initial_state: [ENCRYPTION, { type: "m.room.history_visibility", state_key: "", content: { history_visibility: "joined" } }],
        power_level_content_override: { users: { [victim.userId]: 100, [session.userId]: 50 } },
      });
      await until(() => botClient.getRoom(room_id)?.getMyMembership() === "invite", "the bot's invite");
      await botClient.joinRoom(room_id);
      await botClient.invite(room_id, companion.userId);
      await companion.waitForRoom(room_id, "invite");
      await companion.client.joinRoom(room_id);
      await until(() => botClient.getRoom(room_id)?.getMember(companion.userId)?.membership === "join", "the companion in the bot's room");
      rooms.push(room_id);
    }
    // The unencrypted baseline room: the bot's own, with the companion in it.
    const { room_id: plainRoom } = await botClient.createRoom({ preset: Preset.PrivateChat, invite: [companion.userId] });
    await companion.waitForRoom(plainRoom, "invite");
    await companion.client.joinRoom(plainRoom);
    await until(() => botClient.getRoom(plainRoom)?.getMember(companion.userId)?.membership === "join", "the companion in the plain room");
    if (await botClient.getCrypto()!.isEncryptionEnabledInRoom(plainRoom)) throw new Error("the baseline room is encrypted");

    // The bot's first message in each room: members loaded, device keys queried, Olm sessions made, the room key shared.
    const first: TimedSend[] = [];
    for (const [i, roomId] of rooms.entries()) first.push(await botSend(roomId, content(i)));

    // The victims write; the bot and the companion decrypt as they sync; then the wire events are read back.
    const perRoom = Math.ceil(messages / roomCount);
    const lastSent = await Promise.all(victims.map(async (victim, r) => {
      let eventId = "";
      for (let i = 0; i < perRoom; i++) ({ event_id: eventId } = await victim.client.sendMessage(rooms[r], { msgtype: MsgType.Text, body: victimSays(r, i) }));
      return eventId;
    }));
    const incoming: { wire: IRoomEvent; body: string }[] = [];
    for (const [r, roomId] of rooms.entries()) {
      for (const reader of [botClient, companion.client]) {
        await until(() => decrypted(reader, roomId, lastSent[r]), `${reader.getUserId()} to decrypt room ${r}'s last victim message`, 30_000);
      }
      const wire = await wireEvents(botClient, roomId, victims[r].userId);
      if (wire.length !== perRoom) throw new Error(`/messages gave ${wire.length} of room ${r}'s ${perRoom} victim messages`);
      incoming.push(...wire.map((e, i) => ({ wire: e, body: victimSays(r, i) })));
    }
    for (const victim of victims) victim.stop();

    // Replays: copies of one wire event decrypted again and again.
    let replays = 0;
    for (let k = 0; k < 5; k++) {
      if (await decryptUs(botClient, incoming[0].wire, incoming[0].body).then(() => true, () => false)) replays++;
    }

    // Every distinct victim message decrypted by the bot, then by the companion (in-memory store); the process idle otherwise.
    const decrypt = { bot: [] as number[], memory: [] as number[], json: [] as number[] };
    for (const { wire, body } of incoming) {
      inTime();
      const mine = await decryptUs(botClient, wire, body);
      decrypt.bot.push(mine.us);
      decrypt.memory.push((await decryptUs(companion.client, wire, body)).us);
      decrypt.json.push(jsonRoundTripUs({ type: mine.copy.getType(), content: mine.copy.getContent(), room_id: mine.copy.getRoomId() }));
    }

    // The companion encrypts the same messages (in-memory store); each send waits for the bot to have decrypted
    // the one before, so the bot's sync work falls between sends, not inside them.
    const companionPaced = async (roomId: string, i: number) => {
      const sent = await companionSend(roomId, content(i));
      await echoed(companion.client, roomId, sent.eventId);
      await until(() => decrypted(botClient, roomId, sent.eventId), "the bot to decrypt the companion's message");
      return sent;
    };
    for (let i = 0; i < WARM_UP + roomCount; i++) await companionPaced(rooms[i % roomCount], i);
    const inMemory: TimedSend[] = [];
    for (let i = 0; i < messages; i++) {
      inTime();
      inMemory.push(await companionPaced(rooms[i % roomCount], i));
    }
    companion.stop();

    // From here the bot's client is the only one running in this process; each send waits for the one before to come back.
    const botPaced = async (roomId: string, i: number) => {
      const sent = await botSend(roomId, content(i));
      await echoed(botClient, roomId, sent.eventId);
      return sent;
    };
    for (let i = 0; i < WARM_UP; i++) {
      await botPaced(rooms[i % roomCount], i);
      await botPaced(plainRoom, i);
    }
    const encrypted: TimedSend[] = [];
    const plain: TimedSend[] = [];
    const json: number[] = [];
    for (let i = 0; i < messages; i++) {
      inTime();
      // Round robin keeps each room under Megolm's default rotation (100 messages).
      encrypted.push(await botPaced(rooms[i % roomCount], i));
      plain.push(await botPaced(plainRoom, i));
      json.push(jsonRoundTripUs(content(i)));
    }

    // A burst: the same sends back to back round the rooms, as when the queue moves and the bot edits every waiting victim's notice.
    const burst: TimedSend[] = [];
    for (let i = 0; i < messages; i++) {
      inTime();
      burst.push(await botSend(rooms[i % roomCount], content(i)));
    }

    const toPut = encrypted.map((s) => s.toPutMs);
    const plainToPut = plain.map((s) => s.toPutMs);
    const step = (sends: TimedSend[], name: keyof TimedSend) => {
      const values = sends.map((s) => s[name] as number);
      return `${name} ${p50(values).toFixed(2)} / ${p95(values).toFixed(2)}`;
    };
    const steps = (sends: TimedSend[]) => ["encryptEvent", "getMissingSessions", "shareRoomKey", "encryptRoomEvent"].map((n) => step(sends, n as keyof TimedSend)).join(", ");
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    return {
      id: "bot-crypto",
      title: "Crypto cost per message in a bot's client",
      method: [
        `A client built by the bots' own createBotClient (matrix-js-sdk 43, Rust crypto in fake-indexeddb with a store passphrase, mirrored to SQLite with synchronous=FULL and flushed before every request), logged in as the triage bot, against the homeserver bundle in a child process on loopback.`,
        `${roomCount} victims' encrypted rooms (history from joining) each hold the bot, the victim and one companion, one device each; victims and companion are matrix-js-sdk clients with Rust crypto in memory, in this process.`,
        `Encrypt: sendMessage called → the PUT /send/m.room.encrypted handed to fetch (after the bot's mirror flush), ${messages} short messages (${JSON.stringify(content(0)).length} bytes of JSON) round robin over the rooms after ${WARM_UP} warm-up sends, each followed by the same message sent to an unencrypted room of the bot's (the baseline); only the bot's client runs in this process then, and each send starts once the one before has come back in the bot's sync.`,
        `Decrypt: decryptEventIfNeeded on a fresh MatrixEvent copy of each of ${incoming.length} distinct victim messages (read back with /messages once the bot had decrypted them in its sync, so it holds the room keys), then the same copy decrypted by the companion's client; nothing else running.`,
        `Comparison: the companion's client encrypting the same ${messages} messages into the same rooms, each send after the previous one has come back to it and been decrypted by the bot.`,
      ].join(" "),
      figures: [
        {
          what: "A bot sends a short message into a victim's encrypted room: sendMessage → encrypted PUT leaving (Megolm session already shared)",
          unit: "ms", value: ms(toPut),
          baseline: { what: "the same client sending the same message into an unencrypted room", value: ms(plainToPut) },
        },
        {
          what: "of which Rust crypto's encryptEvent (members and their devices checked, Megolm encryption)",
          unit: "µs", value: us(encrypted.map((s) => s.encryptEvent * 1000)),
          baseline: { what: "JSON parse+stringify of the same content", value: us(json) },
        },
        {
          what: "of which the bot's crypto-store mirror written to SQLite (synchronous=FULL) before the encrypted PUT",
          unit: "ms", value: ms(encrypted.map((s) => s.flushMs)),
          baseline: { what: "the same flush before the unencrypted PUT", value: ms(plain.map((s) => s.flushMs)) },
        },
        {
          what: "the same bot sending back to back round the rooms (a burst, as when the queue moves and every waiting victim's notice is edited): sendMessage → PUT",
          unit: "ms", value: ms(burst.map((s) => s.toPutMs)),
          baseline: { what: "each send after the one before came back (the first figure)", value: ms(toPut) },
        },
        {
          what: "encryptEvent of the same messages in a client whose Rust crypto store is in memory (the companion's)",
          unit: "µs", value: us(inMemory.map((s) => s.encryptEvent * 1000)),
          baseline: { what: "JSON parse+stringify of the same content", value: us(json) },
        },
        {
          what: "A bot's first message in a room: members loaded, device keys queried, one-time keys claimed, room key shared by to-device (sendMessage → PUT)",
          unit: "ms", value: ms(first.map((s) => s.toPutMs)),
          baseline: { what: "a later message in the same rooms (p50 of the first figure)", value: Number(p50(toPut).toFixed(3)) },
        },
        {
          what: "A bot decrypts one incoming Megolm message (decryptEventIfNeeded on a fresh copy)",
          unit: "µs", value: us(decrypt.bot),
          baseline: { what: "JSON parse+stringify of the decrypted event", value: us(decrypt.json) },
        },
        {
          what: "the same messages decrypted by a client whose Rust crypto store is in memory (the companion's)",
          unit: "µs", value: us(decrypt.memory),
          baseline: { what: "JSON parse+stringify of the decrypted event", value: us(decrypt.json) },
        },
      ],
      notes: [
        `Crypto adds about ${(p50(toPut) - p50(plainToPut)).toFixed(2)} ms at p50 to a bot's send (${p50(toPut).toFixed(2)} against ${p50(plainToPut).toFixed(2)} ms unencrypted). Steps, p50 / p95 in ms, bot: ${steps(encrypted)}; mirror flush ${p50(encrypted.map((s) => s.flushMs)).toFixed(2)} / ${p95(encrypted.map((s) => s.flushMs)).toFixed(2)}. The same steps with the in-memory store: ${steps(inMemory)}.`,
        `In the burst the bot's steps were ${steps(burst)}; mirror flush ${p50(burst.map((s) => s.flushMs)).toFixed(2)} / ${p95(burst.map((s) => s.flushMs)).toFixed(2)}. The Megolm encryption itself takes as long as when paced; the device checks, which read the store, take several times longer: most likely the store's requests (fake-indexeddb runs each one as a setImmediate task) wait behind the bot's own sync handling the echoes of the messages just sent. A bot pays more per message when it sends many at once.`,
        `Decryption by the bot p50 ${(p50(decrypt.bot) / 1000).toFixed(2)} ms against ${(p50(decrypt.memory) / 1000).toFixed(2)} ms with the in-memory store.`,
        `Replays: copies of one wire event decrypted ${replays} times out of 5 (the Rust crypto does not refuse an event it decrypted before), so copies of one event would have served; the figures use ${incoming.length} distinct messages.`,
        `First messages: the companion is in every room, so only the first room set up an Olm session with the companion's device; each room set one up with its victim's. Megolm sessions rotate every 100 messages by default (the rooms set no rotation_period_msgs), and a rotation costs about a first message again; the round robin keeps every room under 100 here.`,
        `Wall clock ${seconds} s. The machine has 2 shared cores: read figures against their baselines from the same run.`,
      ],
      seconds,
    };
  } finally {
    await cleanup.run();
  }
}
