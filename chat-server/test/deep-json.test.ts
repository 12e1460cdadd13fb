/**
 * JSON nested thousands of levels deep, on the real homeserver over HTTP: a
 * visitor's `PUT send` answered 500 (RangeError: Maximum call stack size
 * exceeded, in code that walks content). Every body is read through
 * `@onsafe/matrix-basics`'s parseJsonObject, which refuses more than 64 levels
 * before parsing; a `filter` query parameter gets the same limit. Refused
 * means 400 M_BAD_JSON and nothing written. (The ops API's side is in
 * bots/test/ops-api.test.ts.)
 */
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, expectError, TestServer } from "./harness.ts";

/** An object whose one field holds `depth` arrays inside each other. */
const deepBody = (depth: number) => '{"a":' + "[".repeat(depth) + "]".repeat(depth) + "}";
const DEEP = deepBody(5_000);

describe("a JSON body nested 5,000 levels deep", () => {
  let server: TestServer;
  let visitor: Account;
  let roomId: string;
  const tables = ["events", "device_keys", "one_time_keys", "filters", "account_data", "to_device", "room_keys"];
  const counts = () => Object.fromEntries(tables.map((t) => [t, server.count(t)]));

  beforeAll(async () => {
    server = await TestServer.start();
    visitor = await server.registerVisitor();
    roomId = await server.visitorRoomWithBot(visitor, await server.createAccount("bot", BOT_LOCALPARTS.triage));
  });
  afterAll(async () => { await server.close(); });

  it("is 400 M_BAD_JSON on PUT send, keys upload, filter upload, account data, to-device and key backup, and writes nothing", async () => {
    const before = counts();
    const user = encodeURIComponent(visitor.userId);
    const version = (await server.call(visitor, "POST", "/room_keys/version", { algorithm: "m.megolm_backup.v1.curve25519-aes-sha2", auth_data: { public_key: "x" } })).body.version;
    const routes: [string, string][] = [
      ["PUT", `/rooms/${encodeURIComponent(roomId)}/send/m.room.encrypted/deep-1`],
      ["POST", "/keys/upload"],
      ["POST", `/user/${user}/filter`],
      ["PUT", `/user/${user}/account_data/org.onsafe.deep`],
      ["PUT", `/rooms/${encodeURIComponent(roomId)}/state/org.onsafe.deep/`],
      ["PUT", "/sendToDevice/m.room_key_request/deep-2"],
      ["PUT", `/room_keys/keys?version=${version}`],
    ];
    const answers: string[] = [];
    for (const [method, path] of routes) {
      const reply = await server.request(method, `/_matrix/client/v3${path}`, { token: visitor.token, raw: DEEP, headers: { "content-type": "application/json" } });
      answers.push(`${method} ${path.split("?")[0]} -> ${reply.status} ${reply.body?.errcode}`);
    }
    expect(answers).toEqual(routes.map(([method, path]) => `${method} ${path.split("?")[0]} -> 400 M_BAD_JSON`));
    expect(counts()).toEqual(before);
    // The same body 64 levels deep is read (and refused or taken for what it says, not for its depth).
    const sent = await server.request("PUT", `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.encrypted/deep-3`, { token: visitor.token, raw: deepBody(63), headers: { "content-type": "application/json" } });
    expect(sent.status).toBe(200);
  });

  it("is 400 M_BAD_JSON as a filter in the query of /sync, /messages and /context", async () => {
    // 1,000 levels: a URL of 5,000 would pass Node's 16 KB header limit (431 before any route).
    const filter = encodeURIComponent(deepBody(1_000));
    const eventId = (await server.call(visitor, "PUT", `/rooms/${encodeURIComponent(roomId)}/send/m.room.encrypted/deep-4`, { ciphertext: "x" })).body.event_id;
    const room = `/rooms/${encodeURIComponent(roomId)}`;
    expectError(await server.call(visitor, "GET", `/sync?timeout=0&filter=${filter}`), 400, "M_BAD_JSON");
    expectError(await server.call(visitor, "GET", `${room}/messages?dir=b&filter=${filter}`), 400, "M_BAD_JSON");
    expectError(await server.call(visitor, "GET", `${room}/context/${encodeURIComponent(eventId)}?filter=${filter}`), 400, "M_BAD_JSON");
    // At the limit it is a filter like any other.
    const ok = encodeURIComponent(deepBody(63));
    expect((await server.call(visitor, "GET", `/sync?timeout=0&filter=${ok}`)).status).toBe(200);
    expect((await server.call(visitor, "GET", `${room}/messages?dir=b&filter=${ok}`)).status).toBe(200);
  });
});
