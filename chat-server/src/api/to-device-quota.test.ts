import { describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { type Account, expectError } from "../../test/harness.ts";
import { serverWithAccounts } from "../../test/fixtures.ts";

/** Issue 21, finding 2: 30 to-device messages of 900 KB each were kept for the triage bot and sent in one sync. */
describe("to-device quotas", () => {
  const env = serverWithAccounts({
    bot: ["bot", BOT_LOCALPARTS.triage],
    companion: ["companion", "jiwoo"],
  }, { toDeviceMaxPendingPerDevice: 5 });

  const send = (from: Account, txnId: string, body: unknown) =>
    env.server.request("PUT", `/_matrix/client/v3/sendToDevice/m.room.encrypted/${txnId}`, { token: from.token, body });
  const pendingFor = (a: Account) => (env.server.hs.store.sqlite.prepare("select count(*) n from to_device where user_id = ? and device_id = ?").get(a.userId, a.deviceId) as { n: number }).n;

  it("refuses a message over ONSAFE_TO_DEVICE_MAX_MESSAGE_BYTES (64 KiB) with 413 M_TOO_LARGE, writing nothing, not even the txn id", async () => {
    const visitor = await env.server.registerVisitor();
    await env.server.visitorRoomWithBot(visitor, env.bot);
    const before = [env.server.count("to_device"), env.server.count("to_device_txns")];
    const huge = { messages: { [env.bot.userId]: { [env.bot.deviceId]: { ciphertext: "x".repeat(900 * 1024) } } } };
    expectError(await send(visitor, "big", huge), 413, "M_TOO_LARGE");
    const justOver = { messages: { [env.bot.userId]: { [env.bot.deviceId]: { ciphertext: "x".repeat(64 * 1024) } } } };
    expectError(await send(visitor, "big", justOver), 413, "M_TOO_LARGE");
    expect([env.server.count("to_device"), env.server.count("to_device_txns")]).toEqual(before);
    // An olm-encrypted room key is a few KB.
    const roomKey = { messages: { [env.bot.userId]: { [env.bot.deviceId]: { ciphertext: "x".repeat(4 * 1024) } } } };
    expect((await send(visitor, "big", roomKey)).status).toBe(200);
  });

  it("refuses sends to a device holding ONSAFE_TO_DEVICE_MAX_PENDING_PER_DEVICE messages with 429 M_LIMIT_EXCEEDED until it syncs", async () => {
    const since = await env.server.nextBatch(env.companion);
    for (let i = 0; i < 5; i++) {
      expect((await send(env.bot, `p${i}`, { messages: { [env.companion.userId]: { [env.companion.deviceId]: { i } } } })).status).toBe(200);
    }
    const refused = await send(env.bot, "p5", { messages: { [env.companion.userId]: { [env.companion.deviceId]: { i: 5 } } } });
    expectError(refused, 429, "M_LIMIT_EXCEEDED");
    expect(typeof refused.body.retry_after_ms).toBe("number");
    expect(pendingFor(env.companion)).toBe(5);
    // The device syncs and acknowledges; the same transaction goes through.
    const delivered = await env.server.sync(env.companion, `?since=${since}&timeout=0`);
    expect(delivered.body.to_device.events).toHaveLength(5);
    await env.server.sync(env.companion, `?since=${delivered.body.next_batch}&timeout=0`);
    await new Promise((r) => setTimeout(r, 50));
    expect((await send(env.bot, "p5", { messages: { [env.companion.userId]: { [env.companion.deviceId]: { i: 5 } } } })).status).toBe(200);
    expect(pendingFor(env.companion)).toBe(1);
  });
});
