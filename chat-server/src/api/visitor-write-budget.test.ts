import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { expectError, type Account, type Reply, TestServer } from "../../test/harness.ts";
import { SigningKey } from "../../test/signing-key.ts";

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

/**
 * The rest of what a visitor can write (issue 21, finding 2, "visitors' writes
 * of every kind"): cross-signing keys and signatures, key backup, filters,
 * device deletion, password changes and forgetting a room spend the same send
 * budget; receipts, read markers and typing, which replace a state rather than
 * add to it, spend a separate, larger one (`ONSAFE_VISITOR_EPHEMERAL_PER_MINUTE`).
 * docs/VISITOR-WRITES.md lists every route. Each refusal below must leave the
 * tables it would write as they were.
 */
describe("every other visitor write spends a budget", () => {
  let server: TestServer;
  let bot: Account;
  const PASSWORD = "visitor recovery secret";
  beforeAll(async () => {
    server = await TestServer.start({ visitorSendsPerMinute: 3, visitorEphemeralPerMinute: 3 });
    bot = await server.createAccount("bot", BOT_LOCALPARTS.triage);
  });
  afterAll(async () => { await server.close(); });

  function expectLimited(reply: Reply): void {
    expectError(reply, 429, "M_LIMIT_EXCEEDED");
    expect(reply.body.retry_after_ms).toBeGreaterThan(0);
  }
  /** Every row of these tables, to show a refused request changed none. */
  const rows = (...tables: string[]) => tables.map((t) => server.hs.store.sqlite.prepare(`select * from ${t}`).all());
  const accountData = (a: Account, i: number) => server.call(a, "PUT", `/user/${encodeURIComponent(a.userId)}/account_data/org.example.${i}`, { i });
  const auth = (a: Account) => ({ type: "m.login.password", identifier: { type: "m.id.user", user: a.userId }, password: PASSWORD });

  it("cross-signing keys and signatures: counted, and past the budget 429 with nothing stored", async () => {
    const visitor = await server.registerVisitor();
    const [master, self, user] = [new SigningKey(), new SigningKey(), new SigningKey()];
    const crossKey = (usage: string, key: SigningKey) => ({ user_id: visitor.userId, usage: [usage], keys: { [`ed25519:${key.publicKey}`]: key.publicKey } });
    const upload = () => server.call(visitor, "POST", "/keys/device_signing/upload", {
      master_key: crossKey("master", master),
      self_signing_key: master.sign(crossKey("self_signing", self), visitor.userId),
      user_signing_key: master.sign(crossKey("user_signing", user), visitor.userId),
    });
    const signatures = () => server.call(visitor, "POST", "/keys/signatures/upload", { [visitor.userId]: { [master.publicKey]: { signatures: {} } } });
    expect((await upload()).status).toBe(200);
    expect((await signatures()).status).toBe(200);
    expect((await accountData(visitor, 0)).status).toBe(200);
    // The two key writes counted: the third write was the last one the budget held.
    expectLimited(await accountData(visitor, 1));
    const before = rows("cross_signing_keys", "key_signatures", "device_list_changes");
    expectLimited(await upload());
    expectLimited(await signatures());
    expect(rows("cross_signing_keys", "key_signatures", "device_list_changes")).toEqual(before);
  });

  it("key backup, every write route: counted, and past the budget 429 with nothing stored", async () => {
    const visitor = await server.registerVisitor();
    const call = (method: string, path: string, body?: unknown) => server.call(visitor, method, `/room_keys${path}`, body);
    const ALGORITHM = "m.megolm_backup.v1.curve25519-aes-sha2";
    const key = { first_message_index: 0, forwarded_count: 0, is_verified: false, session_data: { ciphertext: "x".repeat(100) } };
    const room = "!room:localhost";
    expect((await call("POST", "/version", { algorithm: ALGORITHM, auth_data: { public_key: "pk" } })).status).toBe(200);
    expect((await call("PUT", `/keys/${room}/s0?version=1`, key)).status).toBe(200);
    expect((await call("PUT", "/version/1", { algorithm: ALGORITHM, auth_data: { public_key: "pk2" } })).status).toBe(200);
    expectLimited(await accountData(visitor, 0));
    const before = rows("room_key_versions", "room_keys");
    expectLimited(await call("POST", "/version", { algorithm: ALGORITHM, auth_data: { public_key: "pk" } }));
    expectLimited(await call("PUT", "/version/1", { algorithm: ALGORITHM, auth_data: { public_key: "pk3" } }));
    expectLimited(await call("PUT", `/keys/${room}/s1?version=1`, key));
    expectLimited(await call("PUT", `/keys/${room}?version=1`, { sessions: { s2: key } }));
    expectLimited(await call("PUT", "/keys?version=1", { rooms: { [room]: { sessions: { s3: key } } } }));
    expectLimited(await call("DELETE", `/keys/${room}/s0?version=1`));
    expectLimited(await call("DELETE", `/keys/${room}?version=1`));
    expectLimited(await call("DELETE", "/keys?version=1"));
    expectLimited(await call("DELETE", "/version/1"));
    expect(rows("room_key_versions", "room_keys")).toEqual(before);
  });

  it("filters: a flood of them is refused past the budget, none stored", async () => {
    const visitor = await server.registerVisitor();
    const filter = (i: number) => server.call(visitor, "POST", `/user/${encodeURIComponent(visitor.userId)}/filter`, { room: { timeline: { limit: i + 1 } } });
    for (let i = 0; i < 3; i++) expect((await filter(i)).status).toBe(200);
    const before = rows("filters");
    expectLimited(await filter(3));
    expect(rows("filters")).toEqual(before);
  });

  it("deleting devices, changing the password and forgetting rooms: counted, and past the budget 429 with nothing changed", async () => {
    const visitor = await server.registerVisitor(PASSWORD);
    const login = async () => (await server.request("POST", "/_matrix/client/v3/login", {
      body: { type: "m.login.password", identifier: { type: "m.id.user", user: visitor.userId }, password: PASSWORD },
    })).body.device_id as string;
    const [second, third] = [await login(), await login()];
    // Two rooms the visitor was invited to and then removed from by the bot: left, ready to forget, at no cost to them.
    const left: string[] = [];
    for (let i = 0; i < 2; i++) {
      const roomId = (await server.call(bot, "POST", "/createRoom", { invite: [visitor.userId] })).body.room_id as string;
      expect((await server.call(bot, "POST", `/rooms/${roomId}/kick`, { user_id: visitor.userId })).status).toBe(200);
      left.push(roomId);
    }
    expect((await server.call(visitor, "DELETE", `/devices/${second}`, { auth: auth(visitor) })).status).toBe(200);
    expect((await server.call(visitor, "POST", "/account/password", { new_password: PASSWORD, logout_devices: false, auth: auth(visitor) })).status).toBe(200);
    expect((await server.call(visitor, "POST", `/rooms/${left[0]}/forget`, {})).status).toBe(200);
    expectLimited(await accountData(visitor, 0));
    const before = rows("devices", "users", "memberships");
    expectLimited(await server.call(visitor, "DELETE", `/devices/${third}`, { auth: auth(visitor) }));
    expectLimited(await server.call(visitor, "POST", "/delete_devices", { devices: [third], auth: auth(visitor) }));
    expectLimited(await server.call(visitor, "POST", "/account/password", { new_password: "another recovery secret", auth: auth(visitor) }));
    expectLimited(await server.call(visitor, "POST", `/rooms/${left[1]}/forget`, {}));
    expect(rows("devices", "users", "memberships")).toEqual(before);
  });

  it("receipts, read markers and typing spend their own budget, not the send budget: past it 429, nothing changed", async () => {
    const visitor = await server.registerVisitor();
    const roomId = await server.visitorRoomWithBot(visitor, bot);
    const events: string[] = [];
    for (let i = 0; i < 4; i++) {
      events.push((await server.call(bot, "PUT", `/rooms/${roomId}/send/m.room.encrypted/e${i}`, { algorithm: "m.megolm.v1.aes-sha2", ciphertext: `c${i}` })).body.event_id);
    }
    const receipt = (eventId: string) => server.call(visitor, "POST", `/rooms/${roomId}/receipt/m.read/${encodeURIComponent(eventId)}`, {});
    const markers = (eventId: string) => server.call(visitor, "POST", `/rooms/${roomId}/read_markers`, { "m.fully_read": eventId, "m.read": eventId });
    const typing = (on: boolean) => server.call(visitor, "PUT", `/rooms/${roomId}/typing/${encodeURIComponent(visitor.userId)}`, { typing: on, timeout: 30_000 });
    expect((await receipt(events[0])).status).toBe(200);
    expect((await markers(events[1])).status).toBe(200);
    expect((await typing(true)).status).toBe(200);
    const serial = server.hs.typing.serial;
    const before = rows("receipts", "account_data");
    expectLimited(await receipt(events[2]));
    expectLimited(await markers(events[3]));
    expectLimited(await typing(false));
    expect(rows("receipts", "account_data")).toEqual(before);
    expect(server.hs.typing.serial).toBe(serial);
    expect(server.hs.typing.changedSince(roomId, undefined)).toEqual([visitor.userId]);
    // The send budget is untouched by them: three writes still fit.
    for (let i = 0; i < 3; i++) expect((await accountData(visitor, i)).status).toBe(200);
  });

  it("limits neither staff nor bots", async () => {
    const roomId = (await server.call(bot, "POST", "/createRoom", {})).body.room_id as string;
    const eventId = (await server.call(bot, "PUT", `/rooms/${roomId}/send/m.room.message/b0`, { msgtype: "m.text", body: "hi" })).body.event_id as string;
    for (let i = 0; i < 6; i++) {
      expect((await server.call(bot, "POST", `/user/${encodeURIComponent(bot.userId)}/filter`, { room: { timeline: { limit: i + 1 } } })).status).toBe(200);
      expect((await server.call(bot, "PUT", `/rooms/${roomId}/typing/${encodeURIComponent(bot.userId)}`, { typing: i % 2 === 0 })).status).toBe(200);
      expect((await server.call(bot, "POST", `/rooms/${roomId}/receipt/m.read/${encodeURIComponent(eventId)}`, {})).status).toBe(200);
    }
  });
});
