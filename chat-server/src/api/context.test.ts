import { beforeAll, describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { type Account, ENCRYPTION, expectError } from "../../test/harness.ts";
import { serverWithAccounts } from "../../test/fixtures.ts";

const JOINED_ONLY = { type: "m.room.history_visibility", state_key: "", content: { history_visibility: "joined" } };

describe("event context", () => {
  const env = serverWithAccounts({
    bot: ["bot", BOT_LOCALPARTS.triage],
    companion: ["companion", "jiwoo"],
  });
  let visitor: Account;
  let roomId: string;
  let sent: string[];
  beforeAll(async () => {
    visitor = await env.server.registerVisitor();
    roomId = await env.server.visitorRoomWithBot(visitor, env.bot, [ENCRYPTION, JOINED_ONLY]);
    sent = [];
    for (let i = 0; i < 7; i++) {
      sent.push((await env.server.call(visitor, "PUT", `/rooms/${roomId}/send/m.room.encrypted/c${i}`, { ciphertext: `m${i}` })).body.event_id);
    }
  });

  const ids = (events: { event_id: string }[]) => events.map((e) => e.event_id);

  it("returns the event with half the limit before (newest first) and half after, and tokens that paginate on", async () => {
    const reply = await env.server.call(env.bot, "GET", `/rooms/${roomId}/context/${sent[3]}?limit=4`);
    expect(reply.status).toBe(200);
    expect(reply.body.event.event_id).toBe(sent[3]);
    expect(ids(reply.body.events_before)).toEqual([sent[2], sent[1]]);
    expect(ids(reply.body.events_after)).toEqual([sent[4], sent[5]]);
    expect(reply.body.state.map((e: { type: string }) => e.type)).toContain("m.room.encryption");

    const older = await env.server.call(env.bot, "GET", `/rooms/${roomId}/messages?dir=b&limit=1&from=${reply.body.start}`);
    expect(ids(older.body.chunk)).toEqual([sent[0]]);
    const newer = await env.server.call(env.bot, "GET", `/rooms/${roomId}/messages?dir=f&limit=5&from=${reply.body.end}`);
    expect(ids(newer.body.chunk)).toEqual([sent[6]]);

    const lazy = await env.server.call(env.bot, "GET", `/rooms/${roomId}/context/${sent[6]}?limit=2&filter=${encodeURIComponent('{"lazy_load_members":true}')}`);
    expect(lazy.body.events_after).toEqual([]);
    expect(lazy.body.state.map((e: { state_key: string }) => e.state_key)).toEqual([visitor.userId]);
  });

  it("shows a late joiner nothing from before they joined, and strangers nothing at all", async () => {
    await env.server.call(env.bot, "POST", `/rooms/${roomId}/invite`, { user_id: env.companion.userId });
    await env.server.call(env.companion, "POST", `/join/${roomId}`, {});
    const later = (await env.server.call(visitor, "PUT", `/rooms/${roomId}/send/m.room.encrypted/late`, { ciphertext: "after" })).body.event_id;
    expectError(await env.server.call(env.companion, "GET", `/rooms/${roomId}/context/${sent[6]}`), 404, "M_NOT_FOUND");
    const own = await env.server.call(env.companion, "GET", `/rooms/${roomId}/context/${later}`);
    expect(own.status).toBe(200);
    expect(ids(own.body.events_before).every((id) => !sent.includes(id))).toBe(true);

    const stranger = await env.server.registerVisitor();
    expectError(await env.server.call(stranger, "GET", `/rooms/${roomId}/context/${sent[3]}`), 404, "M_NOT_FOUND");
  });

  it("answers malformed ids and parameters with Matrix errors", async () => {
    expectError(await env.server.call(env.bot, "GET", `/rooms/${roomId}/context/not-an-event`), 404, "M_NOT_FOUND");
    expectError(await env.server.call(env.bot, "GET", `/rooms/${roomId}/context/$missing`), 404, "M_NOT_FOUND");
    expectError(await env.server.call(env.bot, "GET", `/rooms/${roomId}/context/${sent[3]}?limit=-1`), 400, "M_INVALID_PARAM");
    expectError(await env.server.call(env.bot, "GET", `/rooms/${roomId}/context/${sent[3]}?filter=%7B`), 400, "M_INVALID_PARAM");
    expectError(await env.server.call(env.bot, "GET", `/rooms/!nope:localhost/context/${sent[3]}`), 404, "M_NOT_FOUND");
    expectError(await env.server.call(env.bot, "GET", `/rooms/x/context/${sent[3]}`), 404, "M_NOT_FOUND");
  });
});
