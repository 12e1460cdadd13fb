import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, TestServer } from "../../test/harness.ts";

/** Issue 10, item 4: limits a flood of fake visitors or a hostile client runs into, each a clear Matrix error that changes nothing. */
/** A private encrypted room, as the victim app creates one. */
const ROOM = { preset: "private_chat", initial_state: [{ type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } }] };

describe("limits", () => {
  let server: TestServer;
  beforeAll(async () => { server = await TestServer.start({ visitorMaxRooms: 2, maxSyncsPerUser: 3 }); });
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
});
