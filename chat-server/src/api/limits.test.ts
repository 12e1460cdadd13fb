import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { expectError, TestServer } from "../../test/harness.ts";

/** Issue 10, item 4: limits a flood of fake visitors or a hostile client runs into, each a clear Matrix error that changes nothing. */
/** A private encrypted room, as the victim app creates one. */
const ROOM = { preset: "private_chat", initial_state: [{ type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } }] };

describe("limits", () => {
  let server: TestServer;
  beforeAll(async () => { server = await TestServer.start({ visitorMaxRooms: 2, maxSyncsPerUser: 3, visitorSendsPerMinute: 5 }); });
  afterAll(async () => { await server.close(); });

  it("lets a visitor start only so many conversations, and creates nothing past the limit", async () => {
    const visitor = await server.registerVisitor();
    for (let i = 0; i < 2; i++) expect((await server.request("POST", "/_matrix/client/v3/createRoom", { token: visitor.token, body: ROOM })).status).toBe(200);
    const rooms = server.count("rooms");
    const events = server.count("events");
    expectError(await server.request("POST", "/_matrix/client/v3/createRoom", { token: visitor.token, body: ROOM }), 429, "M_LIMIT_EXCEEDED");
    expect(server.count("rooms")).toBe(rooms);
    expect(server.count("events")).toBe(events);
    // Another visitor is not held back by the first.
    const other = await server.registerVisitor();
    expect((await server.request("POST", "/_matrix/client/v3/createRoom", { token: other.token, body: ROOM })).status).toBe(200);
  });

  it("holds an account's open long-polls to a few, telling the next when to try again; a returned one frees its place", async () => {
    const visitor = await server.registerVisitor();
    const since = (await server.request("GET", "/_matrix/client/v3/sync?timeout=0", { token: visitor.token })).body.next_batch;
    const waiting = Array.from({ length: 3 }, () => server.request("GET", `/_matrix/client/v3/sync?timeout=1500&since=${since}`, { token: visitor.token }));
    await new Promise((r) => setTimeout(r, 300));
    const refused = await server.request("GET", `/_matrix/client/v3/sync?timeout=1500&since=${since}`, { token: visitor.token });
    expectError(refused, 429, "M_LIMIT_EXCEEDED");
    expect(refused.body.retry_after_ms).toBeGreaterThan(0);
    // Someone else syncs as usual meanwhile.
    const other = await server.registerVisitor();
    expect((await server.request("GET", "/_matrix/client/v3/sync?timeout=0", { token: other.token })).status).toBe(200);
    for (const reply of await Promise.all(waiting)) expect(reply.status).toBe(200);
    expect((await server.request("GET", `/_matrix/client/v3/sync?timeout=0&since=${since}`, { token: visitor.token })).status).toBe(200);
  });

  it("holds a visitor's sends (messages, redactions, state) to a budget a minute, storing nothing past it; bots and other visitors go on", async () => {
    const bot = await server.createAccount("bot", BOT_LOCALPARTS.triage);
    const visitor = await server.registerVisitor();
    const roomId = await server.visitorRoomWithBot(visitor, bot);
    const send = (who: typeof visitor, txn: string) => server.call(who, "PUT", `/rooms/${roomId}/send/m.room.encrypted/${txn}`, { algorithm: "m.megolm.v1.aes-sha2", ciphertext: "AAAA" });
    const first = await send(visitor, "t0");
    expect(first.status).toBe(200);
    for (let i = 1; i < 4; i++) expect((await send(visitor, `t${i}`)).status).toBe(200);
    expect((await server.call(visitor, "PUT", `/rooms/${roomId}/redact/${first.body.event_id}/r0`, {})).status).toBe(200);
    const events = server.count("events");
    const refused = await send(visitor, "t5");
    expectError(refused, 429, "M_LIMIT_EXCEEDED");
    expect(refused.body.retry_after_ms).toBeGreaterThan(0);
    expect(refused.body.retry_after_ms).toBeLessThanOrEqual(60_000);
    expectError(await server.call(visitor, "PUT", `/rooms/${roomId}/state/m.room.topic/`, { topic: "x" }), 429, "M_LIMIT_EXCEEDED");
    expect(server.count("events")).toBe(events);
    // The bot in the same room is not limited, nor is another visitor.
    for (let i = 0; i < 8; i++) expect((await send(bot, `b${i}`)).status).toBe(200);
    const other = await server.registerVisitor();
    const otherRoom = await server.visitorRoomWithBot(other, bot);
    expect((await server.call(other, "PUT", `/rooms/${otherRoom}/send/m.room.encrypted/o1`, { algorithm: "m.megolm.v1.aes-sha2", ciphertext: "AAAA" })).status).toBe(200);
  });
});
