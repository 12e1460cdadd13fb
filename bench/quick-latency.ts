/**
 * A quick measurement for the homeserver issue (the full harness comes with the
 * benchmark issue): message delivery latency through long-poll sync with many
 * concurrent conversations, beside a baseline HTTP round trip measured in the
 * same run, and the server's idle RSS. Loopback only, bounded in count and time.
 *   node --import tsx bench/quick-latency.ts [pairs] [messagesPerPair] [intervalMs]
 * Each conversation sends a message every `intervalMs` (about; 0 = as fast as
 * delivery allows, a saturation test rather than a latency one).
 */
import { loadSecrets } from "../chat-server/src/services/secrets.ts";
import { call, closeClient, registerTriageBot, registerVisitor } from "./http-client.ts";
import { startServerProcess } from "./server-process.ts";

const PAIRS = Number(process.argv[2] ?? 50);
const MESSAGES = Number(process.argv[3] ?? 20);
const INTERVAL_MS = Number(process.argv[4] ?? 250);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50).toFixed(2), p99: percentile(sorted, 99).toFixed(2), max: sorted.at(-1)!.toFixed(2), n: sorted.length };
};

async function main() {
  const server = await startServerProcess(18000 + Math.floor(Math.random() * 1000));
  const { url } = server;
  try {
    await new Promise((r) => setTimeout(r, 1000));
    const idleRss = server.rssMb();

    // Baseline: an HTTP round trip to the cheapest endpoint, same process and port.
    const baseline: number[] = [];
    for (let i = 0; i < 500; i++) {
      const t = performance.now();
      await call(url, "GET", "/_matrix/client/versions");
      baseline.push(performance.now() - t);
    }

    // The other side of each conversation is the triage bot account, as in production.
    const bot = await registerTriageBot(url, loadSecrets(server.dataDir).registrationSharedSecret);

    const pairs = await Promise.all(Array.from({ length: PAIRS }, async () => {
      const visitor = await registerVisitor(url);
      const room = await call(url, "POST", "/_matrix/client/v3/createRoom", visitor.access_token, {
        invite: [bot.user_id], initial_state: [{ type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } }],
      });
      await call(url, "POST", `/_matrix/client/v3/join/${room.room_id}`, bot.access_token, {});
      const since = (await call(url, "GET", "/_matrix/client/v3/sync?timeout=0", visitor.access_token)).next_batch;
      return { visitor, roomId: room.room_id as string, since: since as string };
    }));

    // Each pair: the bot sends, the visitor's long-poll sees it; next message after delivery.
    const latencies: number[] = [];
    const fromSendStart: number[] = [];
    const started = performance.now();
    await Promise.all(pairs.map(async (pair, p) => {
      let since = pair.since;
      for (let i = 0; i < MESSAGES; i++) {
        const polling = call(url, "GET", `/_matrix/client/v3/sync?timeout=10000&since=${since}`, pair.visitor.access_token);
        await new Promise((r) => setTimeout(r, INTERVAL_MS * (0.5 + Math.random()) + 5));
        const startedAt = performance.now();
        await call(url, "PUT", `/_matrix/client/v3/rooms/${pair.roomId}/send/m.room.encrypted/${p}-${i}`, bot.access_token, { ciphertext: `x${i}` });
        const sentAt = performance.now();
        const reply = await polling;
        const deliveredAt = performance.now();
        latencies.push(deliveredAt - sentAt);
        fromSendStart.push(deliveredAt - startedAt);
        since = reply.next_batch;
        if (!reply.rooms?.join?.[pair.roomId]) throw new Error("sync woke without the message");
      }
    }));
    const seconds = (performance.now() - started) / 1000;
    console.log(JSON.stringify({
      pairs: PAIRS,
      intervalMs: INTERVAL_MS,
      messages: latencies.length,
      // As issue 9 defines it: from `PUT send` returning to the other side's sync returning (0 when the sync came first).
      deliveryAfterSendReturnedMs: summary(latencies),
      // From starting the `PUT send` (so including the durable commit) to the other side's sync returning.
      deliveryFromSendStartMs: summary(fromSendStart),
      baselineVersionsRoundTripMs: summary(baseline),
      idleRssMb: idleRss.toFixed(1),
      rssAfterMb: server.rssMb().toFixed(1),
      seconds: seconds.toFixed(1),
    }, null, 2));
  } finally {
    closeClient();
    await server.stop();
  }
}

await main();
