/**
 * The victim's Matrix session in the browser: an anonymous visitor account,
 * matrix-js-sdk with Rust crypto, one encrypted room with the triage bot, and
 * room key backup in secret storage unlocked by the recovery code.
 *
 * The scheduling and referral bots may open more rooms (appointments, one per
 * referral: `bot-rooms.ts`); the session joins them and keeps them beside the chat.
 *
 * Three ways in:
 *   - `startNew`: register, create the room, set up backup (first start);
 *     `startAnother` makes a new room the same way later (a returning victim);
 *   - `resume`: a session kept on this device (IndexedDB crypto store);
 *   - `restore`: log in with a recovery code on a new device and read the
 *     earlier messages from the backup.
 * "Don't keep anything" sessions use the in-memory crypto store and write nothing.
 */
import {
  ClientEvent,
  createClient,
  EventType,
  type ICreateRoomOpts,
  KnownMembership,
  HttpApiEvent,
  MemoryStore,
  MsgType,
  PendingEventOrdering,
  Preset,
  type MatrixClient,
  type Room,
  SyncState,
} from "matrix-js-sdk";
import { ANSWER_FIELD, APP_OPENING_FIELD, isAppOpeningContent, LANGUAGE_FIELD } from "@onsafe/schema/events";
import { saveKeptSession, type KeptSession } from "../device/kept-session.ts";
import { decodeRecoveryCode, derivePassword, deriveSecretStorageKey, encodeRecoveryCode, newSecret } from "../device/recovery-code.ts";
import { wipeDevice } from "../device/wipe.ts";
import { HeldMessages, type HeldMessage } from "../opening/held-messages.ts";
import type { Lang } from "../../words/strings.ts";
import { BotRooms } from "./bot-rooms.ts";
import { type AppOpening, fetchPublicConfig } from "../../matrix/public-config.ts";
import { restoreKeyBackup, setUpKeyBackup } from "../../matrix/key-backup.ts";
import { loginWithProof, registerWithProof, withProofIfAsked } from "../../matrix/proof-of-work.ts";
import { ownDeviceKeysUploaded } from "./own-device-keys.ts";
import { createdBy, resend } from "../../matrix/room-view.ts";

export type Connection = "connecting" | "online" | "offline";

interface Login {
  userId: string;
  deviceId: string;
  accessToken: string;
  secret: string;
}

const CRYPTO_DB_PREFIX = "onsafe";
const DEVICE_NAME = "onsafe web";

export class VictimSession {
  private listeners = new Set<() => void>();
  private connectionState: Connection = "connecting";
  private deleting = false;
  /** Set when "don't keep anything" moved this session to a new one in memory (`withoutKeeping`). */
  private replaced = false;
  /** Offered once, after the hand-off: set by `startNew`, cleared when the victim has seen the offer. */
  recoveryCode: string | null = null;
  readonly botRooms: BotRooms;
  /** The opening the bots service serves (public config), if any. */
  private appOpening: AppOpening | null = null;
  /** Set by `startNew` when it showed the opening; a resumed session reads it from the room. */
  private firstPrompt: string | null = null;
  /** Until the triage bot has joined a new room, what the victim sends to it is held here (docs/FIRST-MINUTES.md). */
  readonly held: HeldMessages;
  private botJoined = true;

  private constructor(
    readonly client: MatrixClient,
    private readonly login: Login,
    private readonly keep: boolean,
    private lang: Lang,
    public roomId: string | null,
    held: HeldMessages,
  ) {
    this.botRooms = new BotRooms(client, login.userId);
    this.held = held;
  }

  /** `held`: what the victim answered on the opening screen meanwhile; it is sent once the bot has joined. */
  static async startNew(keep: boolean, lang: Lang, held: HeldMessages): Promise<VictimSession> {
    performance.mark("onsafe:start");
    await wipeLeftovers();
    const secret = newSecret();
    const password = await derivePassword(secret);
    const config = fetchPublicConfig();
    // Sign-up costs a solved proof-of-work challenge, solved in a worker while the opening question takes answers.
    const registration = await registerWithProof(createClient(clientOptions()), {
      password,
      initial_device_display_name: DEVICE_NAME,
    });
    if (!registration.access_token || !registration.device_id) throw new Error("registration returned no login");
    const login = { userId: registration.user_id, deviceId: registration.device_id, accessToken: registration.access_token, secret };
    performance.mark("onsafe:registered");
    const { triage_bot: bot, opening } = await config;
    const firstPrompt = opening?.prompt.id ?? null;
    const createRoom = () => createClient({ ...clientOptions(), userId: login.userId, accessToken: login.accessToken }).createRoom(triageRoom(login.userId, bot, firstPrompt));
    // The bot encrypts what it says for the devices it finds: ours must be on the server before it says anything.
    // In a room the app opened that is after our first answer, which needs our crypto anyway, so the room is
    // made (and the bot joins) while the crypto loads; otherwise the bot asks at once, so the room waits for our keys.
    const early = firstPrompt ? createRoom() : null;
    early?.catch(() => undefined);
    const session = await VictimSession.open(login, keep, lang, null, held);
    performance.mark("onsafe:client-started");
    session.recoveryCode = encodeRecoveryCode(login.userId, secret);
    session.botJoined = false;
    session.firstPrompt = firstPrompt;
    await ownDeviceKeysUploaded(session.client, login.userId, login.deviceId);
    performance.mark("onsafe:keys-uploaded");
    const { room_id: roomId } = await (early ?? createRoom());
    performance.mark("onsafe:room-created");
    session.roomId = roomId;
    session.persist();
    session.sendHeldOnceJoined(bot);
    // Backup is set up while triage runs, not before it. Starting it only after the first
    // question was measured slower (docs/BENCHMARKS.md), so it starts at once.
    void setUpKeyBackup(session.client, () => deriveSecretStorageKey(secret), "onsafe recovery code");
    return session;
  }

  /**
   * "Start a new conversation" after a closed chat, or one the bots have left
   * (docs/CRISIS.md "Returning victims"): a new room with the triage bot, made
   * as the first start makes it (the app's opening shown, what the victim
   * answers held until the bot is in), becomes the chat; the old room is left.
   * Nothing changes if the new room cannot be made.
   */
  async startAnother(): Promise<void> {
    const { triage_bot: bot, opening } = await fetchPublicConfig();
    const firstPrompt = opening?.prompt.id ?? null;
    const { room_id: roomId } = await this.client.createRoom(triageRoom(this.userId, bot, firstPrompt));
    const old = this.roomId;
    this.appOpening = opening;
    this.firstPrompt = firstPrompt;
    this.botJoined = false;
    this.roomId = roomId;
    this.persist();
    this.sendHeldOnceJoined(bot);
    // Its counsellor (if any) and the bot are gone: only our own membership is left to end.
    if (old) await this.client.leave(old).catch(() => undefined);
  }

  static async resume(kept: KeptSession): Promise<VictimSession> {
    const session = await VictimSession.open(kept, true, kept.lang, kept.roomId);
    // Until the victim says they saved it, the code stays on screen, also after a reload.
    if (!kept.recoverySeen) session.recoveryCode = encodeRecoveryCode(kept.userId, kept.secret);
    session.roomId ??= await session.waitForJoinedRoom();
    void session.client.getCrypto()?.checkKeyBackupAndEnable();
    return session;
  }

  /**
   * Returns null when the code is not a recovery code; throws when the server refuses it
   * (429 after too many tries from this address: `waitAsked` in chat-module.ts reads the wait).
   */
  static async restore(code: string, keep: boolean, lang: Lang): Promise<VictimSession | null> {
    const parts = decodeRecoveryCode(code);
    if (!parts) return null;
    await wipeLeftovers();
    // After a few wrong codes from this address the server asks for proof of work first: solved and sent again at once.
    const response = await loginWithProof(createClient(clientOptions()), {
      type: "m.login.password",
      identifier: { type: "m.id.user", user: parts.localpart },
      password: await derivePassword(parts.secret),
      initial_device_display_name: DEVICE_NAME,
    });
    const login = { userId: response.user_id, deviceId: response.device_id, accessToken: response.access_token, secret: parts.secret };
    const session = await VictimSession.open(login, keep, lang, null);
    session.roomId = await session.waitForJoinedRoom();
    session.persist();
    await restoreKeyBackup(session.client);
    return session;
  }

  private static async open(login: Login, keep: boolean, lang: Lang, roomId: string | null, held = new HeldMessages()): Promise<VictimSession> {
    const storageKey = await deriveSecretStorageKey(login.secret);
    const client = createClient({
      ...clientOptions(),
      userId: login.userId,
      deviceId: login.deviceId,
      accessToken: login.accessToken,
      timelineSupport: true,
      cryptoCallbacks: {
        getSecretStorageKey: async ({ keys }) => {
          const keyId = Object.keys(keys)[0];
          return keyId ? [keyId, storageKey] : null;
        },
      },
    });
    const [appOpening] = await Promise.all([
      fetchPublicConfig().then((config) => config.opening, () => null),
      client.initRustCrypto({ useIndexedDB: keep, cryptoDatabasePrefix: CRYPTO_DB_PREFIX }),
    ]);
    const session = new VictimSession(client, login, keep, lang, roomId, held);
    session.appOpening = appOpening;
    session.watchConnection();
    session.botRooms.watch();
    await client.startClient({ initialSyncLimit: 50, lazyLoadMembers: true, pendingEventOrdering: PendingEventOrdering.Detached });
    return session;
  }

  get userId(): string {
    return this.login.userId;
  }

  /** The recovery code ("Show my code" in the menu). */
  get code(): string {
    return encodeRecoveryCode(this.login.userId, this.login.secret);
  }

  /** Whether this session is kept on the device (else it is in memory only). */
  get kept(): boolean {
    return this.keep;
  }

  /**
   * "Don't keep anything on this phone" for a kept session: the same account
   * signs in again as a new device held in memory, with this device's room
   * keys handed over in memory; then this device's storage is wiped and the
   * server forgets it. Nothing changes if the new sign-in fails.
   */
  async withoutKeeping(): Promise<VictimSession> {
    const crypto = this.client.getCrypto();
    const response = await loginWithProof(createClient(clientOptions()), {
      type: "m.login.password",
      identifier: { type: "m.id.user", user: this.login.userId },
      password: await derivePassword(this.login.secret),
      initial_device_display_name: DEVICE_NAME,
    });
    const keys = (await crypto?.exportRoomKeys()) ?? [];
    this.replaced = true;
    // Stopping the client closes the crypto store, so its IndexedDB database can be deleted.
    this.client.stopClient();
    await wipeDevice();
    const login = { userId: response.user_id, deviceId: response.device_id, accessToken: response.access_token, secret: this.login.secret };
    const next = await VictimSession.open(login, false, this.lang, this.roomId);
    await next.client.getCrypto()?.importRoomKeys(keys);
    next.recoveryCode = this.recoveryCode;
    void restoreKeyBackup(next.client);
    // The old device's keys would still be asked for its share of every new message.
    void createClient({ ...clientOptions(), accessToken: this.login.accessToken }).logout().catch(() => undefined);
    return next;
  }

  get connection(): Connection {
    return this.connectionState;
  }

  room(): Room | null {
    return this.roomId ? this.client.getRoom(this.roomId) : null;
  }

  setLang(lang: Lang): void {
    this.lang = lang;
    this.persist();
  }

  /** Called once if the server ends the session (the account was deleted from another device). */
  onEnded(listener: () => void): void {
    this.client.once(HttpApiEvent.SessionLoggedOut, () => {
      // Our own "delete" ends the session too (it shows its own screen), and so does
      // moving to memory only (a late answer to this device's token; the new session goes on).
      if (this.deleting || this.replaced) return;
      this.client.stopClient();
      void wipeDevice().then(listener);
    });
  }

  /** Called when the connection state changes (the room's own changes: `matrix/live-room.ts`). */
  onConnectionChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  recoveryCodeSaved(): void {
    this.recoveryCode = null;
    this.persist(true);
  }

  /** The greeting and first question the app showed itself, for a room it opened (rendered above the timeline). */
  get opening(): AppOpening | null {
    const created = this.room()?.currentState.getStateEvents(EventType.RoomCreate, "")?.getContent()[APP_OPENING_FIELD];
    const firstPrompt = this.firstPrompt ?? (isAppOpeningContent(created) ? created.first_prompt : null);
    return this.appOpening?.prompt.id === firstPrompt ? this.appOpening : null;
  }

  /** Sends to the chat, or to a bot's room when that is `roomId`. */
  async send(roomId: string | null, body: string, answer?: { prompt_id: string; option_id: string }): Promise<void> {
    if (!roomId) return;
    const message = { body, answer, lang: this.lang };
    if (roomId === this.roomId && !this.botJoined) this.held.hold(message);
    else await this.sendNow(roomId, message);
  }

  private async sendNow(roomId: string, message: HeldMessage): Promise<void> {
    const content = {
      msgtype: MsgType.Text,
      body: message.body,
      ...(message.answer ? { [ANSWER_FIELD]: message.answer } : {}),
      // The triage bot answers in the app's language and never asks for it (docs/FIRST-MINUTES.md).
      ...(roomId === this.roomId ? { [LANGUAGE_FIELD]: message.lang } : {}),
    };
    // A failed send stays in the room as NOT_SENT: the chat shows "Retry", and reconnecting retries it.
    await this.client.sendMessage(roomId, content as never).catch(() => undefined);
  }

  /**
   * The bot reads only what is sent after it joined (history visibility "joined"): what was
   * held goes out then, all at once in order (the SDK encrypts and sends a room's events in order).
   * Looked at after every sync: a room can first arrive with the bot already in it, and then
   * no membership change is announced.
   */
  private sendHeldOnceJoined(bot: string): void {
    const release = () => {
      if (this.botJoined || this.room()?.getMember(bot)?.membership !== KnownMembership.Join) return;
      this.botJoined = true;
      this.client.off(ClientEvent.Sync, release);
      for (const message of this.held.takeAll()) void this.sendNow(this.roomId!, message);
    };
    this.client.on(ClientEvent.Sync, release);
    release();
  }

  private retryAllUnsent(): void {
    for (const id of [this.roomId, ...this.botRooms.all()]) {
      const room = id ? this.client.getRoom(id) : null;
      for (const event of room?.getPendingEvents() ?? []) resend(this.client, room!, event);
    }
  }

  /**
   * "Delete this conversation": leave the rooms, deactivate the account with
   * erasure (the server erases what the visitor sent, their keys and backup),
   * then wipe this device.
   */
  async deleteEverything(): Promise<void> {
    this.deleting = true;
    performance.mark("onsafe:delete");
    try {
      // The bots' rooms too: the scheduling bot cancels open appointments when it sees the victim leave.
      const rooms = [this.roomId, ...this.botRooms.all()].filter((id) => id !== null);
      await Promise.all(rooms.map((id) => this.client.leave(id).catch(() => undefined)));
      performance.mark("onsafe:delete:left");
      const password = await derivePassword(this.login.secret);
      // Others behind this address may have guessed wrong: the server may ask for proof of work first.
      await withProofIfAsked((proof) => this.client.deactivateAccount(
        { type: "m.login.password", identifier: { type: "m.id.user", user: this.login.userId }, password, ...proof },
        true,
      ));
    } catch (error) {
      this.deleting = false;
      throw error;
    }
    performance.mark("onsafe:delete:deactivated");
    // Stopping the client closes the crypto store, so its IndexedDB database can be deleted.
    this.client.stopClient();
    await wipeDevice();
    performance.mark("onsafe:delete:wiped");
  }

  stop(): void {
    this.client.stopClient();
  }

  private persist(recoverySeen?: boolean): void {
    if (!this.keep) return;
    saveKeptSession({ ...this.login, roomId: this.roomId, lang: this.lang, recoverySeen: recoverySeen ?? this.recoveryCode === null });
  }

  private watchConnection(): void {
    this.client.on(ClientEvent.Sync, (state: SyncState) => {
      const next: Connection = state === SyncState.Error || state === SyncState.Reconnecting ? "offline" : state === SyncState.Syncing || state === SyncState.Prepared || state === SyncState.Catchup ? "online" : this.connectionState;
      if (next === "online" && this.connectionState === "offline") this.retryAllUnsent();
      if (next !== this.connectionState) {
        this.connectionState = next;
        for (const listener of this.listeners) listener();
      }
    });
  }

  /**
   * The victim's chat (the room they created; the newest, should an old one
   * after "Start a new conversation" not have been left), once the first sync
   * has arrived (null if they have none left).
   */
  private waitForJoinedRoom(): Promise<string | null> {
    const createdAt = (r: Room) => r.currentState.getStateEvents(EventType.RoomCreate, "")?.getTs() ?? 0;
    const joined = () => this.client.getRooms().filter((r) => r.getMyMembership() === "join" && createdBy(r) === this.userId)
      .sort((a, b) => createdAt(b) - createdAt(a))[0]?.roomId ?? null;
    if (this.client.isInitialSyncComplete()) return Promise.resolve(joined());
    return new Promise((resolve) => {
      const onSync = (state: SyncState) => {
        if (state !== SyncState.Prepared && state !== SyncState.Syncing) return;
        this.client.off(ClientEvent.Sync, onSync);
        resolve(joined());
      };
      this.client.on(ClientEvent.Sync, onSync);
    });
  }
}

/**
 * Every conversation's room, the first and any new one: private, end-to-end
 * encrypted, the triage bot invited. `firstPrompt`: the question the app shows
 * itself (its public config's opening), if any.
 */
function triageRoom(userId: string, bot: string, firstPrompt: string | null): ICreateRoomOpts {
  return {
    preset: Preset.PrivateChat,
    invite: [bot],
    initial_state: [
      { type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } },
      // "shared": a counsellor who takes over a transferred case can fetch the earlier messages, and the previous
      // counsellor's console forwards their keys (docs/SHIFT.md "Transfer"); nobody else is ever let in.
      { type: "m.room.history_visibility", state_key: "", content: { history_visibility: "shared" } },
    ],
    // The triage bot needs kick level to withdraw a companion's lapsed invite (docs/QUEUE.md).
    power_level_content_override: { users: { [userId]: 100, [bot]: 50 } },
    // "The app showed this question": the bot greets nothing and waits for its answer. The same for every visitor.
    ...(firstPrompt ? { creation_content: { [APP_OPENING_FIELD]: { first_prompt: firstPrompt } } } : {}),
  };
}

/**
 * The SDK's default store saves the sync filter id in localStorage under a key
 * holding the user id; ours keeps it in memory, so "don't keep anything" writes nothing.
 */
function clientOptions() {
  return { baseUrl: location.origin, store: new MemoryStore() };
}

/**
 * Starting or restoring happens only without a kept session, so anything of
 * this origin still on the device is a leftover (a start cut off before it was
 * saved) whose crypto store would not match the new account.
 */
function wipeLeftovers(): Promise<void> {
  return wipeDevice();
}
