import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { type Account, expectError } from "../../test/harness.ts";
import { serverWithAccounts } from "../../test/fixtures.ts";
import { configFromEnv } from "../config.ts";
import { dayOf } from "./visitor-activity.ts";

/**
 * Issue 10, item 6: visitor accounts nobody has used for the retention period
 * (90 days here, the default) are deleted with their conversations: the
 * visitor's and the bot's words, the room keys backed up for the room, its
 * receipts, the visitor's devices and files. Real homeserver over HTTP; only
 * the day a visitor was last seen is set in the database, as time passing
 * would set it.
 */
describe("retention of idle visitor accounts", () => {
  const env = serverWithAccounts({ bot: ["bot", BOT_LOCALPARTS.triage] });
  const today = dayOf(Date.now());

  const sql = (text: string) => env.server.hs.store.sqlite.prepare(text);
  const activeDay = (userId: string) => (sql("select active_day d from users where user_id = ?").get(userId) as { d: number | null }).d;
  const setActiveDay = (userId: string, day: number) => sql("update users set active_day = ? where user_id = ?").run(day, userId);
  const count = (table: string, column: string, value: string) => (sql(`select count(*) n from ${table} where ${column} = ?`).get(value) as { n: number }).n;

  /** A visitor's conversation with the bot: words both ways, a receipt, a file, and a room key the bot backed up. */
  const conversation = async () => {
    const visitor = await env.server.registerVisitor();
    const roomId = await env.server.visitorRoomWithBot(visitor, env.bot);
    const words = { victim: `victim-words-${Math.random()}`, bot: `bot-words-${Math.random()}` };
    const send = (who: Account, text: string, txnId: string) => env.server.call(who, "PUT", `/rooms/${roomId}/send/m.room.encrypted/${txnId}`, { algorithm: "m.megolm.v1.aes-sha2", ciphertext: text });
    const victimEvent = (await send(visitor, words.victim, "v1")).body.event_id as string;
    const botEvent = (await send(env.bot, words.bot, `b-${roomId}`)).body.event_id as string;
    await env.server.call(visitor, "POST", `/rooms/${roomId}/receipt/m.read/${botEvent}`, {});
    const upload = await env.server.request("POST", "/_matrix/media/v3/upload", { token: visitor.token, raw: "encrypted-evidence", headers: { "content-type": "application/octet-stream" } });
    expect(upload.status).toBe(200);
    return { visitor, roomId, words, victimEvent, botEvent };
  };

  it("deletes a visitor unused for longer than the period with their conversation, keeps one at the limit, and a request counts as use", async () => {
    const backup = await env.server.call(env.bot, "POST", "/room_keys/version", { algorithm: "m.megolm_backup.v1.curve25519-aes-sha2", auth_data: { public_key: "pk" } });
    const idle = await conversation();
    const atLimit = await conversation();
    const back = await conversation();
    // Long away, then back today with their recovery code: a new process has not seen them yet today.
    const returning = await env.server.registerVisitor();
    for (const c of [idle, atLimit]) {
      const reply = await env.server.call(env.bot, "PUT", `/room_keys/keys/${c.roomId}/session-1?version=${backup.body.version}`,
        { first_message_index: 0, forwarded_count: 0, is_verified: false, session_data: { ciphertext: "key" } });
      expect(reply.status).toBe(200);
    }
    setActiveDay(idle.visitor.userId, today - 91);
    setActiveDay(atLimit.visitor.userId, today - 90);
    // Their first request of the day notes it.
    setActiveDay(returning.userId, today - 200);
    expect((await env.server.call(returning, "GET", "/account/whoami")).status).toBe(200);
    await expect.poll(() => activeDay(returning.userId)).toBe(today);
    const since = await env.server.nextBatch(env.bot);

    expect(await env.server.hs.retention.sweep()).toBe(1);

    expectError(await env.server.call(idle.visitor, "GET", "/account/whoami"), 401, "M_UNKNOWN_TOKEN");
    for (const table of ["devices", "access_tokens", "media"]) expect(count(table, "user_id", idle.visitor.userId)).toBe(0);
    expect(readdirSync(join(env.server.config.dataDir, "media"))).toHaveLength(2);
    // The whole conversation is erased, the bot's words too; the room stays for the bot, emptied.
    for (const eventId of [idle.victimEvent, idle.botEvent]) {
      expect((await env.server.call(env.bot, "GET", `/rooms/${idle.roomId}/event/${eventId}`)).body.content).toEqual({});
    }
    expect(count("room_keys", "room_id", idle.roomId)).toBe(0);
    expect(count("receipts", "room_id", idle.roomId)).toBe(0);
    const sync = await env.server.call(env.bot, "GET", `/sync?since=${since}&timeout=5000`);
    expect(sync.body.rooms.join[idle.roomId].timeline.events.at(-1)).toMatchObject({ type: "m.room.member", state_key: idle.visitor.userId, content: { membership: "leave" } });
    const files = readdirSync(env.server.config.dataDir).filter((f) => f.startsWith("homeserver.sqlite")).map((f) => readFileSync(join(env.server.config.dataDir, f)));
    for (const words of Object.values(idle.words)) expect(files.some((bytes) => bytes.includes(Buffer.from(words)))).toBe(false);

    // The others keep everything.
    for (const kept of [atLimit, back]) {
      expect((await env.server.call(kept.visitor, "GET", "/account/whoami")).status).toBe(200);
      expect((await env.server.call(kept.visitor, "GET", `/rooms/${kept.roomId}/event/${kept.botEvent}`)).body.content.ciphertext).toBe(kept.words.bot);
      expect((await env.server.call(env.bot, "GET", `/rooms/${kept.roomId}/event/${kept.victimEvent}`)).body.content.ciphertext).toBe(kept.words.victim);
    }
    expect((await env.server.call(returning, "GET", "/account/whoami")).status).toBe(200);
    expect(count("room_keys", "room_id", atLimit.roomId)).toBe(1);
    // Nothing left to do the second time.
    expect(await env.server.hs.retention.sweep()).toBe(0);
  });

  it("does not track or expire staff and bots, however long unused", async () => {
    const companion = await env.server.createAccount("companion", "retention-sora");
    expect(activeDay(companion.userId)).toBeNull();
    expect((await env.server.call(companion, "GET", "/account/whoami")).status).toBe(200);
    expect(activeDay(companion.userId)).toBeNull();
    const visitors = (sql("select count(*) n from users where kind = 'visitor' and deactivated = 0").get() as { n: number }).n;
    expect(await env.server.hs.retention.sweep(Date.now() + 1000 * 86_400_000)).toBe(visitors);
    expect((await env.server.call(companion, "GET", "/account/whoami")).status).toBe(200);
    expect((await env.server.call(env.bot, "GET", "/account/whoami")).status).toBe(200);
  });

  it("keeps visitors 90 days unless set, and refuses a period under a day rather than delete everyone at once", () => {
    expect(configFromEnv({}).visitorRetentionDays).toBe(90);
    expect(configFromEnv({ ONSAFE_VISITOR_RETENTION_DAYS: "1" }).visitorRetentionDays).toBe(1);
    for (const value of ["0", "-3", "ninety"]) {
      expect(() => configFromEnv({ ONSAFE_VISITOR_RETENTION_DAYS: value })).toThrow(/ONSAFE_VISITOR_RETENTION_DAYS/);
    }
  });
});
