/**
 * The cost of one incremental sync for an account in many rooms, as the triage
 * bot and busy companions are: one message arrives in one of ROOMS rooms, and
 * the bot's waiting long-poll returns it. Measured beside a `/versions` round
 * trip in the same run. Loopback only, bounded in count.
 *   node --import tsx bench/sync-many-rooms.ts [rooms] [messages]
 */
import { loadSecrets } from "../chat-server/src/services/secrets.ts";
import { call, closeClient, registerTriageBot, registerVisitor } from "./http-client.ts";
import { startServerProcess } from "./server-process.ts";

const ROOMS = Number(process.argv[2] ?? 200);
const MESSAGES = Number(process.argv[3] ?? 300);

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(2);
  return { p50: at(50), p99: at(99), max: sorted.at(-1)!.toFixed(2), n: sorted.length };
};

async function main() {
  const server = await startServerProcess(19000 + Math.floor(Math.random() * 1000));
  const { url } = server;
  try {
    const bot = await registerTriageBot(url, loadSecrets(server.dataDir).registrationSharedSecret);
    const rooms: { visitor: { access_token: string }; roomId: string }[] = [];
    for (let i = 0; i < ROOMS; i += 20) {
      rooms.push(...await Promise.all(Array.from({ length: Math.min(20, ROOMS - i) }, async () => {
        const visitor = await registerVisitor(url);
        const room = await call(url, "POST", "/_matrix/client/v3/createRoom", visitor.access_token, {
          invite: [bot.user_id], initial_state: [{ type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } }],
        });
        await call(url, "POST", `/_matrix/client/v3/join/${room.room_id}`, bot.access_token, {});
        return { visitor, roomId: room.room_id as string };
      })));
    }
    let since = (await call(url, "GET", "/_matrix/client/v3/sync?timeout=0", bot.access_token)).next_batch;

    const baseline: number[] = [];
    const wake: number[] = [];
    for (let i = 0; i < MESSAGES; i++) {
      let t = performance.now();
      await call(url, "GET", "/_matrix/client/versions");
      baseline.push(performance.now() - t);

      // The bot's long-poll waits; one visitor writes; time from starting the send (its durable commit
      // included) to the bot's sync answer, which the server writes before the send's own answer.
      const polling = call(url, "GET", `/_matrix/client/v3/sync?timeout=10000&since=${since}`, bot.access_token);
      await new Promise((r) => setTimeout(r, 2));
      const room = rooms[i % rooms.length]!;
      t = performance.now();
      await call(url, "PUT", `/_matrix/client/v3/rooms/${room.roomId}/send/m.room.encrypted/m${i}`, room.visitor.access_token, { ciphertext: `x${i}` });
      const reply = await polling;
      wake.push(performance.now() - t);
      if (!reply.rooms?.join?.[room.roomId]) throw new Error("the bot's sync came back without the message");
      since = reply.next_batch;
    }

    // New conversations arriving: a visitor creates a room inviting the bot; time from the
    // createRoom call to the bot's long-poll answering with the invite.
    const invites: number[] = [];
    for (let i = 0; i < Math.min(MESSAGES, 100); i++) {
      const visitor = await registerVisitor(url);
      const polling = call(url, "GET", `/_matrix/client/v3/sync?timeout=10000&since=${since}`, bot.access_token);
      await new Promise((r) => setTimeout(r, 2));
      const t = performance.now();
      const room = await call(url, "POST", "/_matrix/client/v3/createRoom", visitor.access_token, {
        invite: [bot.user_id], initial_state: [{ type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } }],
      });
      let reply = await polling;
      while (!reply.rooms?.invite?.[room.room_id]) reply = await call(url, "GET", `/_matrix/client/v3/sync?timeout=10000&since=${reply.next_batch}`, bot.access_token);
      invites.push(performance.now() - t);
      since = reply.next_batch;
    }

    // A sync with nothing new: `timeout=0` on the newest token.
    const empty: number[] = [];
    for (let i = 0; i < MESSAGES; i++) {
      const t = performance.now();
      await call(url, "GET", `/_matrix/client/v3/sync?timeout=0&since=${since}`, bot.access_token);
      empty.push(performance.now() - t);
    }
    console.log(JSON.stringify({
      rooms: ROOMS,
      messages: MESSAGES,
      botSyncFromSendStartMs: summary(wake),
      botInviteFromCreateRoomMs: summary(invites),
      botEmptySyncMs: summary(empty),
      baselineVersionsRoundTripMs: summary(baseline),
    }, null, 2));
  } finally {
    closeClient();
    await server.stop();
  }
}

await main();
