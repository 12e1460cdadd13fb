import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statSync } from "node:fs";
import { join } from "node:path";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { ENCRYPTION, TestServer } from "./harness.ts";

describe("a second start on the same data", () => {
  let server: TestServer;
  beforeAll(async () => { server = await TestServer.start(); });
  afterAll(async () => { await server.close(); });

  it("keeps accounts, tokens, rooms and events, and continues the stream without reusing positions", async () => {
    const bot = await server.createAccount("bot", BOT_LOCALPARTS.triage);
    const visitor = await server.registerVisitor("recovery-code-5678");
    const room = await server.request("POST", "/_matrix/client/v3/createRoom", {
      token: visitor.token,
      body: { invite: [bot.userId], initial_state: [ENCRYPTION] },
    });
    const roomId = room.body.room_id;
    const first = await server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/send/m.room.encrypted/1`, { token: visitor.token, body: { ciphertext: "one" } });
    const before = await server.request("GET", "/_matrix/client/v3/sync", { token: visitor.token });

    await server.restart();

    expect((await server.request("GET", "/_matrix/client/v3/account/whoami", { token: visitor.token })).body.user_id).toBe(visitor.userId);
    const login = await server.request("POST", "/_matrix/client/v3/login", {
      body: { type: "m.login.password", identifier: { type: "m.id.user", user: visitor.userId }, password: "recovery-code-5678" },
    });
    expect(login.status).toBe(200);
    const again = await server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/send/m.room.encrypted/1`, { token: visitor.token, body: { ciphertext: "one" } });
    expect(again.body.event_id).toBe(first.body.event_id);
    await server.request("PUT", `/_matrix/client/v3/rooms/${roomId}/send/m.room.encrypted/2`, { token: visitor.token, body: { ciphertext: "two" } });
    const after = await server.request("GET", `/_matrix/client/v3/sync?since=${before.body.next_batch}`, { token: visitor.token });
    const events = after.body.rooms.join[roomId].timeline.events;
    expect(events.map((e: any) => e.content.ciphertext)).toEqual(["two"]);
    const positions = (server.hs.store.sqlite.prepare("select stream_pos from events order by stream_pos").all() as { stream_pos: number }[]).map((r) => r.stream_pos);
    expect(positions).toEqual(positions.map((_, i) => positions[0] + i));
  });

  it("creates the database and secrets owner-only", () => {
    expect(statSync(join(server.config.dataDir, "secrets.json")).mode & 0o077).toBe(0);
    for (const file of ["homeserver.sqlite", "homeserver.sqlite-wal"]) {
      expect(statSync(join(server.config.dataDir, file)).mode & 0o077).toBe(0);
    }
  });
});
