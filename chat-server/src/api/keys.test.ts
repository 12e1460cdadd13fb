import { describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { type Account, expectError, type Reply } from "../../test/harness.ts";
import { serverWithAccounts } from "../../test/fixtures.ts";
import { type Signed, SigningKey } from "../../test/signing-key.ts";

const deviceKeys = (a: Account, key: SigningKey) => key.sign({
  user_id: a.userId,
  device_id: a.deviceId,
  algorithms: ["m.olm.v1.curve25519-aes-sha2", "m.megolm.v1.aes-sha2"],
  keys: { [`curve25519:${a.deviceId}`]: "curvekey", [`ed25519:${a.deviceId}`]: key.publicKey },
}, a.userId, `ed25519:${a.deviceId}`);
const crossKey = (a: Account, usage: string, key: SigningKey): Signed => ({ user_id: a.userId, usage: [usage], keys: { [`ed25519:${key.publicKey}`]: key.publicKey } });
const otk = (n: number) => ({ key: `otk${n}`, signatures: {} });
const KEY_TABLES = ["device_keys", "one_time_keys", "fallback_keys", "cross_signing_keys", "key_signatures", "device_list_changes"];

describe("end-to-end encryption keys", () => {
  const env = serverWithAccounts({
    bot: ["bot", BOT_LOCALPARTS.triage],
    companion: ["companion", "haneul"],
  });

  const post = (a: Account, path: string, body: unknown) => env.server.call(a, "POST", path, body);
  const claimOne = async (by: Account, of: Account) =>
    (await post(by, "/keys/claim", { one_time_keys: { [of.userId]: { [of.deviceId]: "signed_curve25519" } } })).body.one_time_keys;
  const rows = () => KEY_TABLES.map((t) => env.server.count(t));
  /** Uploads device keys and a full set of cross-signing keys for `a`; returns the signing keys. */
  const setUpCrossSigning = async (a: Account) => {
    const [deviceKey, master, self, user] = [new SigningKey(), new SigningKey(), new SigningKey(), new SigningKey()];
    await post(a, "/keys/upload", { device_keys: deviceKeys(a, deviceKey) });
    await post(a, "/keys/device_signing/upload", {
      master_key: crossKey(a, "master", master),
      self_signing_key: master.sign(crossKey(a, "self_signing", self), a.userId),
      user_signing_key: master.sign(crossKey(a, "user_signing", user), a.userId),
    });
    return { deviceKey, master, self, user };
  };
  /** A visitor in an encrypted room with the triage bot (and the companion, if `withCompanion`). */
  const visitorInRoom = async (withCompanion = false) => {
    const visitor = await env.server.registerVisitor("visitor-password-1");
    const roomId = await env.server.visitorRoomWithBot(visitor, env.bot);
    if (withCompanion) await post(env.bot, `/rooms/${roomId}/invite`, { user_id: env.companion.userId });
    return visitor;
  };

  it("uploads device, one-time and fallback keys, counts them in sync and hands each one-time key out once, oldest upload first", async () => {
    const key = new SigningKey();
    const first = await post(env.companion, "/keys/upload", {
      device_keys: deviceKeys(env.companion, key),
      one_time_keys: { "signed_curve25519:BBBB": otk(1), "signed_curve25519:0000": otk(2) },
      fallback_keys: { "signed_curve25519:FFFF": { key: "fallback", fallback: true, signatures: {} } },
    });
    expect(first.body.one_time_key_counts).toEqual({ signed_curve25519: 2 });
    // A later upload whose key id sorts first is still handed out last.
    const second = await post(env.companion, "/keys/upload", { one_time_keys: { "signed_curve25519:AAAA": otk(3), "curve25519:CCCC": "plain" } });
    expect(second.body.one_time_key_counts).toEqual({ signed_curve25519: 3, curve25519: 1 });
    const sync = await env.server.request("GET", "/_matrix/client/v3/sync", { token: env.companion.token });
    expect(sync.body.device_one_time_keys_count).toEqual({ signed_curve25519: 3, curve25519: 1 });
    expect(sync.body.device_unused_fallback_key_types).toEqual(["signed_curve25519"]);

    const query = await post(env.bot, "/keys/query", { device_keys: { [env.companion.userId]: [] } });
    const { unsigned, ...stored } = query.body.device_keys[env.companion.userId][env.companion.deviceId];
    expect(stored).toEqual(deviceKeys(env.companion, key));
    expect(JSON.stringify(stored)).toBe(JSON.stringify(deviceKeys(env.companion, key)));
    expect(unsigned).toBeUndefined();

    const claimed = [];
    for (let i = 0; i < 5; i++) claimed.push(Object.keys((await claimOne(env.bot, env.companion))[env.companion.userId][env.companion.deviceId])[0]);
    expect(claimed.slice(0, 2).sort()).toEqual(["signed_curve25519:0000", "signed_curve25519:BBBB"]);
    expect(claimed.slice(2)).toEqual(["signed_curve25519:AAAA", "signed_curve25519:FFFF", "signed_curve25519:FFFF"]);
    const after = await env.server.request("GET", "/_matrix/client/v3/sync", { token: env.companion.token });
    expect(after.body.device_one_time_keys_count).toEqual({ signed_curve25519: 0, curve25519: 1 });
    expect(after.body.device_unused_fallback_key_types).toEqual([]);

    // Uploading the same fallback key again keeps it marked used; a new one is unused.
    const fallback = { key: "fallback", fallback: true, signatures: {} };
    await post(env.companion, "/keys/upload", { fallback_keys: { "signed_curve25519:FFFF": fallback } });
    expect((await env.server.request("GET", "/_matrix/client/v3/sync", { token: env.companion.token })).body.device_unused_fallback_key_types).toEqual([]);
    await post(env.companion, "/keys/upload", { fallback_keys: { "signed_curve25519:GGGG": { ...fallback, key: "new" } } });
    expect((await env.server.request("GET", "/_matrix/client/v3/sync", { token: env.companion.token })).body.device_unused_fallback_key_types).toEqual(["signed_curve25519"]);
  });

  it("refuses foreign, unsigned and malformed uploads without storing anything", async () => {
    const visitor = await env.server.registerVisitor();
    const key = new SigningKey();
    await post(visitor, "/keys/upload", { one_time_keys: { "signed_curve25519:AAAA": otk(1) } });
    const before = rows();
    const upload = (body: unknown) => post(visitor, "/keys/upload", body);
    expectError(await upload({ device_keys: { ...deviceKeys(visitor, key), device_id: "OTHER" } }), 400, "M_INVALID_PARAM");
    expectError(await upload({ device_keys: { ...deviceKeys(visitor, key), user_id: env.companion.userId } }), 400, "M_INVALID_PARAM");
    expectError(await upload({ device_keys: { ...deviceKeys(visitor, key), algorithms: ["m.megolm.v1.aes-sha2"] } }), 400, "M_INVALID_SIGNATURE");
    expectError(await upload({ device_keys: { ...deviceKeys(visitor, key), signatures: deviceKeys(visitor, new SigningKey()).signatures } }), 400, "M_INVALID_SIGNATURE");
    expectError(await upload({ device_keys: { ...deviceKeys(visitor, key), algorithms: "all" } }), 400, "M_BAD_JSON");
    expectError(await upload({ device_keys: "nope" }), 400, "M_BAD_JSON");
    expectError(await upload({ one_time_keys: { nocolon: otk(1) } }), 400, "M_BAD_JSON");
    expectError(await upload({ one_time_keys: { "signed_curve25519:X": 5 } }), 400, "M_BAD_JSON");
    expectError(await upload({ fallback_keys: { "signed_curve25519:F1": otk(1), "signed_curve25519:F2": otk(2) } }), 400, "M_INVALID_PARAM");
    // A known key id with other content fails the whole upload, the new key and device keys included.
    expectError(await upload({ device_keys: deviceKeys(visitor, key), one_time_keys: { "signed_curve25519:BBBB": otk(2), "signed_curve25519:AAAA": otk(9) } }), 400, "M_INVALID_PARAM");
    expectError(await env.server.request("POST", "/_matrix/client/v3/keys/upload", { token: visitor.token, raw: "{", headers: { "content-type": "application/json" } }), 400, "M_NOT_JSON");
    expect(rows()).toEqual(before);
    // The same key again is fine and changes nothing.
    expect((await upload({ one_time_keys: { "signed_curve25519:AAAA": otk(1) } })).body.one_time_key_counts).toEqual({ signed_curve25519: 1 });
  });

  it("validates queries and claims, and answers unknown users and devices with nothing", async () => {
    const visitor = await env.server.registerVisitor();
    expectError(await post(visitor, "/keys/query", {}), 400, "M_MISSING_PARAM");
    expectError(await post(visitor, "/keys/query", { device_keys: { [visitor.userId]: "all" } }), 400, "M_BAD_JSON");
    expectError(await post(visitor, "/keys/query", { device_keys: { [visitor.userId]: [1] } }), 400, "M_BAD_JSON");
    expectError(await post(visitor, "/keys/claim", {}), 400, "M_MISSING_PARAM");
    expectError(await post(visitor, "/keys/claim", { one_time_keys: { [visitor.userId]: [] } }), 400, "M_BAD_JSON");
    expectError(await post(visitor, "/keys/claim", { one_time_keys: { [visitor.userId]: { DEV: 1 } } }), 400, "M_BAD_JSON");
    const query = await post(env.companion, "/keys/query", { device_keys: { "@ghost:localhost": [], [env.companion.userId]: ["NOPE"] } });
    expect(query.status).toBe(200);
    expect(query.body.device_keys).toEqual({ "@ghost:localhost": {}, [env.companion.userId]: {} });
    expect(query.body.failures).toEqual({});
    const claim = await post(env.companion, "/keys/claim", { one_time_keys: { "@ghost:localhost": { X: "signed_curve25519" } } });
    expect(claim.body).toEqual({ one_time_keys: {}, failures: {} });
  });

  it("shows visitors the keys only of people they share a room with, and lets them claim only those", async () => {
    const other = await env.server.createAccount("companion", "dasom");
    await post(other, "/keys/upload", { device_keys: deviceKeys(other, new SigningKey()), one_time_keys: { "signed_curve25519:AAAA": otk(1) } });
    const stranger = await env.server.registerVisitor();
    const query = await post(stranger, "/keys/query", { device_keys: { [other.userId]: [], [stranger.userId]: [] } });
    expect(Object.keys(query.body.device_keys)).toEqual([stranger.userId]);
    expect(await claimOne(stranger, other)).toEqual({});
    expect(env.server.count("one_time_keys")).toBeGreaterThan(0);
    expect((await env.server.request("GET", "/_matrix/client/v3/sync", { token: other.token })).body.device_one_time_keys_count).toEqual({ signed_curve25519: 1 });

    const visitor = await visitorInRoom();
    await post(env.bot, "/keys/upload", { device_keys: deviceKeys(env.bot, new SigningKey()) });
    expect(Object.keys((await post(visitor, "/keys/query", { device_keys: { [env.bot.userId]: [] } })).body.device_keys[env.bot.userId])).toEqual([env.bot.deviceId]);
  });

  it("sets cross-signing up without re-authentication, then asks for it to replace the keys", async () => {
    const visitor = await env.server.registerVisitor("visitor-password-1");
    const [master, self, user] = [new SigningKey(), new SigningKey(), new SigningKey()];
    const masterKey = crossKey(visitor, "master", master);
    const selfKey = master.sign(crossKey(visitor, "self_signing", self), visitor.userId);
    const userKey = master.sign(crossKey(visitor, "user_signing", user), visitor.userId);
    const upload = (body: unknown) => post(visitor, "/keys/device_signing/upload", body);
    const before = rows();
    expectError(await upload({ self_signing_key: selfKey }), 400, "M_MISSING_PARAM");
    expectError(await upload({ master_key: masterKey, self_signing_key: new SigningKey().sign(crossKey(visitor, "self_signing", self), visitor.userId) }), 400, "M_INVALID_SIGNATURE");
    expectError(await upload({ master_key: { ...masterKey, user_id: env.companion.userId } }), 400, "M_INVALID_PARAM");
    expectError(await upload({ master_key: { ...masterKey, usage: ["self_signing"] } }), 400, "M_INVALID_PARAM");
    expectError(await upload({ master_key: { ...masterKey, keys: { "ed25519:other": master.publicKey } } }), 400, "M_INVALID_PARAM");
    expectError(await upload({ master_key: "key" }), 400, "M_BAD_JSON");
    expectError(await upload({ master_key: { ...masterKey, keys: { [`ed25519:${visitor.deviceId}`]: visitor.deviceId } } }), 403, "M_FORBIDDEN");
    expect(rows()).toEqual(before);

    expect((await upload({ master_key: masterKey, self_signing_key: selfKey, user_signing_key: userKey })).status).toBe(200);
    const own = (await post(visitor, "/keys/query", { device_keys: { [visitor.userId]: [] } })).body;
    expect(own.master_keys[visitor.userId]).toEqual(masterKey);
    expect(own.self_signing_keys[visitor.userId]).toEqual(selfKey);
    expect(own.user_signing_keys[visitor.userId]).toEqual(userKey);

    const newMaster = new SigningKey();
    const again = await upload({ master_key: crossKey(visitor, "master", newMaster) });
    expect(again.status).toBe(401);
    expect(again.body.flows).toEqual([{ stages: ["m.login.password"] }]);
    const password = (pw: string, session?: string) => ({ type: "m.login.password", session, identifier: { type: "m.id.user", user: visitor.userId }, password: pw });
    expect((await upload({ master_key: crossKey(visitor, "master", newMaster), auth: password("wrong-password") })).status).toBe(401);
    expect((await post(visitor, "/keys/query", { device_keys: { [visitor.userId]: [] } })).body.master_keys[visitor.userId]).toEqual(masterKey);
    expect((await upload({ master_key: crossKey(visitor, "master", newMaster), auth: password("visitor-password-1", again.body.session) })).status).toBe(200);
    expect((await post(visitor, "/keys/query", { device_keys: { [visitor.userId]: [] } })).body.master_keys[visitor.userId].keys)
      .toEqual({ [`ed25519:${newMaster.publicKey}`]: newMaster.publicKey });
  });

  it("stores checked cross-signing signatures, shows them in queries, and reports the rest as failures", async () => {
    const visitor = await visitorInRoom(true);
    const { deviceKey, master, self, user } = await setUpCrossSigning(visitor);
    const botMaster = new SigningKey();
    await post(env.bot, "/keys/device_signing/upload", { master_key: crossKey(env.bot, "master", botMaster) });
    const signatures = () => rows()[4];
    const before = signatures();

    expectError(await post(visitor, "/keys/signatures/upload", { [visitor.userId]: { [visitor.deviceId]: "signed" } }), 400, "M_BAD_JSON");
    expectError(await post(visitor, "/keys/signatures/upload", { [visitor.userId]: [] }), 400, "M_BAD_JSON");
    const reply = await post(visitor, "/keys/signatures/upload", {
      [visitor.userId]: {
        [visitor.deviceId]: self.sign(deviceKeys(visitor, deviceKey), visitor.userId),
        [master.publicKey]: deviceKey.sign(crossKey(visitor, "master", master), visitor.userId, `ed25519:${visitor.deviceId}`),
        UNKNOWN: { signatures: { [visitor.userId]: { [`ed25519:${self.publicKey}`]: "x" } } },
      },
      [env.bot.userId]: { [botMaster.publicKey]: user.sign(crossKey(env.bot, "master", botMaster), visitor.userId) },
      [env.companion.userId]: { [botMaster.publicKey]: user.sign(crossKey(env.bot, "master", botMaster), visitor.userId) },
    });
    expect(reply.body.failures).toEqual({
      [visitor.userId]: { UNKNOWN: { errcode: "M_NOT_FOUND", error: expect.any(String) } },
      [env.companion.userId]: { [botMaster.publicKey]: { errcode: "M_NOT_FOUND", error: expect.any(String) } },
    });
    expect(signatures()).toBe(before + 3);

    // A signature over something other than the stored key is refused.
    const forged = await post(visitor, "/keys/signatures/upload", {
      [visitor.userId]: { [visitor.deviceId]: self.sign({ ...deviceKeys(visitor, deviceKey), algorithms: [] }, visitor.userId) },
    });
    expect(forged.body.failures[visitor.userId][visitor.deviceId].errcode).toBe("M_INVALID_SIGNATURE");
    expect(signatures()).toBe(before + 3);

    const mine = (await post(visitor, "/keys/query", { device_keys: { [visitor.userId]: [], [env.bot.userId]: [] } })).body;
    expect(Object.keys(mine.device_keys[visitor.userId][visitor.deviceId].signatures[visitor.userId]).sort())
      .toEqual([`ed25519:${self.publicKey}`, `ed25519:${visitor.deviceId}`].sort());
    expect(Object.keys(mine.master_keys[visitor.userId].signatures[visitor.userId])).toEqual([`ed25519:${visitor.deviceId}`]);
    expect(mine.master_keys[env.bot.userId].signatures[visitor.userId]).toEqual({ [`ed25519:${user.publicKey}`]: expect.any(String) });
    // Who verified whom is shown only to the signer; nobody else sees a user-signing key.
    const theirs = (await post(env.companion, "/keys/query", { device_keys: { [visitor.userId]: [], [env.bot.userId]: [] } })).body;
    expect(theirs.master_keys[env.bot.userId].signatures).toBeUndefined();
    expect(theirs.user_signing_keys).toEqual({});
    expect(theirs.self_signing_keys[visitor.userId].usage).toEqual(["self_signing"]);
  });

  it("tells only the signer that they verified someone, and forgets a deleted device's signatures", async () => {
    // Visitor, bot and companion all joined to one room: each sees the others' device changes.
    const visitor = await env.server.registerVisitor();
    const room = await env.server.visitorRoomWithBot(visitor, env.bot);
    await post(env.bot, `/rooms/${room}/invite`, { user_id: env.companion.userId });
    await post(env.companion, `/join/${room}`, {});
    const { deviceKey, master, self, user } = await setUpCrossSigning(visitor);
    // The bot's master key, uploaded by an earlier test if not by this one.
    await post(env.bot, "/keys/device_signing/upload", { master_key: crossKey(env.bot, "master", new SigningKey()) });
    const botMaster = (await post(visitor, "/keys/query", { device_keys: { [env.bot.userId]: [] } })).body.master_keys[env.bot.userId];
    const botMasterKey = Object.values(botMaster.keys as Record<string, string>)[0];
    const [visitorSince, companionSince] = [await env.server.nextBatch(visitor), await env.server.nextBatch(env.companion)];

    const signed = await post(visitor, "/keys/signatures/upload", {
      [env.bot.userId]: { [botMasterKey]: user.sign({ user_id: env.bot.userId, usage: ["master"], keys: botMaster.keys }, visitor.userId) },
    });
    expect(signed.body.failures).toEqual({});
    const forSigner = await env.server.request("GET", `/_matrix/client/v3/sync?since=${visitorSince}&timeout=5000`, { token: visitor.token });
    expect(forSigner.body.device_lists.changed).toEqual([env.bot.userId]);
    const companionNow = await env.server.nextBatch(env.companion);
    const changes = await env.server.request("GET", `/_matrix/client/v3/keys/changes?from=${companionSince}&to=${companionNow}`, { token: env.companion.token });
    expect(changes.body.changed).not.toContain(env.bot.userId);

    // The visitor's device signs their master key and is signed by the self-signing key; deleting it takes both.
    await post(visitor, "/keys/signatures/upload", {
      [visitor.userId]: {
        [visitor.deviceId]: self.sign(deviceKeys(visitor, deviceKey), visitor.userId),
        [master.publicKey]: deviceKey.sign(crossKey(visitor, "master", master), visitor.userId, `ed25519:${visitor.deviceId}`),
      },
    });
    const ofVisitorDevice = () => (env.server.hs.store.sqlite.prepare("select count(*) n from key_signatures where target_key_id = ? or signer_key_id = ?")
      .get(visitor.deviceId, `ed25519:${visitor.deviceId}`) as { n: number }).n;
    expect(ofVisitorDevice()).toBe(2);
    expect((await env.server.request("POST", "/_matrix/client/v3/logout", { token: visitor.token })).status).toBe(200);
    expect(ofVisitorDevice()).toBe(0);
  });

  it("reports device-list changes in sync and /keys/changes to people sharing a room, and validates the tokens", async () => {
    const visitor = await visitorInRoom();
    const since = await env.server.nextBatch(env.bot);
    const key = new SigningKey();
    await post(visitor, "/keys/upload", { device_keys: deviceKeys(visitor, key) });
    const sync = await env.server.request("GET", `/_matrix/client/v3/sync?since=${since}&timeout=5000`, { token: env.bot.token });
    expect(sync.body.device_lists.changed).toContain(visitor.userId);
    const changes = await env.server.request("GET", `/_matrix/client/v3/keys/changes?from=${since}&to=${sync.body.next_batch}`, { token: env.bot.token });
    expect(changes.status).toBe(200);
    expect(changes.body.changed).toContain(visitor.userId);
    expect(changes.body.left).toEqual([]);
    // Uploading the same device keys again is no change.
    const changesBefore = env.server.count("device_list_changes");
    await post(visitor, "/keys/upload", { device_keys: deviceKeys(visitor, key) });
    expect(env.server.count("device_list_changes")).toBe(changesBefore);

    const changesFor = (query: string): Promise<Reply> => env.server.request("GET", `/_matrix/client/v3/keys/changes${query}`, { token: env.bot.token });
    expectError(await changesFor("?from=x&to=y"), 400, "M_INVALID_PARAM");
    expectError(await changesFor(`?from=${since}&to=s1`), 400, "M_INVALID_PARAM");
    expectError(await changesFor(`?from=${since}`), 400, "M_MISSING_PARAM");
    expectError(await changesFor(""), 400, "M_MISSING_PARAM");
  });
});
