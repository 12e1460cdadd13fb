/**
 * What the fuzzer (test-support/fuzz/) found, kept as regressions: each was a
 * 200 to a request that had to be refused.
 */
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, expectError, TestServer } from "./harness.ts";

const v3 = "/_matrix/client/v3";

describe("requests the fuzzer found accepted", () => {
  let server: TestServer;
  let owner: Account;
  let stranger: Account;
  let roomId: string;

  beforeAll(async () => {
    server = await TestServer.start({ visitorRegistrationsPerWindow: 100 });
    owner = await server.registerVisitor();
    stranger = await server.registerVisitor();
    roomId = await server.createVisitorRoom(owner, await server.createAccount("bot", BOT_LOCALPARTS.triage));
  });
  afterAll(async () => { await server.close(); });

  it("refuses filters with fields of the wrong type, storing nothing", async () => {
    const path = `${v3}/user/${encodeURIComponent(owner.userId)}/filter`;
    for (const filter of [{ room: 5 }, { room: { timeline: [] } }, { room: { rooms: "x" } }, { room: { timeline: { limit: "7" } } }, { presence: true }, { event_fields: [1] }, { event_format: "xml" }, { room: { state: { lazy_load_members: "yes" } } }]) {
      expectError(await server.request("POST", path, { token: owner.token, body: filter }), 400, "M_BAD_JSON");
    }
    expect(server.count("filters")).toBe(0);
    const valid = await server.request("POST", path, { token: owner.token, body: { room: { timeline: { limit: 7, not_types: ["m.room.member"] }, state: { lazy_load_members: true } }, event_format: "client" } });
    expect(valid.status).toBe(200);
  });

  it("refuses read markers from someone outside the room, even with no marker in the body", async () => {
    expectError(await server.request("POST", `${v3}/rooms/${encodeURIComponent(roomId)}/read_markers`, { token: stranger.token, body: {} }), 403, "M_FORBIDDEN");
    expect((await server.request("POST", `${v3}/rooms/${encodeURIComponent(roomId)}/read_markers`, { token: owner.token, body: {} })).status).toBe(200);
  });

  it("refuses a body that is not UTF-8 instead of reading it with replacement characters", async () => {
    const before = server.count("account_data");
    const raw = Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]);
    const reply = await server.request("PUT", `${v3}/user/${encodeURIComponent(owner.userId)}/account_data/m.fuzz`, { token: owner.token, raw, headers: { "content-type": "application/json" } });
    expectError(reply, 400, "M_NOT_JSON");
    expect(server.count("account_data")).toBe(before);
  });
});
