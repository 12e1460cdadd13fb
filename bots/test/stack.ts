/**
 * The whole service for end-to-end tests: our homeserver (in this process,
 * on a loopback port) and the bots service beside it on the same data
 * directory, as `npm start` runs them, plus real matrix-js-sdk clients for
 * victims and companions. Staff talk to the ops API through the homeserver's
 * `/_onsafe/` forwarding, as the console will.
 */
import { createServer } from "node:net";
import { MsgType, Preset } from "matrix-js-sdk";
import { APP_OPENING_FIELD, LANGUAGE_FIELD, type Language } from "@onsafe/schema";
import type { Config as HomeserverConfig } from "../../chat-server/src/config.ts";
import { type Account, ENCRYPTION, TestServer } from "../../chat-server/test/harness.ts";
import { SdkClient } from "../../test-support/sdk-client.ts";
import { type BotsConfig, botsConfigFromEnv, PUSH_NOTIFY_PATH, type PushSettings } from "../src/config.ts";
import { type Clock, systemClock } from "../src/queue/index.ts";
import { type RunningBots, startBotsService } from "../src/service.ts";

export interface StackOptions {
  offerTimeoutMs?: number;
  /** How often the service looks for lapsed offers. */
  offerCheckMs?: number;
  /** How long the bot waits for a message's room key. */
  keyWaitMs?: number;
  /** How often due reminders are looked for. */
  reminderCheckMs?: number;
  /** How long a partner has to accept a referral. */
  referralAcceptMs?: number;
  /** The service's clock (a hand-moved one for reminders). */
  clock?: Clock;
  /** How long an unanswered crisis alert waits before it is paged on shift, and to the on-call list (docs/CRISIS.md); the service's defaults otherwise. */
  crisisEscalateMs?: number;
  crisisOnCallMs?: number;
  /** Homeserver settings apart from the tests' own (a low limit, say). */
  homeserver?: Partial<HomeserverConfig>;
  /** The push gateway's settings (a local push service's CA, the test mode); its URL is the bots service's notify route. */
  push?: Partial<PushSettings>;
}

export class Stack {
  private readonly clients: SdkClient[] = [];

  private constructor(readonly hs: TestServer, public bots: RunningBots, readonly config: BotsConfig, private readonly clock: Clock) {}

  static async start(options: StackOptions = {}): Promise<Stack> {
    const botsPort = await freePort();
    // The homeserver posts pushes to this bots service's gateway, as its default does to the usual port.
    const hs = await TestServer.start({ pushGatewayUrl: `http://127.0.0.1:${botsPort}${PUSH_NOTIFY_PATH}`, ...options.homeserver, botsUrl: `http://127.0.0.1:${botsPort}` });
    const config: BotsConfig = {
      ...botsConfigFromEnv({}),
      homeserverUrl: hs.url,
      serverName: hs.config.serverName,
      dataDir: hs.config.dataDir,
      port: botsPort,
      offerTimeoutMs: options.offerTimeoutMs ?? 120_000,
      offerCheckMs: options.offerCheckMs ?? 5_000,
      keyWaitMs: options.keyWaitMs ?? 30_000,
      reminderCheckMs: options.reminderCheckMs ?? 60_000,
      referralAcceptMs: options.referralAcceptMs ?? 48 * 3_600_000,
    };
    config.crisisEscalateMs = options.crisisEscalateMs ?? config.crisisEscalateMs;
    config.crisisOnCallMs = options.crisisOnCallMs ?? config.crisisOnCallMs;
    config.push = { ...config.push, gatewayUrl: `http://127.0.0.1:${botsPort}${PUSH_NOTIFY_PATH}`, ...options.push };
    const clock = options.clock ?? systemClock;
    return new Stack(hs, await startBotsService(config, clock), config, clock);
  }

  get triageBot(): string {
    return this.bots.triageUserId;
  }

  get schedulingBot(): string {
    return this.bots.schedulingUserId;
  }

  get referralBot(): string {
    return this.bots.referralUserId;
  }

  /** Stops the bots service (as a restart does) while the homeserver and clients go on. */
  async stopBots(): Promise<void> {
    await this.bots.close();
  }

  async startBots(): Promise<void> {
    this.bots = await startBotsService(this.config, this.clock);
  }

  async close(): Promise<void> {
    for (const client of this.clients) client.stop();
    await this.bots.close().catch(() => {});
    await this.hs.close();
  }

  /** A companion (or supervisor) in the homeserver and the staff directory, with a running client. */
  async staff(name: string, o: { kind?: "companion" | "supervisor"; languages?: Language[]; capacity?: number; onShift?: boolean } = {}): Promise<SdkClient> {
    const kind = o.kind ?? "companion";
    const account = await this.hs.createAccount(kind, name);
    await this.bots.queue.staff.addOrUpdateStaff({ userId: account.userId, kind, displayName: name, languages: o.languages ?? ["ko", "en"], capacity: o.capacity });
    const client = await this.client(account);
    if (o.onShift ?? true) await this.setShift(account, true);
    return client;
  }

  async setShift(account: Account, onShift: boolean): Promise<void> {
    const reply = await this.ops(account, "PUT", "/me/shift", { onShift });
    if (reply.status !== 200) throw new Error(`shift change failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  }

  /** An ops API request through the homeserver, as a browser makes it. */
  ops(account: Account | undefined, method: string, path: string, body?: unknown) {
    return this.hs.request(method, `/_onsafe/v1${path}`, { token: account?.token, body });
  }

  /** A new anonymous visitor with a running client. */
  async visitor(): Promise<SdkClient> {
    return this.client(await this.hs.registerVisitor());
  }

  /**
   * The victim app's first step: a private encrypted room, history visible
   * from joining, inviting the triage bot with enough power to withdraw
   * invites it sent. Returns the room id. `app`: opened as our web app opens
   * it, having shown the greeting and the category question itself
   * (FIRST-MINUTES.md); otherwise as another client (Element) would.
   */
  async startConversation(victim: SdkClient, o: { app?: boolean } = {}): Promise<string> {
    const { room_id } = await victim.client.createRoom({
      ...(o.app ? { creation_content: { [APP_OPENING_FIELD]: { first_prompt: "category" } } } : {}),
      preset: Preset.PrivateChat,
      invite: [this.triageBot],
      initial_state: [ENCRYPTION, { type: "m.room.history_visibility", state_key: "", content: { history_visibility: "joined" } }],
      power_level_content_override: { users: { [victim.userId]: 100, [this.triageBot]: 50 } },
    });
    await victim.waitForRoom(room_id, "join");
    // The app holds what the victim taps until the bot is in the room (history is visible from joining), as here.
    if (o.app) await victim.waitFor(() => victim.client.getRoom(room_id)?.getMember(this.triageBot)?.membership === "join", "the triage bot to join");
    return room_id;
  }

  /**
   * Sends what a victim types (or taps: `answer` is the button's prompt and
   * option), with the app's `org.onsafe.language` when `language` is given.
   * Returns the event id.
   */
  async say(victim: SdkClient, roomId: string, body: string, answer?: { prompt_id: string; option_id: string }, language?: Language): Promise<string> {
    const content = { msgtype: MsgType.Text, body, ...(answer ? { "org.onsafe.answer": answer } : {}), ...(language ? { [LANGUAGE_FIELD]: language } : {}) };
    return (await victim.client.sendMessage(roomId, content as never)).event_id;
  }

  /** A running client for an account made here (e.g. a partner's staff member). */
  async client(account: Account): Promise<SdkClient> {
    const client = await SdkClient.start(this.hs.url, account);
    this.clients.push(client);
    return client;
  }
}

/** A loopback port nobody listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
