import { describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { type Account, expectError } from "../../test/harness.ts";
import { serverWithAccounts } from "../../test/fixtures.ts";

const v3 = "/_matrix/client/v3";
const JSON_HEADERS = { "content-type": "application/json" };

describe("account data and filters", () => {
  const env = serverWithAccounts({
    triage: ["bot", BOT_LOCALPARTS.triage],
    companion: ["companion", "seoyeon"],
  });

  const global = (a: Account, type: string, userId = a.userId) => `${v3}/user/${encodeURIComponent(userId)}/account_data/${type}`;
  const inRoom = (a: Account, roomId: string, type: string, userId = a.userId) => `${v3}/user/${encodeURIComponent(userId)}/rooms/${encodeURIComponent(roomId)}/account_data/${type}`;
  const put = (a: Account, path: string, body: unknown) => env.server.request("PUT", path, { token: a.token, body });
  const get = (a: Account, path: string) => env.server.request("GET", path, { token: a.token });
  const counts = () => ({ accountData: env.server.count("account_data"), filters: env.server.count("filters") });
  /** Sync since `token` shows `account` no new account data, global or in `roomId`. */
  const expectNoAccountDataSince = async (account: Account, token: string, roomId: string) => {
    const after = await env.server.sync(account, `?since=${token}&timeout=0`);
    expect(after.body.account_data.events).toEqual([]);
    expect(after.body.rooms.join[roomId]).toBeUndefined();
  };

  it("stores global account data, replaces it, and syncs only the latest content", async () => {
    const visitor = await env.server.registerVisitor();
    const token = await env.server.nextBatch(visitor);
    expect(await put(visitor, global(visitor, "org.onsafe.settings"), { lang: "ko" })).toMatchObject({ status: 200, body: {} });
    expect(await put(visitor, global(visitor, "m.direct"), { [env.triage.userId]: ["!a:localhost"] })).toMatchObject({ status: 200 });
    expect((await put(visitor, global(visitor, "org.onsafe.settings"), { lang: "en", nested: { a: [1, 2] } })).status).toBe(200);
    expect((await get(visitor, global(visitor, "org.onsafe.settings"))).body).toEqual({ lang: "en", nested: { a: [1, 2] } });
    const next = await env.server.sync(visitor, `?since=${token}&timeout=5000`);
    expect(next.body.account_data.events).toEqual([
      { type: "m.direct", content: { [env.triage.userId]: ["!a:localhost"] } },
      { type: "org.onsafe.settings", content: { lang: "en", nested: { a: [1, 2] } } },
    ]);
    // An initial sync carries it all; a later one nothing more.
    expect((await env.server.sync(visitor)).body.account_data.events.map((e: any) => e.type).sort()).toEqual(["m.direct", "org.onsafe.settings"]);
    expect((await env.server.sync(visitor, `?since=${next.body.next_batch}&timeout=0`)).body.account_data.events).toEqual([]);
    // Nobody else sees it.
    expect((await env.server.sync(env.companion)).body.account_data.events.some((e: any) => e.type === "org.onsafe.settings")).toBe(false);
  });

  it("stores room account data apart from global data and syncs it in the room", async () => {
    const visitor = await env.server.registerVisitor();
    const roomId = await env.server.createVisitorRoom(visitor, env.triage);
    const token = await env.server.nextBatch(visitor);
    expect((await put(visitor, inRoom(visitor, roomId, "m.tag"), { tags: { "m.favourite": { order: 0.5 } } })).status).toBe(200);
    expect((await get(visitor, inRoom(visitor, roomId, "m.tag"))).body).toEqual({ tags: { "m.favourite": { order: 0.5 } } });
    expectError(await get(visitor, global(visitor, "m.tag")), 404, "M_NOT_FOUND");
    const next = await env.server.sync(visitor, `?since=${token}&timeout=5000`);
    expect(next.body.rooms.join[roomId].account_data.events).toEqual([{ type: "m.tag", content: { tags: { "m.favourite": { order: 0.5 } } } }]);
    expect(next.body.account_data.events).toEqual([]);
    // Invited, not yet joined: the bot may keep its own notes on the room.
    expect((await put(env.triage, inRoom(env.triage, roomId, "org.onsafe.triage"), { seen: true })).status).toBe(200);
    expect((await get(env.triage, inRoom(env.triage, roomId, "org.onsafe.triage"))).body).toEqual({ seen: true });
    expectError(await get(visitor, inRoom(visitor, roomId, "org.onsafe.triage")), 404, "M_NOT_FOUND");
  });

  it("refuses another user's account data and filters, changing nothing", async () => {
    const visitor = await env.server.registerVisitor();
    const roomId = await env.server.createVisitorRoom(visitor, env.triage);
    await put(visitor, global(visitor, "org.onsafe.secret"), { note: "mine" });
    const before = counts();
    const victimToken = await env.server.nextBatch(visitor);
    for (const other of [env.companion, env.triage]) {
      expectError(await put(other, global(other, "org.onsafe.secret", visitor.userId), { note: "overwritten" }), 403, "M_FORBIDDEN");
      expectError(await get(other, global(other, "org.onsafe.secret", visitor.userId)), 403, "M_FORBIDDEN");
      expectError(await put(other, inRoom(other, roomId, "m.tag", visitor.userId), { tags: {} }), 403, "M_FORBIDDEN");
      expectError(await get(other, inRoom(other, roomId, "m.tag", visitor.userId)), 403, "M_FORBIDDEN");
      expectError(await env.server.request("POST", `${v3}/user/${visitor.userId}/filter`, { token: other.token, body: {} }), 403, "M_FORBIDDEN");
      expectError(await get(other, `${v3}/user/${visitor.userId}/filter/0`), 403, "M_FORBIDDEN");
    }
    expect(counts()).toEqual(before);
    expect((await get(visitor, global(visitor, "org.onsafe.secret"))).body).toEqual({ note: "mine" });
    await expectNoAccountDataSince(visitor, victimToken, roomId);
  });

  it("refuses bodies that are not JSON objects and types that are too long, changing nothing", async () => {
    const visitor = await env.server.registerVisitor();
    const roomId = await env.server.createVisitorRoom(visitor, env.triage);
    const before = counts();
    const token = await env.server.nextBatch(visitor);
    for (const path of [global(visitor, "org.onsafe.x"), inRoom(visitor, roomId, "org.onsafe.x")]) {
      expectError(await env.server.request("PUT", path, { token: visitor.token, raw: "{", headers: JSON_HEADERS }), 400, "M_NOT_JSON");
      for (const raw of ["[]", "5", '"text"', "null", "true"]) {
        expectError(await env.server.request("PUT", path, { token: visitor.token, raw, headers: JSON_HEADERS }), 400, "M_BAD_JSON");
      }
      expectError(await env.server.requestOversized("PUT", path, 2_000_000, visitor.token), 413, "M_TOO_LARGE");
    }
    expectError(await put(visitor, global(visitor, "t".repeat(256)), {}), 400, "M_BAD_JSON");
    expectError(await put(visitor, inRoom(visitor, roomId, "t".repeat(256)), {}), 400, "M_BAD_JSON");
    for (const raw of ["[]", "{", "3"]) {
      const reply = await env.server.request("POST", `${v3}/user/${visitor.userId}/filter`, { token: visitor.token, raw, headers: JSON_HEADERS });
      expectError(reply, 400, raw === "{" ? "M_NOT_JSON" : "M_BAD_JSON");
    }
    expect(counts()).toEqual(before);
    await expectNoAccountDataSince(visitor, token, roomId);
  });

  it("refuses m.fully_read and m.push_rules, which the server manages (405 M_BAD_JSON)", async () => {
    const visitor = await env.server.registerVisitor();
    const roomId = await env.server.createVisitorRoom(visitor, env.triage);
    const before = counts();
    const token = await env.server.nextBatch(visitor);
    expectError(await put(visitor, inRoom(visitor, roomId, "m.fully_read"), { event_id: "$x" }), 405, "M_BAD_JSON");
    expectError(await put(visitor, global(visitor, "m.fully_read"), { event_id: "$x" }), 405, "M_BAD_JSON");
    expectError(await put(visitor, global(visitor, "m.push_rules"), { global: {} }), 405, "M_BAD_JSON");
    expectError(await put(visitor, inRoom(visitor, roomId, "m.push_rules"), {}), 405, "M_BAD_JSON");
    expect(counts()).toEqual(before);
    expectError(await get(visitor, inRoom(visitor, roomId, "m.fully_read")), 404, "M_NOT_FOUND");
    expect((await env.server.sync(visitor, `?since=${token}&timeout=0`)).body.rooms.join[roomId]).toBeUndefined();
  });

  it("refuses room account data for rooms one is not in, unknown rooms and invalid room IDs", async () => {
    const visitor = await env.server.registerVisitor();
    const stranger = await env.server.registerVisitor();
    const roomId = await env.server.createVisitorRoom(visitor, env.triage);
    const before = counts();
    expectError(await put(stranger, inRoom(stranger, roomId, "m.tag"), { tags: {} }), 403, "M_FORBIDDEN");
    expectError(await get(stranger, inRoom(stranger, roomId, "m.tag")), 403, "M_FORBIDDEN");
    expectError(await put(env.companion, inRoom(env.companion, roomId, "m.tag"), { tags: {} }), 403, "M_FORBIDDEN");
    expectError(await put(stranger, inRoom(stranger, "!unknown:localhost", "m.tag"), { tags: {} }), 404, "M_NOT_FOUND");
    expectError(await get(stranger, inRoom(stranger, "!unknown:localhost", "m.tag")), 404, "M_NOT_FOUND");
    // The spec answers an invalid room ID with 400 M_INVALID_PARAM.
    expectError(await put(stranger, inRoom(stranger, "not-a-room", "m.tag"), { tags: {} }), 400, "M_INVALID_PARAM");
    expectError(await get(stranger, inRoom(stranger, "not-a-room", "m.tag")), 400, "M_INVALID_PARAM");
    expect(counts()).toEqual(before);
  });

  it("stores filters per user and answers 404 for unknown filter ids", async () => {
    const visitor = await env.server.registerVisitor();
    const other = await env.server.registerVisitor();
    const filter = { room: { timeline: { limit: 7 }, state: { lazy_load_members: true } } };
    const first = await env.server.request("POST", `${v3}/user/${visitor.userId}/filter`, { token: visitor.token, body: filter });
    const second = await env.server.request("POST", `${v3}/user/${visitor.userId}/filter`, { token: visitor.token, body: { presence: { types: [] } } });
    expect(first.status).toBe(200);
    expect(second.body.filter_id).not.toBe(first.body.filter_id);
    expect((await get(visitor, `${v3}/user/${visitor.userId}/filter/${first.body.filter_id}`)).body).toEqual(filter);
    expect((await get(visitor, `${v3}/user/${visitor.userId}/filter/${second.body.filter_id}`)).body).toEqual({ presence: { types: [] } });
    // Uploading the same filter again (as clients do on every start) hands back the stored one.
    const filters = env.server.count("filters");
    const again = await env.server.request("POST", `${v3}/user/${visitor.userId}/filter`, { token: visitor.token, body: filter });
    expect(again.body.filter_id).toBe(first.body.filter_id);
    expect(env.server.count("filters")).toBe(filters);
    // Filter ids belong to their user: another user's id means nothing to me.
    expectError(await get(other, `${v3}/user/${other.userId}/filter/${first.body.filter_id}`), 404, "M_NOT_FOUND");
    for (const id of ["999", "abc", "-1", "1.5", "9".repeat(30)]) {
      expectError(await get(visitor, `${v3}/user/${visitor.userId}/filter/${id}`), 404, "M_NOT_FOUND");
    }
  });
});
