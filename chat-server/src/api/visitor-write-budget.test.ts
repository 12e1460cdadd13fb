import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { expectError, type Account, type Reply, TestServer } from "../../test/harness.ts";

/**
 * A visitor's account data, to-device messages, key uploads and key claims
 * spend the send budget (`ONSAFE_VISITOR_SENDS_PER_MINUTE`) as messages do:
 * before, a script rewrote 900 KB of account data as fast as the disk took it
 * (60 in 1.8 s), each write waking its syncs (issue 21, finding 2).
 */
describe("visitor writes of every kind spend the send budget", () => {
  let server: TestServer;
  let bot: Account;
  beforeAll(async () => {
    server = await TestServer.start({ visitorSendsPerMinute: 3 });
    bot = await server.createAccount("bot", BOT_LOCALPARTS.triage);
  });
  afterAll(async () => { await server.close(); });

  function expectLimited(reply: Reply): void {
    expectError(reply, 429, "M_LIMIT_EXCEEDED");
    expect(reply.body.retry_after_ms).toBeGreaterThan(0);
  }
  const accountData = (a: Account, i: number) => server.request("PUT", `/_matrix/client/v3/user/${encodeURIComponent(a.userId)}/account_data/org.example.${i}`, { token: a.token, body: { i } });
  const toDevice = (a: Account, i: number) => server.request("PUT", `/_matrix/client/v3/sendToDevice/m.room.encrypted/t${i}`, { token: a.token, body: { messages: { [bot.userId]: { [bot.deviceId]: { i } } } } });
  const keys = (a: Account, i: number) => server.call(a, "POST", "/keys/upload", { one_time_keys: { [`signed_curve25519:K${i}`]: { key: `k${i}`, signatures: {} } } });
  const claim = (a: Account) => server.call(a, "POST", "/keys/claim", { one_time_keys: { [bot.userId]: { [bot.deviceId]: "signed_curve25519" } } });
  const stored = () => ["account_data", "to_device", "one_time_keys"].map((t) => server.count(t));

  it("account data, to-device, key uploads and claims together: past the budget 429 and nothing written", async () => {
    const visitor = await server.registerVisitor();
    await server.visitorRoomWithBot(visitor, bot);
    await keys(bot, 100);
    await keys(bot, 101);
    // The room cost the visitor nothing here (the bot created it); three writes of three kinds fit.
    expect((await accountData(visitor, 0)).status).toBe(200);
    expect((await toDevice(visitor, 0)).status).toBe(200);
    expect((await keys(visitor, 0)).status).toBe(200);
    const before = stored();
    expectLimited(await accountData(visitor, 1));
    expectLimited(await toDevice(visitor, 1));
    expectLimited(await keys(visitor, 1));
    expectLimited(await claim(visitor));
    expect(stored()).toEqual(before);
  });

  it("does not limit staff or bots", async () => {
    for (let i = 0; i < 6; i++) expect((await accountData(bot, i)).status).toBe(200);
    for (let i = 0; i < 6; i++) expect((await keys(bot, 200 + i)).status).toBe(200);
  });
});
