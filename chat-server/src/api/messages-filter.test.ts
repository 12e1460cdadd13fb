/**
 * `/messages` and `/context` apply the `filter` parameter's RoomEventFilter
 * (types, not_types, senders, not_senders with `*` in types, contains_url,
 * limit) in the query, so a filtered page is still a full page and its `end`
 * token pages on. Element's file panel asks exactly this way.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { type Account, ENCRYPTION, expectError } from "../../test/harness.ts";
import { serverWithAccounts } from "../../test/fixtures.ts";

const v3 = "/_matrix/client/v3";
const FILE_PANEL = { lazy_load_members: true, contains_url: true, types: ["m.room.message"] };

describe("RoomEventFilter on /messages and /context", () => {
  const env = serverWithAccounts({
    companion: ["companion", "jiwoo"],
    colleague: ["companion", "minji"],
    bot: ["bot", BOT_LOCALPARTS.triage],
  });
  let roomId: string;
  /** Event ids by name, in the order sent. */
  const sent: Record<string, string> = {};

  const send = async (a: Account, name: string, type: string, content: Record<string, unknown>) => {
    const reply = await env.server.call(a, "PUT", `/rooms/${roomId}/send/${type}/${name}`, content);
    expect(reply.status).toBe(200);
    sent[name] = reply.body.event_id;
  };
  const text = (a: Account, name: string) => send(a, name, "m.room.message", { msgtype: "m.text", body: name });
  const file = (a: Account, name: string) => send(a, name, "m.room.message", { msgtype: "m.file", body: name, url: `mxc://onsafe.test/${name}` });
  const messages = (a: Account, query: string, filter?: unknown) =>
    env.server.call(a, "GET", `/rooms/${roomId}/messages?${query}${filter ? `&filter=${encodeURIComponent(JSON.stringify(filter))}` : ""}`);
  const ids = (events: { event_id: string }[]) => events.map((e) => e.event_id);
  const named = (...names: string[]) => names.map((n) => sent[n]);

  beforeAll(async () => {
    roomId = (await env.server.call(env.companion, "POST", "/createRoom", { invite: [env.colleague.userId] })).body.room_id;
    expect((await env.server.call(env.colleague, "POST", `/join/${roomId}`, {})).status).toBe(200);
    await file(env.companion, "f1");
    await text(env.companion, "t1");
    await send(env.companion, "custom", "org.onsafe.test", { n: 1 });
    await file(env.colleague, "f2");
    await text(env.colleague, "t2");
    // A url that is not a string does not count as one (as Synapse computes contains_url).
    await send(env.companion, "badurl", "m.room.message", { msgtype: "m.file", body: "badurl", url: 7 });
    await text(env.companion, "t3");
    await file(env.companion, "f3");
    await text(env.colleague, "t4");
  });

  it("gives Element's file panel only the files, in full pages whose end token pages on", async () => {
    const first = await messages(env.companion, "dir=b&limit=2", FILE_PANEL);
    expect(first.status).toBe(200);
    expect(ids(first.body.chunk)).toEqual(named("f3", "f2"));
    expect(first.body.end).toMatch(/^s\d+_\d+$/);
    // Lazy loading still sends the senders' member events, in `state` (not in the chunk).
    expect(first.body.state.map((e: { state_key: string }) => e.state_key).sort()).toEqual([env.colleague.userId, env.companion.userId].sort());
    const second = await messages(env.companion, `dir=b&limit=2&from=${first.body.end}`, FILE_PANEL);
    expect(ids(second.body.chunk)).toEqual(named("f1"));
    expect(second.body.end).toBeUndefined();

    const forwards = await messages(env.companion, "dir=f&limit=2", FILE_PANEL);
    expect(ids(forwards.body.chunk)).toEqual(named("f1", "f2"));
    expect(ids((await messages(env.companion, `dir=f&limit=2&from=${forwards.body.end}`, FILE_PANEL)).body.chunk)).toEqual(named("f3"));

    const noUrl = await messages(env.companion, "dir=b&limit=4", { contains_url: false, types: ["m.room.message"] });
    expect(ids(noUrl.body.chunk)).toEqual(named("t4", "t3", "badurl", "t2"));
  });

  it("applies types and not_types with * wildcards, senders and not_senders, and the filter's limit", async () => {
    const types = (chunk: { type: string }[]) => [...new Set(chunk.map((e) => e.type))].sort();
    expect(types((await messages(env.companion, "dir=b&limit=50", { types: ["m.room.mem*"] })).body.chunk)).toEqual(["m.room.member"]);
    expect(types((await messages(env.companion, "dir=b&limit=50", { types: ["*"], not_types: ["m.room.*"] })).body.chunk)).toEqual(["org.onsafe.test"]);
    // not_types wins over types; an exact type has no wildcard: `m.room` is not `m.room.message`.
    expect((await messages(env.companion, "dir=b&limit=50", { types: ["m.room.message"], not_types: ["m.room.message"] })).body.chunk).toEqual([]);
    expect((await messages(env.companion, "dir=b&limit=50", { types: ["m.room"] })).body.chunk).toEqual([]);
    // Types are matched as they are spelt: case counts, and `?` is no wildcard.
    expect((await messages(env.companion, "dir=b&limit=50", { types: ["M.ROOM.*"] })).body.chunk).toEqual([]);
    expect((await messages(env.companion, "dir=b&limit=50", { types: ["m.room.messag?"] })).body.chunk).toEqual([]);
    // An empty list of types or senders lets nothing through (absent lets everything through).
    expect((await messages(env.companion, "dir=b&limit=50", { types: [] })).body.chunk).toEqual([]);

    const byColleague = await messages(env.companion, "dir=b&limit=2", { senders: [env.colleague.userId], types: ["m.room.message"] });
    expect(ids(byColleague.body.chunk)).toEqual(named("t4", "t2"));
    expect(ids((await messages(env.companion, `dir=b&limit=2&from=${byColleague.body.end}`, { senders: [env.colleague.userId], types: ["m.room.message"] })).body.chunk)).toEqual(named("f2"));
    const notColleague = await messages(env.companion, "dir=b&limit=3", { not_senders: [env.colleague.userId], types: ["m.room.message"] });
    expect(ids(notColleague.body.chunk)).toEqual(named("f3", "t3", "badurl"));

    // The filter's limit caps the query's.
    const capped = await messages(env.companion, "dir=b&limit=5", { limit: 1, types: ["m.room.message"] });
    expect(ids(capped.body.chunk)).toEqual(named("t4"));
    expect(capped.body.end).toMatch(/^s\d+_\d+$/);
  });

  it("filters the events around a /context event, always returning the event itself", async () => {
    const reply = await env.server.call(env.companion, "GET", `/rooms/${roomId}/context/${sent.t2}?limit=4&filter=${encodeURIComponent(JSON.stringify(FILE_PANEL))}`);
    expect(reply.status).toBe(200);
    expect(reply.body.event.event_id).toBe(sent.t2);
    expect(ids(reply.body.events_before)).toEqual(named("f2", "f1"));
    expect(ids(reply.body.events_after)).toEqual(named("f3"));
    // The tokens continue from the filtered events.
    const older = await messages(env.companion, `dir=b&limit=5&from=${reply.body.start}`, FILE_PANEL);
    expect(older.body.chunk).toEqual([]);
    const newer = await messages(env.companion, `dir=f&limit=5&from=${reply.body.end}`);
    expect(ids(newer.body.chunk)).toEqual(named("t4"));
  });

  it("refuses a filter whose fields have the wrong shape", async () => {
    expectError(await messages(env.companion, "dir=b", { types: "m.room.message" }), 400, "M_INVALID_PARAM");
    expectError(await messages(env.companion, "dir=b", { not_senders: [1] }), 400, "M_INVALID_PARAM");
    expectError(await messages(env.companion, "dir=b", { contains_url: "yes" }), 400, "M_INVALID_PARAM");
    expectError(await messages(env.companion, "dir=b", { limit: 0 }), 400, "M_INVALID_PARAM");
    expectError(await env.server.call(env.companion, "GET", `/rooms/${roomId}/context/${sent.t2}?filter=${encodeURIComponent('{"senders":{}}')}`), 400, "M_INVALID_PARAM");
  });

  it("in an encrypted room, never counts a ciphertext as containing a url: the url of an encrypted file is inside it", async () => {
    const visitor = await env.server.registerVisitor();
    const encrypted = await env.server.visitorRoomWithBot(visitor, env.bot, [ENCRYPTION]);
    const sentFile = (await env.server.call(visitor, "PUT", `/rooms/${encrypted}/send/m.room.encrypted/e1`, { algorithm: "m.megolm.v1.aes-sha2", ciphertext: "c" })).body.event_id;
    const get = (filter: unknown) => env.server.call(visitor, "GET", `/rooms/${encrypted}/messages?dir=b&limit=5&filter=${encodeURIComponent(JSON.stringify(filter))}`);
    expect((await get({ contains_url: true, types: ["m.room.encrypted"] })).body.chunk).toEqual([]);
    expect(ids((await get({ contains_url: false, types: ["m.room.encrypted"] })).body.chunk)).toEqual([sentFile]);
  });
});
