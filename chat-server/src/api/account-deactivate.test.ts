import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { expectError } from "../../test/harness.ts";
import { serverWithAccounts } from "../../test/fixtures.ts";

/** Tables that hold something of one user, by the column naming them. */
const USER_ROWS: [table: string, column: string][] = [
  ["devices", "user_id"], ["access_tokens", "user_id"], ["device_keys", "user_id"], ["one_time_keys", "user_id"],
  ["cross_signing_keys", "user_id"], ["room_key_versions", "user_id"], ["room_keys", "user_id"], ["account_data", "user_id"],
  ["filters", "user_id"], ["receipts", "user_id"], ["media", "user_id"], ["key_signatures", "target_user_id"],
];

describe("account deactivation", () => {
  const env = serverWithAccounts({ bot: ["bot", BOT_LOCALPARTS.triage] });

  const rowsOf = (userId: string) => Object.fromEntries(USER_ROWS.map(([table, column]) =>
    [table, (env.server.hs.store.sqlite.prepare(`select count(*) n from ${table} where ${column} = ?`).get(userId) as { n: number }).n]));
  const none = Object.fromEntries(USER_ROWS.map(([table]) => [table, 0]));

  /** A visitor who chatted with the bot and left keys, a backup, account data, a receipt and a file behind. */
  const activeVisitor = async (password?: string) => {
    const visitor = await env.server.registerVisitor(password);
    const roomId = await env.server.visitorRoomWithBot(visitor, env.bot);
    const secret = `victim-ciphertext-${Math.random()}`;
    const sent = await env.server.call(visitor, "PUT", `/rooms/${roomId}/send/m.room.encrypted/t1`, { algorithm: "m.megolm.v1.aes-sha2", ciphertext: secret });
    await env.server.call(visitor, "POST", `/rooms/${roomId}/receipt/m.read/${sent.body.event_id}`, {});
    await env.server.call(visitor, "POST", "/keys/upload", { one_time_keys: { "signed_curve25519:AAAA": { key: "k", signatures: {} } } });
    await env.server.call(visitor, "POST", "/room_keys/version", { algorithm: "m.megolm_backup.v1.curve25519-aes-sha2", auth_data: { public_key: "pk" } });
    await env.server.call(visitor, "PUT", `/user/${encodeURIComponent(visitor.userId)}/account_data/org.onsafe.test`, { a: 1 });
    const upload = await env.server.request("POST", "/_matrix/media/v3/upload", { token: visitor.token, raw: "encrypted-file-bytes", headers: { "content-type": "application/octet-stream" } });
    expect(upload.status).toBe(200);
    const answer = await env.server.call(env.bot, "PUT", `/rooms/${roomId}/send/m.room.encrypted/answer-${roomId}`, { algorithm: "m.megolm.v1.aes-sha2", ciphertext: `bot-answer-${secret}` });
    return { visitor, roomId, secret, eventId: sent.body.event_id as string, answerId: answer.body.event_id as string };
  };

  it("locks the account, leaves its rooms and erases what it left behind", async () => {
    const { visitor, roomId, secret, eventId, answerId } = await activeVisitor();
    expect(rowsOf(visitor.userId)).toMatchObject({ devices: 1, access_tokens: 1, one_time_keys: 1, room_key_versions: 1, account_data: 1, receipts: 1, media: 1 });
    const since = await env.server.nextBatch(env.bot);

    const ask = await env.server.call(visitor, "POST", "/account/deactivate", {});
    expect(ask.status).toBe(401);
    expect(ask.body.flows).toEqual([{ stages: ["m.login.dummy"] }]);
    const done = await env.server.call(visitor, "POST", "/account/deactivate", { auth: { type: "m.login.dummy", session: ask.body.session } });
    expect(done.status).toBe(200);
    expect(done.body).toEqual({ id_server_unbind_result: "no-support" });

    expectError(await env.server.call(visitor, "GET", "/account/whoami"), 401, "M_UNKNOWN_TOKEN");
    expect(rowsOf(visitor.userId)).toEqual(none);
    expect(readdirSync(join(env.server.config.dataDir, "media"))).toEqual([]);
    // The bot sees the visitor leave, and the message is gone from the server, not only hidden.
    const sync = await env.server.call(env.bot, "GET", `/sync?since=${since}&timeout=5000`);
    expect(sync.body.rooms.join[roomId].timeline.events.at(-1)).toMatchObject({ type: "m.room.member", state_key: visitor.userId, content: { membership: "leave" } });
    expect((await env.server.call(env.bot, "GET", `/rooms/${roomId}/event/${eventId}`)).body.content).toEqual({});
    // So is what the bot said to them: the whole conversation is erased once no visitor is in it.
    expect((await env.server.call(env.bot, "GET", `/rooms/${roomId}/event/${answerId}`)).body.content).toEqual({});
    const files = ["homeserver.sqlite", "homeserver.sqlite-wal"].map((f) => readFileSync(join(env.server.config.dataDir, f)));
    expect(files.some((bytes) => bytes.includes(Buffer.from(secret)))).toBe(false);
    // The room and its state are still there for the bot.
    expect((await env.server.call(env.bot, "GET", `/rooms/${roomId}/state/m.room.encryption/`)).body.algorithm).toBe("m.megolm.v1.aes-sha2");
  });

  it("asks for the recovery password when there is one, refuses a wrong one and changes nothing; the id cannot log in again", async () => {
    const { visitor } = await activeVisitor("a-recovery-code-77");
    const before = rowsOf(visitor.userId);
    const eventsBefore = env.server.count("events");
    expectError(await env.server.call(visitor, "POST", "/account/deactivate", { erase: "yes", auth: { type: "m.login.password", password: "a-recovery-code-77" } }), 400, "M_BAD_JSON");
    const ask = await env.server.call(visitor, "POST", "/account/deactivate", { erase: true });
    expect(ask.body.flows).toEqual([{ stages: ["m.login.password"] }]);
    const wrong = await env.server.call(visitor, "POST", "/account/deactivate", { auth: { type: "m.login.password", session: ask.body.session, password: "guess" } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.errcode).toBe("M_FORBIDDEN");
    expect(await env.server.call(visitor, "POST", "/account/deactivate", { auth: { type: "m.login.dummy", session: ask.body.session } }).then((r) => r.status)).toBe(401);
    expect(rowsOf(visitor.userId)).toEqual(before);
    expect(env.server.count("events")).toBe(eventsBefore);

    const done = await env.server.call(visitor, "POST", "/account/deactivate", { auth: { type: "m.login.password", session: ask.body.session, password: "a-recovery-code-77" } });
    expect(done.status).toBe(200);
    expectError(await env.server.request("POST", "/_matrix/client/v3/login", {
      body: { type: "m.login.password", identifier: { type: "m.id.user", user: visitor.userId }, password: "a-recovery-code-77" },
    }), 403, "M_FORBIDDEN");
  });

  it("erases a conversation the visitor left before deleting their account, as the victim app does, and not one another visitor is in", async () => {
    const { visitor, roomId, eventId, answerId } = await activeVisitor();
    const other = await activeVisitor();
    expect((await env.server.call(visitor, "POST", `/rooms/${roomId}/leave`, {})).status).toBe(200);
    // Leaving alone erases nothing: the account may come back with its recovery code.
    expect((await env.server.call(env.bot, "GET", `/rooms/${roomId}/event/${answerId}`)).body.content).not.toEqual({});
    const ask = await env.server.call(visitor, "POST", "/account/deactivate", {});
    expect((await env.server.call(visitor, "POST", "/account/deactivate", { auth: { type: "m.login.dummy", session: ask.body.session } })).status).toBe(200);
    for (const id of [eventId, answerId]) expect((await env.server.call(env.bot, "GET", `/rooms/${roomId}/event/${id}`)).body.content).toEqual({});
    expect((await env.server.call(env.bot, "GET", `/rooms/${other.roomId}/event/${other.answerId}`)).body.content).not.toEqual({});
    expect((await env.server.call(other.visitor, "GET", `/rooms/${other.roomId}/event/${other.eventId}`)).body.content).not.toEqual({});
  });
});
