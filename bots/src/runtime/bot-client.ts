/**
 * A bot as a matrix-js-sdk client with Rust crypto whose store survives
 * restarts: the crypto store lives in IndexedDB (fake-indexeddb in Node),
 * mirrored to SQLite. Before every request the mirror is flushed (free when
 * nothing changed), so the server never deletes a to-device message (a room
 * key) before the key is on disk, and never holds a one-time key or a Megolm
 * index the bot could forget: a victim's message sent while the service was
 * down can still be decrypted after it comes back. The caller restores the
 * mirror before starting any bot.
 */
import "@onsafe/schema/polyfills";
import "fake-indexeddb/auto";
import { ClientEvent, createClient, type MatrixClient, SyncState } from "matrix-js-sdk";
import type { Logger } from "matrix-js-sdk/lib/logger.js";
import { letGoOfLeftRooms, stopMatrixRtc } from "./left-rooms.ts";
import type { IndexedDbMirror } from "./persistent-indexeddb.ts";
import type { BotSession } from "./login.ts";

import { quietSdkLogging } from "./sdk-logging.ts";

// The SDK and its modules log through the global logger too; keep it to errors.
quietSdkLogging();

/**
 * Only errors, and never the arguments of a request (they may hold message
 * content). Nothing once the client is stopping: a sync still being processed
 * then fails against the freed crypto machine, which is expected.
 */
function quietLogger(stopping: () => boolean): Logger {
  const logger: Logger = {
    trace: () => {},
    debug: () => {},
    info: () => {},
    warn: () => {},
    error: (...msg: unknown[]) => {
      if (!stopping() && !isConnectionError(msg)) console.error("matrix-js-sdk:", String(msg[0]).slice(0, 200));
    },
    getChild: () => logger,
  };
  return logger;
}

const isConnectionError = (msg: unknown[]) =>
  (msg[1] as Error | undefined)?.name === "ConnectionError" || /ConnectionError|fetch failed/.test(String(msg[0]));

const FLUSH_INTERVAL_MS = 1000;

export interface BotClientOptions {
  homeserverUrl: string;
  session: BotSession;
  /** IndexedDB name prefix of this bot's crypto store. */
  storePrefix: string;
  storePassphrase: string;
  mirror: IndexedDbMirror;
}

export interface BotClient {
  client: MatrixClient;
  /** Starts syncing (attach event handlers first); resolves after the first sync has been processed. */
  start(): Promise<void>;
  stop(): void;
}

/** Logs the bot's crypto in from its stored state; syncing starts with `start()`. */
export async function createBotClient(options: BotClientOptions): Promise<BotClient> {
  const { mirror, session } = options;
  let stopping = false;
  mirror.track(options.storePrefix);
  const fetchFn: typeof fetch = (input, init) => {
    mirror.flush();
    return fetch(input, init);
  };
  const client = createClient({
    baseUrl: options.homeserverUrl,
    userId: session.userId,
    deviceId: session.deviceId,
    accessToken: session.accessToken,
    fetchFn,
    logger: quietLogger(() => stopping),
  });
  await client.initRustCrypto({ useIndexedDB: true, cryptoDatabasePrefix: options.storePrefix, storagePassword: options.storePassphrase });
  mirror.flush();
  const timer = setInterval(() => { if (mirror.dirty) mirror.flush(); }, FLUSH_INTERVAL_MS);
  timer.unref();
  const stopLettingGo = letGoOfLeftRooms(client);

  return {
    client,
    async start() {
      const ready = new Promise<void>((resolve) => {
        const onSync = (state: SyncState) => {
          if (state === SyncState.Prepared || state === SyncState.Syncing) {
            client.off(ClientEvent.Sync, onSync);
            resolve();
          }
        };
        client.on(ClientEvent.Sync, onSync);
      });
      await client.startClient({ initialSyncLimit: 50, lazyLoadMembers: true });
      await ready;
      // Started by the first sync (before `ready` resolves): bots make no calls.
      stopMatrixRtc(client);
    },
    stop() {
      stopping = true;
      clearInterval(timer);
      stopLettingGo();
      client.stopClient();
      mirror.flush();
    },
  };
}
