import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { type Account, ENCRYPTION, expectError, TestServer } from "../../test/harness.ts";

describe("redaction", () => {
  let server: TestServer;
  let bot: Account;
  beforeAll(async () => {
    server = await TestServer.start();
    bot = await server.createAccount("bot", BOT_LOCALPARTS.triage);
  });
  afterAll(async () => { await server.close(); });

  it("erases the ciphertext of a redacted message from the database and tells the other side", async () => {
    const visitor = await server.registerVisitor();
    const room = await server.request("POST", "/_matrix/client/v3/createRoom", { token: visitor.token, body: { invite: [bot.userId], initial_state: [ENCRYPTION] } });
    const roomId = room.body.room_id;
    await server.request("POST", `/_matrix/client/v3/join/${roomId}`, { token: bot.token, body: {} });
    const secret = `ciphertext-to-erase-${Date.now()}`;
    const sent = await server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/send/m.room.encrypted/m1`, { token: visitor.token, body: { ciphertext: secret } });
    const fromBot = await server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/send/m.room.encrypted/b1`, { token: bot.token, body: { ciphertext: "bot says" } });
    const since = (await server.request("GET", "/_matrix/client/v3/sync", { token: bot.token })).body.next_batch;

    expectError(await server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/redact/${sent.body.event_id}/r0`, { token: visitor.token, body: { reason: "my name was in it" } }), 403, "M_FORBIDDEN");
    const redacted = await server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/redact/${sent.body.event_id}/r1`, { token: visitor.token, body: {} });
    expect(redacted.status).toBe(200);

    const sync = await server.request("GET", `/_matrix/client/v3/sync?since=${since}&timeout=5000`, { token: bot.token });
    const redaction = sync.body.rooms.join[roomId].timeline.events[0];
    expect(redaction).toMatchObject({ type: "m.room.redaction", redacts: sent.body.event_id, content: { redacts: sent.body.event_id } });
    const event = await server.request("GET", `/_matrix/client/v3/rooms/${roomId}/event/${sent.body.event_id}`, { token: bot.token });
    expect(event.body.content).toEqual({});
    expect(event.body.unsigned.redacted_because.event_id).toBe(redacted.body.event_id);
    server.hs.store.sqlite.pragma("wal_checkpoint(TRUNCATE)");
    const bytes = readFileSync(join(server.config.dataDir, "homeserver.sqlite"));
    expect(bytes.includes(Buffer.from(secret))).toBe(false);

    // The bot (power level 0) may not redact the visitor's messages; the visitor (100) may redact the bot's.
    const another = await server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/send/m.room.encrypted/m2`, { token: visitor.token, body: { ciphertext: "x" } });
    expectError(await server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/redact/${another.body.event_id}/r2`, { token: bot.token, body: {} }), 403, "M_FORBIDDEN");
    expect((await server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/redact/${fromBot.body.event_id}/r3`, { token: visitor.token, body: {} })).status).toBe(200);
  });

  it("refuses unknown events, redactions through /send and foreign rooms", async () => {
    const visitor = await server.registerVisitor();
    const room = await server.request("POST", "/_matrix/client/v3/createRoom", { token: visitor.token, body: { initial_state: [ENCRYPTION] } });
    const roomId = room.body.room_id;
    const before = server.count("events");
    expectError(await server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/redact/$nope/r`, { token: visitor.token, body: {} }), 404, "M_NOT_FOUND");
    expectError(await server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/send/m.room.redaction/s`, { token: visitor.token, body: { redacts: "$x" } }), 403, "M_FORBIDDEN");
    const stranger = await server.registerVisitor();
    const created = (await server.request("GET", `/_matrix/client/v3/rooms/${roomId}/messages?dir=b&limit=1`, { token: visitor.token })).body.chunk[0];
    expectError(await server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/redact/${created.event_id}/r`, { token: stranger.token, body: {} }), 403, "M_FORBIDDEN");
    expect(server.count("events")).toBe(before);
  });
});
