import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, expectError, TestServer } from "../../test/harness.ts";

const key = (first: number, forwarded: number, verified: boolean, tag: string) => ({
  first_message_index: first, forwarded_count: forwarded, is_verified: verified, session_data: { ciphertext: tag },
});

describe("room key backup", () => {
  let server: TestServer;
  let user: Account;
  beforeAll(async () => {
    server = await TestServer.start();
    user = await server.registerVisitor();
  });
  afterAll(async () => { await server.close(); });
  const call = (method: string, path: string, body?: unknown) => server.request(method, `/_matrix/client/v3/room_keys${path}`, { token: user.token, body });

  it("has no version until one is created, then stores and replaces keys by the spec's rules", async () => {
    expectError(await call("GET", "/version"), 404, "M_NOT_FOUND");
    const created = await call("POST", "/version", { algorithm: "m.megolm_backup.v1.curve25519-aes-sha2", auth_data: { public_key: "pk" } });
    expect(created.body.version).toBe("1");
    const put = await call("PUT", "/keys/!room:localhost/sess1?version=1", key(5, 1, false, "a"));
    expect(put.body).toEqual({ etag: "1", count: 1 });
    await call("PUT", "/keys/!room:localhost/sess1?version=1", key(7, 0, false, "worse"));
    await call("PUT", "/keys?version=1", { rooms: { "!room:localhost": { sessions: { sess1: key(2, 3, false, "better"), sess2: key(0, 0, true, "b") } } } });
    const all = await call("GET", "/keys?version=1");
    expect(all.body.rooms["!room:localhost"].sessions.sess1.session_data.ciphertext).toBe("better");
    expect(Object.keys(all.body.rooms["!room:localhost"].sessions).sort()).toEqual(["sess1", "sess2"]);
    const latest = await call("GET", "/version");
    expect(latest.body).toMatchObject({ version: "1", count: 2, auth_data: { public_key: "pk" } });
    expect((await call("GET", "/keys/!room:localhost/sess2?version=1")).body.session_data.ciphertext).toBe("b");
    expect((await call("DELETE", "/keys/!room:localhost/sess2?version=1")).body.count).toBe(1);
  });

  it("refuses writes to an old version and malformed key data, changing nothing", async () => {
    await call("POST", "/version", { algorithm: "m.megolm_backup.v1.curve25519-aes-sha2", auth_data: { public_key: "pk2" } });
    const wrong = expectError(await call("PUT", "/keys/!room:localhost/s?version=1", key(0, 0, false, "x")), 403, "M_WRONG_ROOM_KEYS_VERSION");
    expect(wrong.body.current_version).toBe("2");
    expectError(await call("PUT", "/keys/!room:localhost/s?version=2", { first_message_index: "zero" }), 400, "M_BAD_JSON");
    expectError(await call("PUT", "/keys/!room:localhost/s", key(0, 0, false, "x")), 400, "M_MISSING_PARAM");
    expectError(await call("POST", "/version", { auth_data: {} }), 400, "M_MISSING_PARAM");
    expect((await call("GET", "/keys?version=2")).body.rooms).toEqual({});
    expect((await call("DELETE", "/version/2")).status).toBe(200);
    expect((await call("GET", "/version")).body.version).toBe("1");
  });

  it("keeps each user's backup to themselves", async () => {
    const other = await server.registerVisitor();
    expectError(await server.request("GET", "/_matrix/client/v3/room_keys/version", { token: other.token }), 404, "M_NOT_FOUND");
    expectError(await server.request("GET", "/_matrix/client/v3/room_keys/keys?version=1", { token: other.token }), 404, "M_NOT_FOUND");
  });
});
