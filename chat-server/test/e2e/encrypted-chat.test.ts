import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { ENCRYPTION, type Account, TestServer } from "../harness.ts";
import { SdkClient } from "../../../test-support/sdk-client.ts";

const JOINED_ONLY = { type: "m.room.history_visibility", state_key: "", content: { history_visibility: "joined" } };
const run = randomBytes(4).toString("hex");
const sentBodies: string[] = [];
const body = (label: string) => {
  const text = `secret-body-${run}-${label}`;
  sentBodies.push(text);
  return text;
};

describe("end-to-end encrypted chat with matrix-js-sdk and Rust crypto", () => {
  let server: TestServer;
  const clients: SdkClient[] = [];
  let visitor: SdkClient;
  let bot: SdkClient;
  let roomId: string;
  const latencies: number[] = [];

  const start = async (account: Account) => {
    const client = await SdkClient.start(server.url, account);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    // Its own process, so that the restart below is a real one: SIGKILL, then a fresh start.
    server = await TestServer.startProcess();
    const botAccount = await server.createAccount("bot", BOT_LOCALPARTS.triage);
    const visitorAccount = await server.registerVisitor("visitor-recovery-code");
    visitor = await start(visitorAccount);
    bot = await start(botAccount);
    const created = await visitor.client.createRoom({
      invite: [bot.userId],
      initial_state: [ENCRYPTION, JOINED_ONLY],
      preset: "private_chat" as never,
    });
    roomId = created.room_id;
    await bot.waitForRoom(roomId, "invite");
    await bot.client.joinRoom(roomId);
    await visitor.waitFor(() => visitor.client.getRoom(roomId)?.getMember(bot.userId)?.membership === "join", "the bot join");
  });

  afterAll(async () => {
    for (const client of clients) client.stop();
    await server?.close();
  });

  it("exchanges 20 messages each way, all decrypted on the other side", async () => {
    for (let i = 0; i < 20; i++) {
      const fromVisitor = body(`v${i}`);
      const sentAt = await visitor.sendText(roomId, fromVisitor);
      latencies.push((await bot.waitForMessage(roomId, fromVisitor)).at - sentAt);
      const fromBot = body(`b${i}`);
      const botSentAt = await bot.sendText(roomId, fromBot);
      latencies.push((await visitor.waitForMessage(roomId, fromBot)).at - botSentAt);
    }
    expect(bot.bodies(roomId, visitor.userId)).toEqual(Array.from({ length: 20 }, (_, i) => `secret-body-${run}-v${i}`));
    expect(visitor.bodies(roomId, bot.userId)).toEqual(Array.from({ length: 20 }, (_, i) => `secret-body-${run}-b${i}`));
    expect(bot.undecryptable.get(roomId) ?? 0).toBe(0);
    const sorted = [...latencies].sort((a, b) => a - b);
    const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(1);
    console.log(`sdk delivery latency (send called -> decrypted on the other side), n=${sorted.length}: p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, max ${sorted.at(-1)!.toFixed(1)} ms`);
  });

  it("delivers new messages to the visitor's second device", async () => {
    const login = await server.request("POST", "/_matrix/client/v3/login", {
      body: { type: "m.login.password", identifier: { type: "m.id.user", user: visitor.userId }, password: "visitor-recovery-code" },
    });
    expect(login.status).toBe(200);
    const second = await start({ userId: login.body.user_id, deviceId: login.body.device_id, token: login.body.access_token });
    await second.waitForRoom(roomId, "join");
    // A sender encrypts for the devices it knows: the bot learns of the new one via device_lists.
    await bot.waitForDevice(visitor.userId, second.account.deviceId);
    const text = body("to-second-device");
    await bot.sendText(roomId, text);
    await second.waitForMessage(roomId, text);
    await visitor.waitForMessage(roomId, text);
    const fromSecond = body("from-second-device");
    await second.sendText(roomId, fromSecond);
    await bot.waitForMessage(roomId, fromSecond);
  });

  it("lets a companion who joins later read new messages but not earlier ones", async () => {
    const companion = await start(await server.createAccount("companion", "mina"));
    const before = body("before-companion");
    await visitor.sendText(roomId, before);
    await bot.waitForMessage(roomId, before);
    await bot.client.invite(roomId, companion.userId);
    await companion.waitForRoom(roomId, "invite");
    await companion.client.joinRoom(roomId);
    await visitor.waitFor(() => visitor.client.getRoom(roomId)?.getMember(companion.userId)?.membership === "join", "the companion join");
    const after = body("after-companion");
    await visitor.sendText(roomId, after);
    await companion.waitForMessage(roomId, after);
    const history = await server.request("GET", `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?dir=b&limit=100`, { token: companion.account.token });
    const encrypted = history.body.chunk.filter((e: { type: string }) => e.type === "m.room.encrypted");
    expect(encrypted).toHaveLength(1);
    expect(companion.bodies(roomId)).toEqual([after]);
    const reply = body("companion-reply");
    await companion.sendText(roomId, reply);
    await visitor.waitForMessage(roomId, reply);
  });

  it("continues the conversation across a killed and restarted server process with nothing lost", async () => {
    const beforeRestart = body("before-restart");
    await visitor.sendText(roomId, beforeRestart);
    const backOnline = [visitor, bot].map((c) => c.reconnected());
    await server.restart();
    await Promise.all(backOnline);
    const afterRestart = body("after-restart");
    await visitor.sendText(roomId, afterRestart);
    const botReply = body("bot-after-restart");
    await bot.sendText(roomId, botReply);
    await bot.waitForMessage(roomId, beforeRestart, 40_000);
    await bot.waitForMessage(roomId, afterRestart, 40_000);
    await visitor.waitForMessage(roomId, botReply, 40_000);
  });

  it("leaves no plaintext message body in the database files", () => {
    const files = readdirSync(server.config.dataDir).filter((f) => f.startsWith("homeserver.sqlite"));
    expect(files).toContain("homeserver.sqlite");
    const bytes = Buffer.concat(files.map((f) => readFileSync(join(server.config.dataDir, f))));
    expect(sentBodies.length).toBeGreaterThan(40);
    const found = sentBodies.filter((b) => bytes.includes(Buffer.from(b)));
    expect(found).toEqual([]);
    // The scan itself works: the room id, which is stored in the clear, is found.
    expect(bytes.includes(Buffer.from(roomId))).toBe(true);
  });
});
