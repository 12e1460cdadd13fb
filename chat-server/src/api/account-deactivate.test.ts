import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { type Account, ENCRYPTION, expectError, TestServer } from "../../test/harness.ts";

/** Tables that hold something of one user, by the column naming them. */
const USER_ROWS: [table: string, column: string][] = [
  ["devices", "user_id"], ["access_tokens", "user_id"], ["device_keys", "user_id"], ["one_time_keys", "user_id"],
  ["cross_signing_keys", "user_id"], ["room_key_versions", "user_id"], ["room_keys", "user_id"], ["account_data", "user_id"],
  ["filters", "user_id"], ["receipts", "user_id"], ["media", "user_id"], ["key_signatures", "target_user_id"],
];

describe("account deactivation", () => {
  let server: TestServer;
  let bot: Account;
  beforeAll(async () => {
    server = await TestServer.start();
    bot = await server.createAccount("bot", BOT_LOCALPARTS.triage);
  });
  afterAll(async () => { await server.close(); });

  const call = (a: Account, method: string, path: string, body?: unknown) =>
    server.request(method, `/_matrix/client/v3${path}`, { token: a.token, body });
  const rowsOf = (userId: string) => Object.fromEntries(USER_ROWS.map(([table, column]) =>
    [table, (server.hs.store.sqlite.prepare(`select count(*) n from ${table} where ${column} = ?`).get(userId) as { n: number }).n]));
  const none = Object.fromEntries(USER_ROWS.map(([table]) => [table, 0]));

  /** A visitor who chatted with the bot and left keys, a backup, account data, a receipt and a file behind. */
  const activeVisitor = async (password?: string) => {
    const visitor = await server.registerVisitor(password);
    const roomId = (await call(visitor, "POST", "/createRoom", { invite: [bot.userId], initial_state: [ENCRYPTION] })).body.room_id;
    await call(bot, "POST", `/join/${roomId}`, {});
    const secret = `victim-ciphertext-${Math.random()}`;
    const sent = await call(visitor, "PUT", `/rooms/${roomId}/send/m.room.encrypted/t1`, { algorithm: "m.megolm.v1.aes-sha2", ciphertext: secret });
    await call(visitor, "POST", `/rooms/${roomId}/receipt/m.read/${sent.body.event_id}`, {});
    await call(visitor, "POST", "/keys/upload", { one_time_keys: { "signed_curve25519:AAAA": { key: "k", signatures: {} } } });
    await call(visitor, "POST", "/room_keys/version", { algorithm: "m.megolm_backup.v1.curve25519-aes-sha2", auth_data: { public_key: "pk" } });
    await call(visitor, "PUT", `/user/${encodeURIComponent(visitor.userId)}/account_data/org.onsafe.test`, { a: 1 });
    const upload = await server.request("POST", "/_matrix/media/v3/upload", { token: visitor.token, raw: "encrypted-file-bytes", headers: { "content-type": "application/octet-stream" } });
    expect(upload.status).toBe(200);
    return { visitor, roomId, secret, eventId: sent.body.event_id as string };
  };

  it("locks the account, leaves its rooms and erases what it left behind", async () => {
    const { visitor, roomId, secret, eventId } = await activeVisitor();
    expect(rowsOf(visitor.userId)).toMatchObject({ devices: 1, access_tokens: 1, one_time_keys: 1, room_key_versions: 1, account_data: 1, receipts: 1, media: 1 });
    const since = (await call(bot, "GET", "/sync")).body.next_batch;

    const ask = await call(visitor, "POST", "/account/deactivate", {});
    expect(ask.status).toBe(401);
    expect(ask.body.flows).toEqual([{ stages: ["m.login.dummy"] }]);
    const done = await call(visitor, "POST", "/account/deactivate", { auth: { type: "m.login.dummy", session: ask.body.session } });
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ id_server_unbind_result: "no-support" });

    expectError(await call(visitor, "GET", "/account/whoami"), 401, "M_UNKNOWN_TOKEN");
    expect(rowsOf(visitor.userId)).toEqual(none);
    expect(readdirSync(join(server.config.dataDir, "media"))).toEqual([]);
    // The bot sees the visitor leave, and the message is gone from the server, not only hidden.
    const sync = await call(bot, "GET", `/sync?since=${since}&timeout=5000`);
    expect(sync.body.rooms.join[roomId].timeline.events.at(-1)).toMatchObject({ type: "m.room.member", state_key: visitor.userId, content: { membership: "leave" } });
    expect((await call(bot, "GET", `/rooms/${roomId}/event/${eventId}`)).body.content).toEqual({});
    server.hs.store.sqlite.pragma("wal_checkpoint(TRUNCATE)");
    expect(readFileSync(join(server.config.dataDir, "homeserver.sqlite")).includes(Buffer.from(secret))).toBe(false);
    // The room and its state are still there for the bot.
    expect((await call(bot, "GET", `/rooms/${roomId}/state/m.room.encryption/`)).body.algorithm).toBe("m.megolm.v1.aes-sha2");
  });

  it("asks for the recovery password when there is one, refuses a wrong one and changes nothing; the id cannot log in again", async () => {
    const { visitor } = await activeVisitor("a-recovery-code-77");
    const before = rowsOf(visitor.userId);
    const eventsBefore = server.count("events");
    expectError(await call(visitor, "POST", "/account/deactivate", { erase: "yes", auth: { type: "m.login.password", password: "a-recovery-code-77" } }), 400, "M_BAD_JSON");
    const ask = await call(visitor, "POST", "/account/deactivate", { erase: true });
    expect(ask.body.flows).toEqual([{ stages: ["m.login.password"] }]);
    const wrong = await call(visitor, "POST", "/account/deactivate", { auth: { type: "m.login.password", session: ask.body.session, password: "guess" } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.errcode).toBe("M_FORBIDDEN");
    expect(await call(visitor, "POST", "/account/deactivate", { auth: { type: "m.login.dummy", session: ask.body.session } }).then((r) => r.status)).toBe(401);
    expect(rowsOf(visitor.userId)).toEqual(before);
    expect(server.count("events")).toBe(eventsBefore);

    const done = await call(visitor, "POST", "/account/deactivate", { auth: { type: "m.login.password", session: ask.body.session, password: "a-recovery-code-77" } });
    expect(done.status).toBe(200);
    expectError(await server.request("POST", "/_matrix/client/v3/login", {
      body: { type: "m.login.password", identifier: { type: "m.id.user", user: visitor.userId }, password: "a-recovery-code-77" },
    }), 403, "M_FORBIDDEN");
  });
});
