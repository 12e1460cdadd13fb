/**
 * Issue 9, item 6 (second half): the bots service's memory per active case.
 * The homeserver (bundle) and the bots service (bundle, as `npm start` runs
 * them) each run as a child process on loopback with a fresh data directory.
 * Companions go on shift first; then victims (matrix-js-sdk clients with Rust
 * crypto, in this process) open a conversation, ask for a person at the
 * first question ("I just want to talk to someone"), the case is offered to a
 * companion, who joins; the bot posts its summary and leaves, and the case is
 * active. The bots service's memory is read after a forced GC at the start
 * (the baseline) and after each batch of cases; then once more after the
 * companions closed every case, and after the service restarted.
 */
import "@onsafe/schema/polyfills";
import { Preset } from "matrix-js-sdk";
import { answerTriage } from "../../bots/test/conversation.ts";
import { registrationSecret } from "../../bots/src/runtime/bot-secrets.ts";
import { botsTables, openBotsStore } from "../../bots/src/storage/index.ts";
import { ENCRYPTION } from "../../chat-server/test/harness.ts";
import { SdkClient } from "../../test-support/sdk-client.ts";
import { staffAccount, visitorAccount } from "../accounts.ts";
import { type BotsMemory, BotsProcess, megabytes } from "../bots-process.ts";
import type { Figure, Scenario, Section } from "../harness/report.ts";
import { freePortPair } from "../loopback-ports.ts";
import { Cleanup, until } from "../scenario-support.ts";
import { startServerProcess } from "../server-process.ts";

export interface BotMemoryOptions {
  /** Active cases at the end. */
  cases?: number;
  /** Cases brought through triage at the same time. */
  concurrency?: number;
  /** Memory readings between the baseline and the end (evenly spaced in cases; at least 3). */
  checkpoints?: number;
}

/** Cases per companion (the directory's maximum capacity is 50). */
const CASES_PER_COMPANION = 25;
const SETTLE_MS = 1_500;
const ASK_FOR_A_PERSON = "I just want to talk to someone";

export function botMemoryScenario(options: BotMemoryOptions = {}): Scenario {
  const cases = options.cases ?? 50;
  const checkpoints = options.checkpoints ?? 5;
  // The slopes need two readings after the first batch.
  if (checkpoints < 3 || cases < checkpoints) throw new Error("bot-memory needs at least 3 checkpoints and a case per checkpoint");
  return { id: "bot-memory", run: () => measure(cases, options.concurrency ?? 4, checkpoints) };
}

export const botMemory: Scenario = botMemoryScenario();

interface Reading {
  cases: number;
  rssMb: number;
  heapUsedMb: number;
  externalMb: number;
  /** Serialized bytes of every IndexedDB record (the bots' crypto stores). */
  storeKb: number;
  memory: BotsMemory;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (v: number, digits = 1) => Number(v.toFixed(digits));

/** Least-squares slope of y over x. */
function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx;
}

async function read(bots: BotsProcess, cases: number): Promise<Reading> {
  await sleep(SETTLE_MS);
  const memory = await bots.memory();
  return {
    cases,
    rssMb: megabytes(memory.usage.rss),
    heapUsedMb: megabytes(memory.usage.heapUsed),
    externalMb: megabytes(memory.usage.external),
    storeKb: memory.indexedDb.reduce((n, s) => n + s.bytes, 0) / 1024,
    memory,
  };
}

/** Runs `work` for 0..count-1 with at most `limit` at a time. */
async function pool(from: number, to: number, limit: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = from;
  await Promise.all(Array.from({ length: Math.min(limit, to - from) }, async () => {
    while (next < to) await work(next++);
  }));
}

async function measure(caseCount: number, concurrency: number, checkpoints: number): Promise<Section> {
  const started = performance.now();
  const cleanup = new Cleanup();
  try {
    const port = await freePortPair();
    const server = await startServerProcess(port);
    cleanup.add(() => server.stop());
    const { url, dataDir } = server;
    const botsEnv = { homeserverPort: port, botsPort: port + 1, dataDir };
    let bots = await BotsProcess.start(botsEnv);
    cleanup.add(() => bots.stop());
    const ops = async (token: string | undefined, method: string, path: string, body?: unknown) => {
      const reply = await fetch(`http://127.0.0.1:${botsEnv.botsPort}/_onsafe/v1${path}`, {
        method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!reply.ok) throw new Error(`${method} ${path}: ${reply.status} ${await reply.text()}`);
      return reply.json() as Promise<any>;
    };
    const triageBot: string = (await ops(undefined, "GET", "/public/config")).triage_bot;
    const sharedSecret = registrationSecret(dataDir)!;

    // Companions on shift, in the staff directory as `npm run admin -- add-staff` puts them there.
    const companions: SdkClient[] = [];
    const companionCount = Math.ceil(caseCount / CASES_PER_COMPANION);
    const store = await openBotsStore(dataDir);
    try {
      for (let i = 0; i < companionCount; i++) {
        const account = await staffAccount(url, sharedSecret, "companion", `bench-companion-${i}`);
        botsTables(store).staff.upsert({ userId: account.userId, kind: "companion", displayName: `Companion ${i}`, languages: ["ko", "en"], capacity: Math.ceil(caseCount / companionCount) });
        const client = await SdkClient.start(url, account);
        cleanup.add(() => client.stop());
        companions.push(client);
        await ops(account.token, "PUT", "/me/shift", { onShift: true });
      }
    } finally {
      store.close();
    }

    const readings: Reading[] = [await read(bots, 0)];
    const caseMs: number[] = [];
    const oneCase = async () => {
      const t = performance.now();
      const victim = await SdkClient.start(url, await visitorAccount(url));
      try {
        // As the victim app starts: a private encrypted room inviting the triage bot.
        const { room_id: roomId } = await victim.client.createRoom({
          preset: Preset.PrivateChat,
          invite: [triageBot],
          initial_state: [ENCRYPTION, { type: "m.room.history_visibility", state_key: "", content: { history_visibility: "joined" } }],
          power_level_content_override: { users: { [victim.userId]: 100, [triageBot]: 50 } },
        });
        await answerTriage(victim, roomId, triageBot, [["language", ASK_FOR_A_PERSON]]);
        let companion: SdkClient | undefined;
        await until(() => (companion = companions.find((c) => c.client.getRoom(roomId)?.getMyMembership() === "invite")) !== undefined, "a companion's invite", 30_000);
        await companion!.client.joinRoom(roomId);
        await companion!.waitFor(() => companion!.client.getRoom(roomId)?.getMember(triageBot)?.membership === "leave", "the triage bot to leave after its summary", 30_000);
      } finally {
        victim.stop();
      }
      caseMs.push(performance.now() - t);
    };
    for (let k = 1; k <= checkpoints; k++) {
      const from = readings.at(-1)!.cases;
      const to = Math.round((caseCount * k) / checkpoints);
      await pool(from, to, concurrency, oneCase);
      readings.push(await read(bots, to));
    }
    const active = readings.at(-1)!;
    const idle = readings[0];

    // The companions close every case: does the service give anything back?
    for (const companion of companions) {
      const { cases } = await ops(companion.account.token, "GET", "/me/cases");
      for (const c of cases as { id: string; status: string }[]) {
        if (c.status === "assigned") await ops(companion.account.token, "POST", `/cases/${c.id}/close`, { outcome: "supported" });
      }
    }
    const closed = await read(bots, caseCount);

    // A restart: the service logs in again, restores its crypto stores from the mirror and syncs from scratch.
    await bots.stop();
    bots = await BotsProcess.start(botsEnv);
    await sleep(2_000);
    const restarted = await read(bots, caseCount);

    // The first batch also pays one-time costs (code compiled, the heap's reserve grown): slopes start after it.
    const per = (pick: (r: Reading) => number) => slope(readings.slice(1).map((r) => ({ x: r.cases, y: pick(r) })));
    const first = readings[1];
    const storeDelta = storeGrowth(idle.memory, active.memory, caseCount);
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    const mb = (what: string, value: number, baseline?: { what: string; value: number }): Figure =>
      ({ what, unit: "MB", value: round(value), ...(baseline ? { baseline: { what: baseline.what, value: round(baseline.value) } } : {}) });
    const kb = (what: string, value: number): Figure => ({ what, unit: "KB", value: round(value, 0) });
    return {
      id: "bot-memory",
      title: "Bots service memory per case",
      method: [
        `The homeserver and the bots service run from their npm start bundles as two child processes on loopback (the bots service with --expose-gc and a memory probe on its IPC channel); ${companionCount} companion(s) on shift before the baseline.`,
        `${caseCount} victims (matrix-js-sdk, Rust crypto, in this process, ${concurrency} at a time) each create an encrypted room inviting the triage bot and answer its first question with "${ASK_FOR_A_PERSON}"; the case is offered to a companion, who joins; the bot posts its encrypted summary and leaves; the victim's client stops. So each case is active (assigned), not waiting in the queue.`,
        `Memory is read ${SETTLE_MS / 1000} s after each of ${checkpoints} equal batches, after a full GC in the service: RSS and heap from process.memoryUsage(), and the v8-serialized size of every record in the service's in-memory IndexedDB (fake-indexeddb, which holds the three bots' Rust crypto stores). Per-case figures are least-squares slopes over the ${readings.length - 1} readings after the first batch, which also pays one-time costs.`,
      ].join(" "),
      figures: [
        mb(`bots service RSS with ${caseCount} active cases`, active.rssMb, { what: "the same process idle after start, companions on shift, no case", value: idle.rssMb }),
        kb(`RSS per active case (slope from ${first.cases} to ${caseCount} cases)`, per((r) => r.rssMb) * 1024),
        mb(`V8 heap used with ${caseCount} active cases`, active.heapUsedMb, { what: "idle after start", value: idle.heapUsedMb }),
        kb(`V8 heap used per active case (slope from ${first.cases} to ${caseCount} cases)`, per((r) => r.heapUsedMb) * 1024),
        mb(`memory outside the V8 heap ("external": mostly the Rust crypto's WebAssembly memory) with ${caseCount} active cases`, active.externalMb, { what: "idle after start", value: idle.externalMb }),
        kb("the bots' crypto stores (IndexedDB records, serialized) per active case (slope)", per((r) => r.storeKb)),
        mb(`RSS after the companions closed all ${caseCount} cases`, closed.rssMb, { what: `with the ${caseCount} cases active`, value: active.rssMb }),
        mb(`RSS after a restart of the bots service, ${caseCount} cases handled before`, restarted.rssMb, { what: "idle after the first start", value: idle.rssMb }),
      ],
      notes: [
        `Readings (cases: RSS / heap used / heap total / external MB / crypto stores KB): ${[...readings, closed, restarted].map((r, i) => `${i === readings.length ? "closed" : i === readings.length + 1 ? "restarted" : r.cases}: ${round(r.rssMb)} / ${round(r.heapUsedMb)} / ${round(megabytes(r.memory.usage.heapTotal))} / ${round(r.externalMb)} / ${round(r.storeKb, 0)}`).join("; ")}.`,
        `The first ${first.cases} cases added ${round(first.rssMb - idle.rssMb)} MB of RSS and ${round(first.heapUsedMb - idle.heapUsedMb)} MB of heap used (heap total ${round(megabytes(idle.memory.usage.heapTotal))} → ${round(megabytes(first.memory.usage.heapTotal))} MB); the slopes leave that step out. Most of that RSS is neither V8 heap nor "external": memory the process took at the batch's peak and keeps, which is also why RSS moves up and down by several MB between readings while the heap grows steadily; the heap slope is the steadier per-case figure.`,
        `Closing the cases changes little (RSS ${round(closed.rssMb)} against ${round(active.rssMb)} MB, heap used ${round(closed.heapUsedMb)} against ${round(active.heapUsedMb)} MB): the bot left each room long before, and let go of it 5 s later. A restart gives back the rest (heap used ${round(restarted.heapUsedMb)} MB against ${round(idle.heapUsedMb)} MB idle), except the crypto stores, which the service restores from its SQLite mirror (${round(restarted.storeKb, 0)} KB). So the per-case figures are per case handled since the service started, whether still active or not.`,
        "Where the heap went before the bots let go of left rooms (heap snapshots at 10 and 50 cases, 2026-11-26, about 130 KB per case): matrix-js-sdk's state for each room the bot had left, a Room with about 19 MatrixEvents, 10 RoomMembers and 23 TypedReEmitters with their closures, held three times over: by the client's store, by the crypto's encryptor for the room, and by the MatrixRTC session manager (calls, which bots never make). bots/src/runtime/left-rooms.ts now stops MatrixRTC and, 5 s after a leave, removes the room from the store and drops its encryptor: 45-48 KB per case in three runs, against 132 KB in the same session without it. What remains is mostly transient: every /sync and crypto request leaves an AbortController and a timer alive for its local timeout after it answered (matrix-js-sdk's timeoutSignal is never cleared: 110 s for a sync, 60 s for a crypto request), about 14 per case at these readings, and the victims' User objects the client's store keeps.",
        `Crypto-store growth per case, by store: ${storeDelta}. fake-indexeddb holds these records as JavaScript objects in the heap; the mirror keeps the same records on disk.`,
        `A case took p50 ${round(caseMs.sort((a, b) => a - b)[Math.floor(caseMs.length / 2)] / 1000, 2)} s from the victim's client starting to the bot gone from the room (${concurrency} at a time). Wall clock ${seconds} s.`,
      ],
      seconds,
    };
  } finally {
    await cleanup.run();
  }
}

/** The stores that grew between two readings, per case: "db/store +records, +KB". */
function storeGrowth(before: BotsMemory, after: BotsMemory, cases: number): string {
  const key = (s: { db: string; store: string }) => `${s.db.replace(/::matrix-sdk-crypto$/, "")}/${s.store}`;
  const was = new Map(before.indexedDb.map((s) => [key(s), s]));
  return after.indexedDb
    .map((s) => ({ name: key(s), records: s.records - (was.get(key(s))?.records ?? 0), bytes: s.bytes - (was.get(key(s))?.bytes ?? 0) }))
    .filter((d) => d.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes)
    .map((d) => `${d.name} +${round(d.records / cases, 1)} records, +${round(d.bytes / cases / 1024, 1)} KB`)
    .join("; ");
}
