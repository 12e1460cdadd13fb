/**
 * Delivery of new events to pushers: a small HTTP server on loopback stands in
 * for the bots' push gateway (a peer of the homeserver, not the thing under
 * test) and records what the homeserver posts to it.
 */
import { createECDH, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import type { Config } from "../src/config.ts";
import { serverWithAccounts } from "./fixtures.ts";
import { type Account, ENCRYPTION } from "./harness.ts";

const APP_ID = "org.onsafe.console.webpush";
const NOTIFY_PATH = "/_matrix/push/v1/notify";

/** The stand-in gateway: records each request's raw body; answers as `mode` says. */
class FakeGateway {
  readonly bodies: string[] = [];
  /** Requests received, answered or not. */
  received = 0;
  mode: "ok" | "hang" | "fail" = "ok";
  /** Pushkeys to name in `rejected`. */
  readonly reject = new Set<string>();
  private readonly held: ServerResponse[] = [];
  private readonly server = createServer((req, res) => this.handle(req, res));

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${NOTIFY_PATH}`;
  }

  notifications(): any[] {
    return this.bodies.map((b) => JSON.parse(b).notification);
  }

  /** Cuts the connections of the requests held unanswered. */
  release(): void {
    for (const res of this.held.splice(0)) res.destroy();
  }

  async stop(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    let text = "";
    req.on("data", (chunk) => { text += chunk; });
    req.on("end", () => {
      this.received++;
      if (this.mode === "hang") return void this.held.push(res);
      if (this.mode === "fail") return void res.writeHead(502).end();
      this.bodies.push(text);
      const pushkeys = (JSON.parse(text).notification.devices as { pushkey: string }[]).map((d) => d.pushkey);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ rejected: pushkeys.filter((k) => this.reject.has(k)) }));
    });
  }
}

/** Polls until `check` passes; generous, since the machine may be busy. */
async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > end) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

describe("push delivery", () => {
  const gateway = new FakeGateway();
  const config: Partial<Config> = {};
  beforeAll(async () => { config.pushGatewayUrl = await gateway.start(); });
  afterAll(() => gateway.stop());
  const env = serverWithAccounts({ companion: ["companion", "mina"], bot: ["bot", BOT_LOCALPARTS.triage], colleague: ["companion", "sora"] }, config);

  const setPusher = async (account: Account) => {
    const pusher = {
      kind: "http", app_id: APP_ID, pushkey: createECDH("prime256v1").generateKeys().toString("base64url"),
      app_display_name: "onsafe console", device_display_name: "Chrome", lang: "ko",
      data: { url: env.server.config.pushGatewayUrl, format: "event_id_only", endpoint: "https://fcm.googleapis.com/fcm/send/abc", auth: randomBytes(16).toString("base64url") },
    };
    expect((await env.server.call(account, "POST", "/pushers/set", pusher)).status).toBe(200);
    return pusher;
  };
  const notificationFor = (eventId: string) => eventually(() => {
    const found = gateway.notifications().find((n) => n.event_id === eventId);
    if (!found) throw new Error(`no notification for ${eventId} yet`);
    return found;
  });
  /** Nothing more is on its way to the gateway. */
  const settled = () => eventually(() => expect(env.server.hs.pushGateway.pending).toBe(0));
  /** A pager room as the bots make one: an encrypted room of two, the staff member invited by the bot. */
  const pagerRoom = async (staff: Account) => {
    const created = await env.server.call(env.bot, "POST", "/createRoom", { invite: [staff.userId], is_direct: true, initial_state: [ENCRYPTION], name: "onsafe pager" });
    expect(created.status).toBe(200);
    return created.body.room_id as string;
  };
  it("posts the event_id_only request for an invite and an encrypted one-to-one message, with nothing of the content or sender", async () => {
    const { server, companion, bot } = env;
    const pusher = await setPusher(companion);
    const roomId = await pagerRoom(companion);
    expect((await server.call(companion, "POST", `/join/${roomId}`, {})).status).toBe(200);
    const invite = (await server.call(companion, "GET", `/rooms/${roomId}/messages?dir=b&limit=50`)).body.chunk
      .find((e: any) => e.type === "m.room.member" && e.content.membership === "invite");
    const secret = `ciphertext-${randomBytes(8).toString("hex")}`;
    const sent = await server.call(bot, "PUT", `/rooms/${roomId}/send/m.room.encrypted/page-1`, { algorithm: "m.megolm.v1.aes-sha2", ciphertext: secret, sender_key: "k", session_id: "s", device_id: "D" });
    expect(sent.status).toBe(200);

    const device = {
      app_id: APP_ID, pushkey: pusher.pushkey, pushkey_ts: expect.any(Number),
      data: { format: "event_id_only", endpoint: pusher.data.endpoint, auth: pusher.data.auth }, tweaks: { sound: "default" },
    };
    expect(await notificationFor(invite.event_id)).toEqual({ event_id: invite.event_id, room_id: roomId, prio: "high", devices: [device] });
    expect(await notificationFor(sent.body.event_id)).toEqual({ event_id: sent.body.event_id, room_id: roomId, prio: "high", devices: [device] });
    const raw = gateway.bodies.join("\n");
    for (const leak of [secret, bot.userId, companion.userId, "onsafe pager", "counts", "sender", "content"]) expect(raw).not.toContain(leak);
  });

  it("posts nothing for someone's own message, nor to members without a pusher", async () => {
    const { server, companion, bot, colleague } = env;
    await setPusher(companion);
    const roomId = await pagerRoom(companion);
    await server.call(companion, "POST", `/join/${roomId}`, {});
    const before = gateway.bodies.length;
    const own = await server.call(companion, "PUT", `/rooms/${roomId}/send/m.room.encrypted/own-1`, { algorithm: "m.megolm.v1.aes-sha2", ciphertext: "mine" });
    const colleagueRoom = await pagerRoom(colleague);
    await server.call(colleague, "POST", `/join/${colleagueRoom}`, {});
    const toColleague = await server.call(bot, "PUT", `/rooms/${colleagueRoom}/send/m.room.encrypted/c-1`, { algorithm: "m.megolm.v1.aes-sha2", ciphertext: "x" });
    const later = await server.call(bot, "PUT", `/rooms/${roomId}/send/m.room.encrypted/later-1`, { algorithm: "m.megolm.v1.aes-sha2", ciphertext: "x" });
    await notificationFor(later.body.event_id);
    await settled();
    const ids = gateway.notifications().slice(before).map((n) => n.event_id);
    expect(ids).not.toContain(own.body.event_id);
    expect(ids).not.toContain(toColleague.body.event_id);
  });

  it("deletes a pusher whose pushkey the gateway rejects", async () => {
    const { server, bot, colleague } = env;
    const pusher = await setPusher(colleague);
    gateway.reject.add(pusher.pushkey);
    const roomId = await pagerRoom(colleague);
    await eventually(async () => expect((await server.call(colleague, "GET", "/pushers")).body.pushers).toEqual([]));
    // Gone: the next page reaches no one through it.
    await server.call(colleague, "POST", `/join/${roomId}`, {});
    const sent = await server.call(bot, "PUT", `/rooms/${roomId}/send/m.room.encrypted/after-reject`, { algorithm: "m.megolm.v1.aes-sha2", ciphertext: "x" });
    await settled();
    expect(gateway.notifications().some((n) => n.event_id === sent.body.event_id)).toBe(false);
  });

  it("answers sends at once while the gateway hangs or fails", async () => {
    const { server, companion, bot } = env;
    await setPusher(companion);
    const roomId = await pagerRoom(companion);
    await server.call(companion, "POST", `/join/${roomId}`, {});
    for (const mode of ["hang", "fail"] as const) {
      gateway.mode = mode;
      gateway.release();
      const received = gateway.received;
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        const sent = await server.call(bot, "PUT", `/rooms/${roomId}/send/m.room.encrypted/${mode}-${i}`, { algorithm: "m.megolm.v1.aes-sha2", ciphertext: "x" });
        expect(sent.status).toBe(200);
        // A send that waited for the gateway would take its 10 s timeout (or the retries' 1 s, 4 s, 16 s).
        expect(performance.now() - started).toBeLessThan(5000);
      }
      // The gateway was asked all the same.
      await eventually(() => expect(gateway.received).toBeGreaterThan(received));
    }
    gateway.mode = "ok";
  });

  it("still delivers after a restart (who has pushers is read back at start)", async () => {
    const { server, bot, colleague } = env;
    await setPusher(colleague);
    const roomId = await pagerRoom(colleague);
    await server.call(colleague, "POST", `/join/${roomId}`, {});
    await server.restart();
    const sent = await server.call(bot, "PUT", `/rooms/${roomId}/send/m.room.encrypted/after-restart`, { algorithm: "m.megolm.v1.aes-sha2", ciphertext: "x" });
    expect(sent.status).toBe(200);
    expect((await notificationFor(sent.body.event_id)).prio).toBe("high");
  });
});
