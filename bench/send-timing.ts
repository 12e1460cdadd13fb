/**
 * Times a matrix-js-sdk client's sends from the inside, for bench/scenarios/bot-crypto.ts:
 * `sendMessage` called → the `PUT …/send/…` handed to the client's fetchFn's
 * fetch, Rust crypto's `encryptEvent` and three of its steps, and (for a bot)
 * the crypto-store mirror flush its fetchFn runs before every request. Hooks
 * replace the client's fetchFn and methods of its crypto backend and OlmMachine
 * in place. Sends must not overlap.
 */
import type { MatrixClient } from "matrix-js-sdk";
import type { RoomMessageEventContent } from "matrix-js-sdk/lib/@types/events.js";
import type { IndexedDbMirror } from "../bots/src/runtime/persistent-indexeddb.ts";

/** Milliseconds spent in encryptEvent and, inside it, in three OlmMachine calls (0 in an unencrypted room). */
interface CryptoSteps {
  encryptEvent: number;
  /** Which devices lack an Olm session (so one-time keys must be claimed). */
  getMissingSessions: number;
  /** Which devices still need the room key (normally none). */
  shareRoomKey: number;
  /** The Megolm encryption itself, and the session's new index stored. */
  encryptRoomEvent: number;
}

export interface TimedSend extends CryptoSteps {
  eventId: string;
  /** sendMessage called → the PUT handed to fetch (after any mirror flush). */
  toPutMs: number;
  /** The mirror flush run just before the PUT (0 without a mirror). */
  flushMs: number;
}

const SEND = /\/send\/m\.room\.(?:encrypted|message)\//;

export function timeSends(client: MatrixClient, mirror?: IndexedDbMirror): (roomId: string, content: RoomMessageEventContent) => Promise<TimedSend> {
  let lastFlushMs = 0;
  if (mirror) {
    const flush = mirror.flush.bind(mirror);
    mirror.flush = () => {
      const t = performance.now();
      flush();
      lastFlushMs = performance.now() - t;
    };
  }

  interface Put { at: number; flushMs: number }
  const last: { put?: Put } = {};
  const inner = client.http.opts.fetchFn ?? fetch;
  client.http.opts.fetchFn = (input, init) => {
    lastFlushMs = 0;
    const response = inner(input, init);
    if (init?.method === "PUT" && SEND.test(String(input))) last.put = { at: performance.now(), flushMs: lastFlushMs };
    return response;
  };

  const steps: CryptoSteps = { encryptEvent: 0, getMissingSessions: 0, shareRoomKey: 0, encryptRoomEvent: 0 };
  const timeCalls = (target: Record<string, unknown>, name: keyof CryptoSteps) => {
    const original = (target[name] as (...args: unknown[]) => Promise<unknown>).bind(target);
    target[name] = async (...args: unknown[]) => {
      const t = performance.now();
      try {
        return await original(...args);
      } finally {
        steps[name] += performance.now() - t;
      }
    };
  };
  const backend = client.getCrypto() as unknown as Record<string, unknown> & { olmMachine: Record<string, unknown> };
  timeCalls(backend, "encryptEvent");
  for (const name of ["getMissingSessions", "shareRoomKey", "encryptRoomEvent"] as const) timeCalls(backend.olmMachine, name);

  return async (roomId, content) => {
    last.put = undefined;
    for (const name of Object.keys(steps) as (keyof CryptoSteps)[]) steps[name] = 0;
    const t = performance.now();
    const { event_id: eventId } = await client.sendMessage(roomId, content);
    const put = last.put as Put | undefined; // set by the fetchFn hook during the await
    if (!put) throw new Error(`no PUT send seen for a message to ${roomId}`);
    return { eventId, toPutMs: put.at - t, flushMs: put.flushMs, ...steps };
  };
}
