/**
 * Real matrix-js-sdk 43 clients with Rust crypto (in-memory store) for the
 * end-to-end tests. The polyfill must load before the SDK.
 */
import "@onsafe/schema/polyfills";
import {
  ClientEvent,
  createClient,
  type Device,
  type MatrixClient,
  type MatrixEvent,
  MatrixEventEvent,
  MsgType,
  RoomEvent,
  SyncState,
} from "matrix-js-sdk";
import type { Logger } from "matrix-js-sdk/lib/logger.js";
import type { Account } from "../chat-server/test/harness.ts";

import { quietSdkLogging } from "../bots/src/runtime/sdk-logging.ts";

// Modules that log through the SDK's global logger.
quietSdkLogging();

/** A lost connection during sync: expected while the restart test has the server down; the SDK retries. */
const isSyncConnectionError = (msg: unknown[]) =>
  typeof msg[0] === "string" && msg[0].startsWith("/sync error") && (msg[1] as Error | undefined)?.name === "ConnectionError";

/** Keeps the SDK quiet except for errors (and not those of a server that is down on purpose). */
const quietLogger: Logger = {
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: (...msg: unknown[]) => { if (!isSyncConnectionError(msg)) console.error(...msg); },
  getChild: () => quietLogger,
};

export interface Received {
  body: string;
  sender: string;
  at: number;
}

export class SdkClient {
  /** Decrypted text messages per room, in arrival order. */
  readonly received = new Map<string, Received[]>();
  /** Events this client could not decrypt, per room. */
  readonly undecryptable = new Map<string, number>();
  private readonly waiters = new Set<() => void>();

  private constructor(readonly client: MatrixClient, readonly account: Account) {
    const record = (event: MatrixEvent) => {
      const roomId = event.getRoomId();
      if (!roomId || event.isBeingDecrypted()) return;
      if (event.isDecryptionFailure()) {
        this.undecryptable.set(roomId, (this.undecryptable.get(roomId) ?? 0) + 1);
      } else if (event.getType() === "m.room.message" && event.isEncrypted()) {
        const list = this.received.get(roomId) ?? [];
        if (!list.some((r) => r.body === event.getContent().body && r.sender === event.getSender())) {
          list.push({ body: String(event.getContent().body), sender: event.getSender()!, at: performance.now() });
        }
        this.received.set(roomId, list);
      }
      for (const wake of this.waiters) wake();
    };
    client.on(RoomEvent.Timeline, (event) => { if (!event.isEncrypted() || event.getClearContent()) record(event); });
    client.on(MatrixEventEvent.Decrypted, (event) => record(event));
  }

  /** `fetchFn`: to send what a browser would (a user agent, a proxy's forwarded address), for the privacy tests. */
  static async start(baseUrl: string, account: Account, options: { fetchFn?: typeof fetch } = {}): Promise<SdkClient> {
    const client = createClient({ baseUrl, userId: account.userId, accessToken: account.token, deviceId: account.deviceId, logger: quietLogger, fetchFn: options.fetchFn });
    await client.initRustCrypto({ useIndexedDB: false });
    const sdk = new SdkClient(client, account);
    const prepared = new Promise<void>((resolve, reject) => {
      const onSync = (state: SyncState) => {
        if (state === SyncState.Prepared || state === SyncState.Syncing) { client.off(ClientEvent.Sync, onSync); resolve(); }
        if (state === SyncState.Error) reject(new Error(`${account.userId}: first sync failed`));
      };
      client.on(ClientEvent.Sync, onSync);
    });
    await client.startClient({ initialSyncLimit: 20 });
    await withTimeout(prepared, 20_000, `${account.userId} to finish its first sync`);
    return sdk;
  }

  get userId(): string {
    return this.account.userId;
  }

  bodies(roomId: string, from?: string): string[] {
    return (this.received.get(roomId) ?? []).filter((r) => !from || r.sender === from).map((r) => r.body);
  }

  /**
   * Resolves when `predicate` holds, checking after every event this client
   * sees. The default bound is generous: it only ends a wait that failed, and on
   * two shared cores a message through encryption and a bot takes many seconds.
   */
  async waitFor(predicate: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
    if (predicate()) return;
    let wake!: () => void;
    const done = new Promise<void>((resolve) => {
      wake = () => { if (predicate()) resolve(); };
      this.waiters.add(wake);
    });
    try {
      await withTimeout(done, timeoutMs, `${this.userId} to see ${what}`);
    } finally {
      this.waiters.delete(wake);
    }
  }

  async waitForMessage(roomId: string, body: string, timeoutMs?: number): Promise<Received> {
    await this.waitFor(() => this.bodies(roomId).includes(body), `"${body}" in ${roomId}`, timeoutMs);
    return this.received.get(roomId)!.find((r) => r.body === body)!;
  }

  async waitForRoom(roomId: string, membership: "invite" | "join"): Promise<void> {
    const has = () => this.client.getRoom(roomId)?.getMyMembership() === membership;
    if (has()) return;
    await withTimeout(new Promise<void>((resolve) => {
      const check = () => { if (has()) { this.client.off(ClientEvent.Room, check); this.client.off(RoomEvent.MyMembership, check); resolve(); } };
      this.client.on(ClientEvent.Room, check);
      this.client.on(RoomEvent.MyMembership, check);
    }), 20_000, `${this.userId} to be in ${roomId} as ${membership}`);
  }

  /** Sends a text message; resolves with the time just before sending. */
  async sendText(roomId: string, body: string): Promise<number> {
    const startedAt = performance.now();
    await this.client.sendMessage(roomId, { msgtype: MsgType.Text, body });
    return startedAt;
  }

  /** Resolves once this client knows of `deviceId` of `userId` (from device_lists and /keys/query). */
  waitForDevice(userId: string, deviceId: string): Promise<void> {
    return this.waitForDevices(userId, (devices) => devices.some((d) => d.deviceId === deviceId), `device ${deviceId}`);
  }

  /** Resolves once this client's view of `userId`'s devices (from device_lists and /keys/query) satisfies `done`. */
  async waitForDevices(userId: string, done: (devices: Device[]) => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    const crypto = this.client.getCrypto()!;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const devices = await crypto.getUserDeviceInfo([userId], true);
      if (done([...(devices.get(userId)?.values() ?? [])])) return;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${this.userId} to see ${userId}'s ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /**
   * Resolves at the next successful sync after a connection failure, e.g. when
   * the server restarts; call it before the failure happens.
   */
  reconnected(): Promise<void> {
    let failed = false;
    return withTimeout(new Promise<void>((resolve) => {
      const onSync = (state: SyncState) => {
        if (state === SyncState.Error || state === SyncState.Reconnecting) failed = true;
        if (failed && state === SyncState.Syncing) { this.client.off(ClientEvent.Sync, onSync); resolve(); }
      };
      this.client.on(ClientEvent.Sync, onSync);
    }), 40_000, `${this.userId} to sync again after a connection failure`);
  }

  stop(): void {
    // stopClient also stops and frees the Rust crypto machine.
    this.client.stopClient();
  }
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms); });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
