import { beforeAll, describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { type Account, expectError } from "../../test/harness.ts";
import { serverWithAccounts } from "../../test/fixtures.ts";

const PASSWORD = "correct horse battery";

describe("send-to-device messages", () => {
  const env = serverWithAccounts({
    bot: ["bot", BOT_LOCALPARTS.triage],
    companion: ["companion", "haneul", PASSWORD],
  });
  let companionPhone: Account;
  beforeAll(async () => {
    const login = await env.server.request("POST", "/_matrix/client/v3/login", {
      body: { type: "m.login.password", identifier: { type: "m.id.user", user: env.companion.userId }, password: PASSWORD },
    });
    companionPhone = { userId: login.body.user_id, deviceId: login.body.device_id, token: login.body.access_token };
  });

  const send = (from: Account, txnId: string, body: unknown, type = "m.room.encrypted") =>
    env.server.request("PUT", `/_matrix/client/v3/sendToDevice/${type}/${txnId}`, { token: from.token, body });
  const sync = (a: Account, since?: string, timeout = 0) =>
    env.server.request("GET", `/_matrix/client/v3/sync?timeout=${timeout}${since ? `&since=${since}` : ""}`, { token: a.token });
  const visitorInRoom = async () => {
    const visitor = await env.server.registerVisitor();
    await env.server.visitorRoomWithBot(visitor, env.bot);
    return visitor;
  };

  it("delivers a message to every device once per transaction, and forgets it once a later sync acknowledges it", async () => {
    const laptop = (await sync(env.companion)).body.next_batch;
    const phone = (await sync(companionPhone)).body.next_batch;
    const message = { messages: { [env.companion.userId]: { "*": { ciphertext: "k1" } } } };
    for (let i = 0; i < 2; i++) expect((await send(env.bot, "txn1", message)).body).toEqual({});
    expect(env.server.count("to_device")).toBe(2);
    const expected = [{ sender: env.bot.userId, type: "m.room.encrypted", content: { ciphertext: "k1" } }];
    const delivered = await sync(env.companion, laptop);
    expect(delivered.body.to_device.events).toEqual(expected);
    expect((await sync(companionPhone, phone)).body.to_device.events).toEqual(expected);
    // Replaying the same `since` (the client lost the answer) delivers it again ...
    expect((await sync(env.companion, laptop)).body.to_device.events).toEqual(expected);
    // ... a later `since` acknowledges it, and only that device's copy goes.
    expect((await sync(env.companion, delivered.body.next_batch)).body.to_device.events).toEqual([]);
    await new Promise((r) => setTimeout(r, 50));
    expect(env.server.count("to_device")).toBe(1);
    // A device that has never synced gets its messages in its first sync.
    expect((await sync(companionPhone)).body.to_device.events).toEqual(expected);
  });

  it("addresses single devices, drops unknown ones, keeps the order, and wakes a waiting sync", async () => {
    const since = (await sync(companionPhone)).body.next_batch;
    const waiting = sync(companionPhone, since, 10_000);
    const startedAt = Date.now();
    await new Promise((r) => setTimeout(r, 100));
    expect((await send(env.bot, "txn2", { messages: {
      [env.companion.userId]: { [companionPhone.deviceId]: { n: 1 }, NOSUCHDEVICE: { n: 2 } },
      "@ghost:localhost": { "*": { n: 3 } },
    } })).status).toBe(200);
    await send(env.bot, "txn3", { messages: { [env.companion.userId]: { [companionPhone.deviceId]: { n: 4 } } } }, "m.room_key_request");
    const woken = await waiting;
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    const all = [...woken.body.to_device.events, ...(await sync(companionPhone, woken.body.next_batch)).body.to_device.events];
    expect(all).toEqual([
      { sender: env.bot.userId, type: "m.room.encrypted", content: { n: 1 } },
      { sender: env.bot.userId, type: "m.room_key_request", content: { n: 4 } },
    ]);
    expect(env.server.hs.store.sqlite.prepare("select count(*) n from to_device where device_id = 'NOSUCHDEVICE' or user_id = '@ghost:localhost'").get()).toEqual({ n: 0 });
  });

  it("keeps transaction ids per sending device", async () => {
    const since = (await sync(env.bot)).body.next_batch;
    await send(env.companion, "same-txn", { messages: { [env.bot.userId]: { [env.bot.deviceId]: { from: "laptop" } } } });
    await send(companionPhone, "same-txn", { messages: { [env.bot.userId]: { [env.bot.deviceId]: { from: "phone" } } } });
    const events = (await sync(env.bot, since)).body.to_device.events;
    expect(events.map((e: { content: { from: string } }) => e.content.from)).toEqual(["laptop", "phone"]);
  });

  it("lets a visitor reach only people they share a room with, silently dropping the rest", async () => {
    const visitor = await visitorInRoom();
    const before = env.server.count("to_device");
    const reply = await send(visitor, "v1", { messages: { [env.companion.userId]: { "*": { x: 1 } }, [env.bot.userId]: { [env.bot.deviceId]: { x: 2 } } } });
    expect(reply.status).toBe(200);
    expect(env.server.count("to_device")).toBe(before + 1);
    expect(env.server.hs.store.sqlite.prepare("select user_id from to_device where sender = ?").all(visitor.userId)).toEqual([{ user_id: env.bot.userId }]);
  });

  it("hands a device at most 100 messages per sync and the rest in the next ones, none lost or repeated", async () => {
    const login = await env.server.request("POST", "/_matrix/client/v3/login", {
      body: { type: "m.login.password", identifier: { type: "m.id.user", user: env.companion.userId }, password: PASSWORD },
    });
    const tablet: Account = { userId: login.body.user_id, deviceId: login.body.device_id, token: login.body.access_token };
    let since = (await sync(tablet)).body.next_batch;
    for (let n = 0; n < 250; n++) {
      expect((await send(env.bot, `many-${n}`, { messages: { [tablet.userId]: { [tablet.deviceId]: { n } } } })).status).toBe(200);
    }
    const batches: number[][] = [];
    for (let i = 0; i < 4; i++) {
      // A waiting sync returns at once while messages are held back.
      const reply = await sync(tablet, since, i < 3 ? 10_000 : 0);
      batches.push(reply.body.to_device.events.map((e: { content: { n: number } }) => e.content.n));
      since = reply.body.next_batch;
    }
    expect(batches.map((b) => b.length)).toEqual([100, 100, 50, 0]);
    expect(batches.flat()).toEqual(Array.from({ length: 250 }, (_, n) => n));
    // The last `since` acknowledged all of them.
    await new Promise((r) => setTimeout(r, 50));
    expect(env.server.hs.store.sqlite.prepare("select count(*) n from to_device where device_id = ?").get(tablet.deviceId)).toEqual({ n: 0 });
    // An initial sync is bounded too, and its token carries on from where it stopped.
    for (let n = 0; n < 150; n++) await send(env.bot, `again-${n}`, { messages: { [tablet.userId]: { [tablet.deviceId]: { n } } } });
    const first = await sync(tablet);
    const second = await sync(tablet, first.body.next_batch);
    expect([first.body.to_device.events.length, second.body.to_device.events.length]).toEqual([100, 50]);
    expect([...first.body.to_device.events, ...second.body.to_device.events].map((e: { content: { n: number } }) => e.content.n))
      .toEqual(Array.from({ length: 150 }, (_, n) => n));
  });

  it("refuses malformed requests without storing anything or using up the transaction id", async () => {
    const visitor = await visitorInRoom();
    const before = [env.server.count("to_device"), env.server.count("to_device_txns")];
    expectError(await send(visitor, "bad", {}), 400, "M_MISSING_PARAM");
    expectError(await send(visitor, "bad", { messages: "x" }), 400, "M_BAD_JSON");
    expectError(await send(visitor, "bad", { messages: { [env.bot.userId]: "nope" } }), 400, "M_BAD_JSON");
    expectError(await send(visitor, "bad", { messages: { [env.bot.userId]: { [env.bot.deviceId]: "nope" } } }), 400, "M_BAD_JSON");
    expectError(await send(visitor, "bad", { messages: { [env.bot.userId]: { [env.bot.deviceId]: { ok: 1 } } } }, "t".repeat(300)), 400, "M_BAD_JSON");
    expectError(await env.server.request("PUT", "/_matrix/client/v3/sendToDevice/m.x/bad", { token: visitor.token, raw: "{", headers: { "content-type": "application/json" } }), 400, "M_NOT_JSON");
    expect([env.server.count("to_device"), env.server.count("to_device_txns")]).toEqual(before);
    expect((await send(visitor, "bad", { messages: { [env.bot.userId]: { [env.bot.deviceId]: { ok: 1 } } } })).status).toBe(200);
    expect(env.server.count("to_device")).toBe(before[0] + 1);
  });
});
