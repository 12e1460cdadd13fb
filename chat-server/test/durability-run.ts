/**
 * Durability under SIGKILL (issue 10): bursts of sends from many lean raw-HTTP
 * clients against the homeserver as a child process, killed with SIGKILL at a
 * random moment (seeded) in each burst and restarted on the same data. Every
 * send answered 200 must be there afterwards exactly once, the stream must have
 * no gaps or duplicates, a re-sent unanswered transaction must give one event,
 * and a long-poll sync from the last token a client had must resume.
 */
import { Agent, request } from "node:http";
import { join } from "node:path";
import Database from "better-sqlite3";
import { type Account, TestServer } from "./harness.ts";

export interface DurabilityOptions {
  bursts: number;
  /** Concurrent sending clients (each its own account and keep-alive socket). */
  clients: number;
  /** Rooms the clients share (round robin). */
  rooms: number;
  /** The kill comes this many milliseconds into a burst, uniformly at random. */
  killAfterMs: [number, number];
  seed: number;
  log?: (line: string) => void;
}

export interface DurabilityResult {
  bursts: number;
  kills: number;
  /** Sends made during the bursts, and those of them answered 200 before a kill. */
  attempted: number;
  acknowledgedInBursts: number;
  /** All events checked: the acknowledged ones, the re-sent in-flight ones and one send after each restart. */
  checked: number;
  /** Sends in flight at a kill that turned out committed anyway (found on re-send). */
  inFlightCommitted: number;
  inFlightLost: number;
  eventsInDb: number;
  problems: string[];
}

/** mulberry32: a small seeded RNG so a failing run can be repeated with its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface RawReply { status: number; body: any }

function raw(agent: Agent, url: string, method: string, path: string, token: string, body?: unknown): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = request(url + path, {
      method, agent,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    }, (res) => {
      let text = "";
      res.on("data", (chunk) => { text += chunk; });
      res.on("end", () => {
        let parsed: unknown = text;
        try { parsed = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

interface Sent { client: number; roomId: string; txnId: string; eventId: string }

export async function runDurability(options: DurabilityOptions): Promise<DurabilityResult> {
  const log = options.log ?? (() => {});
  const random = seededRandom(options.seed);
  const problems: string[] = [];
  const server = await TestServer.startProcess();
  try {
    // Setup: accounts and shared rooms, before the first burst.
    const accounts: Account[] = [];
    for (let i = 0; i < options.clients; i++) accounts.push(await server.createAccount("companion", `durability-${i}`));
    const roomIds: string[] = [];
    for (let r = 0; r < options.rooms; r++) {
      const owner = accounts[r]!;
      const members = accounts.filter((_, i) => i % options.rooms === r && i !== r);
      const created = await server.call(owner, "POST", "/createRoom", { invite: members.map((m) => m.userId) });
      if (created.status !== 200) throw new Error(`createRoom: ${created.status} ${JSON.stringify(created.body)}`);
      roomIds.push(created.body.room_id);
      for (const member of members) {
        const joined = await server.call(member, "POST", `/join/${created.body.room_id}`, {});
        if (joined.status !== 200) throw new Error(`join: ${joined.status} ${JSON.stringify(joined.body)}`);
      }
    }
    const roomOf = (client: number) => roomIds[client % options.rooms]!;
    const setupPos = streamPosInDb(server);

    const acknowledged: Sent[] = [];
    let attempted = 0;
    let acknowledgedInBursts = 0;
    let inFlightCommitted = 0;
    let inFlightLost = 0;
    // The watcher: client 0's long-poll sync token, as the last reply gave it.
    let watcherSince = (await server.sync(accounts[0]!)).body.next_batch as string;

    let completedBursts = 0;
    for (let burst = 0; burst < options.bursts; burst++) {
      completedBursts++;
      const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
      let killed = false;
      const inFlight: (Omit<Sent, "eventId"> | undefined)[] = [];
      const url = server.url;
      const sender = async (client: number) => {
        const account = accounts[client]!;
        const roomId = roomOf(client);
        for (let i = 0; !killed; i++) {
          const txnId = `b${burst}-c${client}-${i}`;
          inFlight[client] = { client, roomId, txnId };
          attempted++;
          let reply: RawReply;
          try {
            reply = await raw(agent, url, "PUT", `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${txnId}`, account.token, { msgtype: "m.text", body: txnId });
          } catch {
            return; // the server went away: this send stays unacknowledged
          }
          if (reply.status !== 200) {
            if (!killed) problems.push(`burst ${burst}: ${txnId} answered ${reply.status} ${JSON.stringify(reply.body)}`);
            return;
          }
          acknowledged.push({ client, roomId, txnId, eventId: reply.body.event_id });
          inFlight[client] = undefined;
        }
      };
      const watcher = async () => {
        while (!killed) {
          let reply: RawReply;
          try {
            reply = await raw(agent, url, "GET", `/_matrix/client/v3/sync?since=${watcherSince}&timeout=30000&filter=${encodeURIComponent(JSON.stringify({ room: { timeline: { limit: 1 } } }))}`, accounts[0]!.token);
          } catch {
            return;
          }
          if (reply.status === 200) watcherSince = reply.body.next_batch;
        }
      };
      const ackedBefore = acknowledged.length;
      const senders = [...Array.from({ length: options.clients }, (_, c) => sender(c)), watcher()];
      const [low, high] = options.killAfterMs;
      const killAfter = Math.round(low + random() * (high - low));
      await new Promise((resolve) => setTimeout(resolve, killAfter));
      killed = true;
      const started = Date.now();
      await server.restart(); // SIGKILL, then a new process on the same data directory
      await Promise.all(senders);
      agent.destroy();
      acknowledgedInBursts += acknowledged.length - ackedBefore;
      log(`burst ${burst}: killed after ${killAfter} ms, ${acknowledged.length - ackedBefore} sends acknowledged, back in ${Date.now() - started} ms`);

      // The token the watcher last had never points past what survived.
      const posAfterKill = streamPosInDb(server);
      const sincePos = Number(/^s(\d+)_/.exec(watcherSince)![1]);
      if (sincePos > posAfterKill) problems.push(`burst ${burst}: sync token ${watcherSince} is past the committed position ${posAfterKill}`);

      // Every acknowledged send of this burst is there.
      for (const sent of acknowledged.slice(ackedBefore)) {
        const got = await server.call(accounts[sent.client]!, "GET", `/rooms/${encodeURIComponent(sent.roomId)}/event/${encodeURIComponent(sent.eventId)}`);
        if (got.status !== 200 || got.body.content?.body !== sent.txnId) problems.push(`burst ${burst}: acknowledged ${sent.txnId} (${sent.eventId}) lost: ${got.status}`);
      }

      // Re-sending what was in flight gives one event, and again the same one.
      for (const pending of inFlight) {
        if (!pending) continue;
        const account = accounts[pending.client]!;
        const path = `/rooms/${encodeURIComponent(pending.roomId)}/send/m.room.message/${pending.txnId}`;
        const countBefore = countTxn(server, account, pending.txnId);
        const first = await server.call(account, "PUT", path, { msgtype: "m.text", body: pending.txnId });
        const second = await server.call(account, "PUT", path, { msgtype: "m.text", body: pending.txnId });
        if (first.status !== 200 || second.status !== 200 || first.body.event_id !== second.body.event_id) {
          problems.push(`burst ${burst}: re-sending ${pending.txnId} gave ${first.status} ${first.body.event_id} then ${second.status} ${second.body.event_id}`);
          continue;
        }
        if (countBefore === 1) inFlightCommitted++;
        else inFlightLost++;
        acknowledged.push({ ...pending, eventId: first.body.event_id });
      }

      // The watcher's long-poll from its last token resumes and sees a send made after the restart.
      const marker = `after-restart-${burst}`;
      const poll = server.sync(accounts[0]!, `?since=${watcherSince}&timeout=20000`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const markerSend = await server.call(accounts[0]!, "PUT", `/rooms/${encodeURIComponent(roomOf(0))}/send/m.room.message/${marker}`, { msgtype: "m.text", body: marker });
      if (markerSend.status !== 200) problems.push(`burst ${burst}: send after restart ${markerSend.status}`);
      else acknowledged.push({ client: 0, roomId: roomOf(0), txnId: marker, eventId: markerSend.body.event_id });
      let since = watcherSince;
      let reply = await poll;
      let seen = false;
      const deadline = Date.now() + 15_000;
      while (reply.status === 200 && Date.now() < deadline) {
        const events: any[] = reply.body.rooms?.join?.[roomOf(0)]?.timeline?.events ?? [];
        since = reply.body.next_batch;
        if (events.some((e) => e.event_id === markerSend.body.event_id)) { seen = true; break; }
        reply = await server.sync(accounts[0]!, `?since=${since}&timeout=2000`);
      }
      if (!seen) problems.push(`burst ${burst}: a long-poll sync from ${watcherSince} did not deliver the send made after the restart`);
      watcherSince = since;
      // Stop at the first burst that found something: its seed and problems are enough to go on.
      if (problems.length) break;
    }

    // The whole stream, from the database and through /messages.
    const db = new Database(join(server.config.dataDir, "homeserver.sqlite"), { readonly: true });
    let eventsInDb = 0;
    try {
      const rows = db.prepare("select event_id, stream_pos, sender, txn_id, room_id from events where stream_pos > ? order by stream_pos").all(setupPos) as
        { event_id: string; stream_pos: number; sender: string; txn_id: string | null; room_id: string }[];
      eventsInDb = rows.length;
      const metaPos = Number((db.prepare("select value from meta where key = 'stream_pos'").get() as { value: string }).value);
      rows.forEach((row, i) => {
        if (row.stream_pos !== setupPos + i + 1) problems.push(`stream gap or duplicate at ${row.stream_pos} (expected ${setupPos + i + 1})`);
      });
      const last = rows.at(-1)?.stream_pos ?? setupPos;
      if (last !== metaPos) problems.push(`meta.stream_pos ${metaPos} but the last event is at ${last}`);
      const ids = new Set<string>();
      const txns = new Set<string>();
      for (const row of rows) {
        if (ids.has(row.event_id)) problems.push(`event ${row.event_id} twice in the database`);
        ids.add(row.event_id);
        const key = `${row.sender} ${row.txn_id}`;
        if (row.txn_id && txns.has(key)) problems.push(`transaction ${key} committed twice`);
        txns.add(key);
      }
      for (const sent of acknowledged) if (!ids.has(sent.eventId)) problems.push(`acknowledged ${sent.txnId} (${sent.eventId}) not in the database`);
    } finally {
      db.close();
    }
    for (let r = 0; r < options.rooms; r++) {
      const seen = await readRoomForwards(server, accounts[r]!, roomIds[r]!);
      const ids = new Set<string>();
      for (const id of seen) {
        if (ids.has(id)) problems.push(`event ${id} twice in /messages of room ${r}`);
        ids.add(id);
      }
      for (const sent of acknowledged) {
        if (sent.roomId === roomIds[r] && !ids.has(sent.eventId)) problems.push(`acknowledged ${sent.txnId} missing from /messages`);
      }
    }
    return {
      bursts: completedBursts,
      kills: completedBursts,
      attempted,
      acknowledgedInBursts,
      checked: acknowledged.length,
      inFlightCommitted,
      inFlightLost,
      eventsInDb,
      problems,
    };
  } finally {
    await server.close();
  }
}

/** A room's whole timeline, oldest first, through `/messages?dir=f`. */
async function readRoomForwards(server: TestServer, account: Account, roomId: string): Promise<string[]> {
  const ids: string[] = [];
  let from = "";
  for (;;) {
    const page = await server.call(account, "GET", `/rooms/${encodeURIComponent(roomId)}/messages?dir=f&limit=100${from ? `&from=${from}` : ""}`);
    if (page.status !== 200) throw new Error(`/messages ${page.status} ${JSON.stringify(page.body)}`);
    for (const event of page.body.chunk) ids.push(event.event_id);
    if (!page.body.end || page.body.chunk.length === 0) return ids;
    from = page.body.end;
  }
}

function streamPosInDb(server: TestServer): number {
  const db = new Database(join(server.config.dataDir, "homeserver.sqlite"), { readonly: true });
  try {
    const row = db.prepare("select value from meta where key = 'stream_pos'").get() as { value: string } | undefined;
    return row ? Number(row.value) : 0;
  } finally {
    db.close();
  }
}

function countTxn(server: TestServer, account: Account, txnId: string): number {
  const db = new Database(join(server.config.dataDir, "homeserver.sqlite"), { readonly: true });
  try {
    return (db.prepare("select count(*) n from events where sender = ? and txn_id = ?").get(account.userId, txnId) as { n: number }).n;
  } finally {
    db.close();
  }
}
