import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { ENCRYPTION, type Account, expectError, TestServer } from "../../test/harness.ts";

const deviceKeys = (a: Account) => ({
  user_id: a.userId,
  device_id: a.deviceId,
  algorithms: ["m.olm.v1.curve25519-aes-sha2", "m.megolm.v1.aes-sha2"],
  keys: { [`curve25519:${a.deviceId}`]: "curvekey", [`ed25519:${a.deviceId}`]: "edkey" },
  signatures: { [a.userId]: { [`ed25519:${a.deviceId}`]: "sig" } },
});
const otk = (n: number) => ({ key: `otk${n}`, signatures: {} });

describe("keys and to-device messages", () => {
  let server: TestServer;
  let bot: Account;
  let companion: Account;
  beforeAll(async () => {
    server = await TestServer.start();
    bot = await server.createAccount("bot", BOT_LOCALPARTS.triage);
    companion = await server.createAccount("companion", "haneul");
  });
  afterAll(async () => { await server.close(); });

  const post = (a: Account, path: string, body: unknown) => server.request("POST", `/_matrix/client/v3${path}`, { token: a.token, body });

  it("uploads device and one-time keys, counts them in sync, and hands each one-time key out once, then the fallback", async () => {
    const upload = await post(companion, "/keys/upload", {
      device_keys: deviceKeys(companion),
      one_time_keys: { "signed_curve25519:AAAA": otk(1), "signed_curve25519:AAAB": otk(2) },
      fallback_keys: { "signed_curve25519:FFFF": { key: "fallback", fallback: true, signatures: {} } },
    });
    expect(upload.body.one_time_key_counts).toEqual({ signed_curve25519: 2 });
    const sync = await server.request("GET", "/_matrix/client/v3/sync", { token: companion.token });
    expect(sync.body.device_one_time_keys_count).toEqual({ signed_curve25519: 2 });
    expect(sync.body.device_unused_fallback_key_types).toEqual(["signed_curve25519"]);

    const query = await post(bot, "/keys/query", { device_keys: { [companion.userId]: [] } });
    expect(query.body.device_keys[companion.userId][companion.deviceId]).toMatchObject(deviceKeys(companion));

    const claims = [];
    for (let i = 0; i < 3; i++) claims.push((await post(bot, "/keys/claim", { one_time_keys: { [companion.userId]: { [companion.deviceId]: "signed_curve25519" } } })).body);
    const keyIds = claims.map((c) => Object.keys(c.one_time_keys[companion.userId][companion.deviceId])[0]);
    expect(keyIds).toEqual(["signed_curve25519:AAAA", "signed_curve25519:AAAB", "signed_curve25519:FFFF"]);
    const after = await server.request("GET", "/_matrix/client/v3/sync", { token: companion.token });
    expect(after.body.device_one_time_keys_count).toEqual({ signed_curve25519: 0 });
    expect(after.body.device_unused_fallback_key_types).toEqual([]);
  });

  it("refuses keys for another device and malformed uploads without storing anything", async () => {
    const visitor = await server.registerVisitor();
    const before = [server.count("device_keys"), server.count("one_time_keys")];
    expectError(await post(visitor, "/keys/upload", { device_keys: { ...deviceKeys(visitor), device_id: "OTHER" } }), 400, "M_INVALID_PARAM");
    expectError(await post(visitor, "/keys/upload", { device_keys: "nope" }), 400, "M_BAD_JSON");
    expectError(await post(visitor, "/keys/upload", { one_time_keys: { nocolon: otk(1) } }), 400, "M_BAD_JSON");
    expectError(await post(visitor, "/keys/query", {}), 400, "M_MISSING_PARAM");
    expectError(await post(visitor, "/keys/query", { device_keys: { [bot.userId]: "all" } }), 400, "M_BAD_JSON");
    expectError(await post(visitor, "/keys/claim", { one_time_keys: { [bot.userId]: [] } }), 400, "M_BAD_JSON");
    expect([server.count("device_keys"), server.count("one_time_keys")]).toEqual(before);
  });

  it("shows visitors only the keys of people they share a room with", async () => {
    const visitor = await server.registerVisitor();
    const query = await post(visitor, "/keys/query", { device_keys: { [companion.userId]: [], [visitor.userId]: [] } });
    expect(Object.keys(query.body.device_keys)).toEqual([visitor.userId]);
    const claim = await post(visitor, "/keys/claim", { one_time_keys: { [companion.userId]: { [companion.deviceId]: "signed_curve25519" } } });
    expect(claim.body.one_time_keys).toEqual({});
  });

  it("uploads cross-signing keys without auth the first time, then asks for it", async () => {
    const visitor = await server.registerVisitor("visitor-password-1");
    const key = (usage: string, pub: string) => ({ user_id: visitor.userId, usage: [usage], keys: { [`ed25519:${pub}`]: pub } });
    const first = await post(visitor, "/keys/device_signing/upload", { master_key: key("master", "MASTER1"), self_signing_key: key("self_signing", "SELF1") });
    expect(first.status).toBe(200);
    const again = await post(visitor, "/keys/device_signing/upload", { master_key: key("master", "MASTER2") });
    expect(again.status).toBe(401);
    expect(again.body.flows).toEqual([{ stages: ["m.login.password"] }]);
    const authed = await post(visitor, "/keys/device_signing/upload", {
      master_key: key("master", "MASTER2"),
      auth: { type: "m.login.password", session: again.body.session, identifier: { type: "m.id.user", user: visitor.userId }, password: "visitor-password-1" },
    });
    expect(authed.status).toBe(200);
    const query = await post(visitor, "/keys/query", { device_keys: { [visitor.userId]: [] } });
    expect(query.body.master_keys[visitor.userId].keys).toEqual({ "ed25519:MASTER2": "MASTER2" });
    expectError(await post(visitor, "/keys/device_signing/upload", {
      master_key: { ...key("master", "X"), user_id: companion.userId },
      auth: { type: "m.login.password", identifier: { type: "m.id.user", user: visitor.userId }, password: "visitor-password-1" },
    }), 400, "M_INVALID_PARAM");

    await post(visitor, "/keys/upload", { device_keys: deviceKeys(visitor) });
    const signed = await post(visitor, "/keys/signatures/upload", {
      [visitor.userId]: {
        [visitor.deviceId]: { ...deviceKeys(visitor), signatures: { [visitor.userId]: { "ed25519:SELF1": "cross-sig" } } },
        UNKNOWN: { signatures: { [visitor.userId]: { "ed25519:SELF1": "x" } } },
      },
    });
    expect(Object.keys(signed.body.failures[visitor.userId])).toEqual(["UNKNOWN"]);
    const withSig = await post(visitor, "/keys/query", { device_keys: { [visitor.userId]: [visitor.deviceId] } });
    expect(withSig.body.device_keys[visitor.userId][visitor.deviceId].signatures[visitor.userId]).toEqual({
      [`ed25519:${visitor.deviceId}`]: "sig", "ed25519:SELF1": "cross-sig",
    });
  });

  it("reports device-list changes in sync and /keys/changes to people sharing a room", async () => {
    const visitor = await server.registerVisitor();
    const room = await post(visitor, "/createRoom", { invite: [bot.userId], initial_state: [ENCRYPTION] });
    await post(bot, `/join/${room.body.room_id}`, {});
    const since = (await server.request("GET", "/_matrix/client/v3/sync", { token: bot.token })).body.next_batch;
    await post(visitor, "/keys/upload", { device_keys: deviceKeys(visitor) });
    const sync = await server.request("GET", `/_matrix/client/v3/sync?since=${since}&timeout=5000`, { token: bot.token });
    expect(sync.body.device_lists.changed).toContain(visitor.userId);
    const changes = await server.request("GET", `/_matrix/client/v3/keys/changes?from=${since}&to=${sync.body.next_batch}`, { token: bot.token });
    expect(changes.body.changed).toContain(visitor.userId);
    expectError(await server.request("GET", "/_matrix/client/v3/keys/changes?from=x&to=y", { token: bot.token }), 400, "M_INVALID_PARAM");
  });

  it("delivers a to-device message to each device once, idempotently per transaction", async () => {
    const visitor = await server.registerVisitor();
    const room = await post(visitor, "/createRoom", { invite: [bot.userId], initial_state: [ENCRYPTION] });
    await post(bot, `/join/${room.body.room_id}`, {});
    const first = await server.request("GET", "/_matrix/client/v3/sync", { token: bot.token });
    const message = { messages: { [bot.userId]: { "*": { room_key: "k1" } } } };
    for (let i = 0; i < 2; i++) {
      expect((await server.request("PUT", "/_matrix/client/v3/sendToDevice/m.room.encrypted/txn1", { token: visitor.token, body: message })).status).toBe(200);
    }
    const delivered = await server.request("GET", `/_matrix/client/v3/sync?since=${first.body.next_batch}&timeout=5000`, { token: bot.token });
    expect(delivered.body.to_device.events).toEqual([{ sender: visitor.userId, type: "m.room.encrypted", content: { room_key: "k1" } }]);
    // Replaying the same `since` (the client did not get the answer) delivers it again ...
    const replay = await server.request("GET", `/_matrix/client/v3/sync?since=${first.body.next_batch}`, { token: bot.token });
    expect(replay.body.to_device.events).toHaveLength(1);
    // ... but once a later `since` acknowledges it, it is gone.
    const next = await server.request("GET", `/_matrix/client/v3/sync?since=${delivered.body.next_batch}`, { token: bot.token });
    expect(next.body.to_device.events).toEqual([]);
    await new Promise((r) => setTimeout(r, 50));
    expect(server.count("to_device")).toBe(0);

    // A visitor cannot reach someone they share no room with.
    await server.request("PUT", "/_matrix/client/v3/sendToDevice/m.room.encrypted/txn2", { token: visitor.token, body: { messages: { [companion.userId]: { "*": { x: 1 } } } } });
    expect(server.count("to_device")).toBe(0);
    expectError(await server.request("PUT", "/_matrix/client/v3/sendToDevice/m.x/txn3", { token: visitor.token, body: { messages: { [bot.userId]: "nope" } } }), 400, "M_BAD_JSON");
  });
});
