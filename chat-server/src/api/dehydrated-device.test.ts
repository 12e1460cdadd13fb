import { describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { type Account, expectError } from "../../test/harness.ts";
import { serverWithAccounts } from "../../test/fixtures.ts";
import { SigningKey } from "../../test/signing-key.ts";
import { MAX_PENDING_FROM_VISITOR } from "../services/to-device.ts";

const PASSWORD = "correct horse battery";
const P = "/_matrix/client/unstable/org.matrix.msc3814.v1/dehydrated_device";

const deviceKeys = (userId: string, deviceId: string, key: SigningKey) => key.sign({
  user_id: userId,
  device_id: deviceId,
  algorithms: ["m.olm.v1.curve25519-aes-sha2", "m.megolm.v1.aes-sha2"],
  keys: { [`curve25519:${deviceId}`]: "curvekey", [`ed25519:${deviceId}`]: key.publicKey },
  dehydrated: true,
}, userId, `ed25519:${deviceId}`);

describe("dehydrated devices (MSC3814)", () => {
  const env = serverWithAccounts({
    bot: ["bot", BOT_LOCALPARTS.triage],
    companion: ["companion", "dahye", PASSWORD],
  }, { visitorSendsPerMinute: 1000 }); // a visitor sends MAX_PENDING_FROM_VISITOR + 1 to-device messages at once below
  /** The MSC's paths are not under `/_matrix/client/v3`. */
  const msc = (a: Account, method: string, path: string, body?: unknown) => env.server.request(method, path, { token: a.token, body });
  const dehydrate = (a: Account, deviceId: string, extra: Record<string, unknown> = {}) => msc(a, "PUT", P, {
    device_id: deviceId,
    device_data: { algorithm: "m.dehydration.v2", device_pickle: "opaque", nonce: "n" },
    initial_device_display_name: "Dehydrated device",
    device_keys: deviceKeys(a.userId, deviceId, new SigningKey()),
    one_time_keys: { [`signed_curve25519:AAAA${deviceId}`]: { key: "otk", signatures: {} } },
    ...extra,
  });
  const sendTo = (from: Account, txnId: string, userId: string, deviceId: string, content: Record<string, unknown>) =>
    env.server.call(from, "PUT", `/sendToDevice/m.room.encrypted/${txnId}`, { messages: { [userId]: { [deviceId]: content } } });

  it("answers M_NOT_FOUND (not M_UNRECOGNIZED) before there is one, so clients know the server has them", async () => {
    expectError(await msc(env.companion, "GET", P), 404, "M_NOT_FOUND");
  });

  it("keeps one per user: its keys are queried and claimed like any device's, messages to it wait, and a new one replaces it", async () => {
    expect((await dehydrate(env.companion, "DEHYDRATED1")).body).toEqual({ device_id: "DEHYDRATED1" });
    expect((await msc(env.companion, "GET", P)).body).toEqual({
      device_id: "DEHYDRATED1", device_data: { algorithm: "m.dehydration.v2", device_pickle: "opaque", nonce: "n" },
    });
    const query = await env.server.call(env.bot, "POST", "/keys/query", { device_keys: { [env.companion.userId]: [] } });
    expect(query.body.device_keys[env.companion.userId].DEHYDRATED1).toMatchObject({ dehydrated: true });
    const claim = await env.server.call(env.bot, "POST", "/keys/claim", { one_time_keys: { [env.companion.userId]: { DEHYDRATED1: "signed_curve25519" } } });
    expect(Object.keys(claim.body.one_time_keys[env.companion.userId].DEHYDRATED1)).toEqual(["signed_curve25519:AAAADEHYDRATED1"]);

    // Messages wait for it, a page at a time; a later `from` forgets what came before.
    for (let i = 0; i < 3; i++) await sendTo(env.bot, `t${i}`, env.companion.userId, "DEHYDRATED1", { n: i });
    await sendTo(env.bot, "star", env.companion.userId, "*", { n: "all" });
    const events = `${P}/DEHYDRATED1/events`;
    const first = await msc(env.companion, "GET", events);
    expect(first.body.events.map((e: { content: unknown }) => e.content)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }, { n: "all" }]);
    expect(first.body.events[0]).toMatchObject({ sender: env.bot.userId, type: "m.room.encrypted" });
    expect(typeof first.body.next_batch).toBe("string");
    expect((await msc(env.companion, "GET", `${events}?from=${first.body.next_batch}`)).body).toEqual({ events: [] });
    const left = env.server.count(`to_device where device_id = 'DEHYDRATED1'`);
    expect(left).toBe(0);

    // A new one replaces it: the old device, its keys and its messages go.
    await sendTo(env.bot, "late", env.companion.userId, "DEHYDRATED1", { n: "late" });
    expect((await dehydrate(env.companion, "DEHYDRATED2")).body).toEqual({ device_id: "DEHYDRATED2" });
    expect(env.server.count(`devices where device_id = 'DEHYDRATED1'`)).toBe(0);
    expect(env.server.count(`device_keys where device_id = 'DEHYDRATED1'`)).toBe(0);
    expect(env.server.count(`to_device where device_id = 'DEHYDRATED1'`)).toBe(0);
    expectError(await msc(env.companion, "GET", events), 403, "M_FORBIDDEN");
    expect((await msc(env.companion, "DELETE", P)).body).toEqual({ device_id: "DEHYDRATED2" });
    expect(env.server.count("dehydrated_devices")).toBe(0);
    expect(env.server.count(`devices where device_id = 'DEHYDRATED2'`)).toBe(0);
  });

  it("refuses bad input and changes nothing: visitors, a taken id, keys for another device, a bad signature, a bad 'from'", async () => {
    const before = () => [env.server.count("devices"), env.server.count("dehydrated_devices"), env.server.count("device_keys")];
    const counts = before();
    const visitor = await env.server.registerVisitor();
    const visitorCounts = before();
    expectError(await dehydrate(visitor, "VISITORDEVICE"), 403, "M_FORBIDDEN");
    expectError(await dehydrate(env.companion, env.companion.deviceId), 400, "M_INVALID_PARAM");
    expectError(await dehydrate(env.companion, "OTHER", { device_keys: deviceKeys(env.companion.userId, "NOTOTHER", new SigningKey()) }), 400, "M_INVALID_PARAM");
    const forged = deviceKeys(env.companion.userId, "FORGED", new SigningKey());
    forged.keys = { ...(forged.keys as Record<string, string>), "ed25519:FORGED": new SigningKey().publicKey };
    expectError(await dehydrate(env.companion, "FORGED", { device_keys: forged }), 400, "M_INVALID_SIGNATURE");
    expectError(await dehydrate(env.companion, "NODATA", { device_data: "x" }), 400, "M_BAD_JSON");
    expectError(await dehydrate(env.companion, "bad id!"), 400, "M_INVALID_PARAM");
    expect(before()).toEqual(visitorCounts);
    expect(visitorCounts[1]).toBe(counts[1]);
    await dehydrate(env.companion, "DEHYDRATED3");
    expectError(await msc(env.companion, "GET", `${P}/DEHYDRATED3/events?from=abc`), 400, "M_INVALID_PARAM");
    expectError(await msc(env.bot, "GET", `${P}/DEHYDRATED3/events`), 403, "M_FORBIDDEN");
  });

  it("keeps at most MAX_PENDING_FROM_VISITOR messages from one visitor waiting for it; other senders still get through", async () => {
    await dehydrate(env.companion, "DEHYDRATED5");
    const visitor = await env.server.registerVisitor();
    const roomId = await env.server.createVisitorRoom(visitor, env.bot);
    expect((await env.server.call(env.bot, "POST", `/join/${encodeURIComponent(roomId)}`, {})).status).toBe(200);
    expect((await env.server.call(env.bot, "POST", `/rooms/${encodeURIComponent(roomId)}/invite`, { user_id: env.companion.userId })).status).toBe(200);
    expect((await env.server.call(env.companion, "POST", `/join/${encodeURIComponent(roomId)}`, {})).status).toBe(200);
    for (let i = 0; i <= MAX_PENDING_FROM_VISITOR; i++) {
      expect((await sendTo(visitor, `v${i}`, env.companion.userId, "DEHYDRATED5", { n: i })).status).toBe(200);
    }
    await sendTo(env.bot, "bot-after", env.companion.userId, "DEHYDRATED5", { n: "bot" });
    const pending = (from: string) => env.server.count(`to_device where device_id = 'DEHYDRATED5' and sender = '${from}'`);
    expect(pending(visitor.userId)).toBe(MAX_PENDING_FROM_VISITOR);
    expect(pending(env.bot.userId)).toBe(1);
  });

  it("goes with the account's other devices when the password changes", async () => {
    const login = await env.server.request("POST", "/_matrix/client/v3/login", {
      body: { type: "m.login.password", identifier: { type: "m.id.user", user: env.companion.userId }, password: PASSWORD },
    });
    const laptop: Account = { userId: login.body.user_id, deviceId: login.body.device_id, token: login.body.access_token };
    await dehydrate(laptop, "DEHYDRATED4");
    const change = await env.server.call(laptop, "POST", "/account/password", {
      new_password: "a new long password", auth: { type: "m.login.password", identifier: { type: "m.id.user", user: laptop.userId }, password: PASSWORD },
    });
    expect(change.status).toBe(200);
    expectError(await msc(laptop, "GET", P), 404, "M_NOT_FOUND");
  });
});
