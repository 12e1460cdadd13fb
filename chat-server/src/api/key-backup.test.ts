import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Account, expectError, TestServer } from "../../test/harness.ts";

const ALGORITHM = "m.megolm_backup.v1.curve25519-aes-sha2";
const ROOM = "!room:localhost";
const key = (first: number, forwarded: number, verified: boolean, tag: string) => ({
  first_message_index: first, forwarded_count: forwarded, is_verified: verified, session_data: { ciphertext: tag },
});

describe("room key backup", () => {
  let server: TestServer;
  beforeAll(async () => { server = await TestServer.start(); });
  afterAll(async () => { await server.close(); });
  const as = (user: Account) => (method: string, path: string, body?: unknown) =>
    server.request(method, `/_matrix/client/v3/room_keys${path}`, { token: user.token, body });
  const newBackup = async () => {
    const call = as(await server.registerVisitor());
    expect((await call("POST", "/version", { algorithm: ALGORITHM, auth_data: { public_key: "pk" } })).body).toEqual({ version: "1" });
    return call;
  };
  const ciphertext = async (call: ReturnType<typeof as>, session: string) => (await call("GET", `/keys/${ROOM}/${session}?version=1`)).body.session_data.ciphertext;

  it("has no version until one is created, then describes it", async () => {
    const call = as(await server.registerVisitor());
    expectError(await call("GET", "/version"), 404, "M_NOT_FOUND");
    expectError(await call("GET", "/version/1"), 404, "M_NOT_FOUND");
    await call("POST", "/version", { algorithm: ALGORITHM, auth_data: { public_key: "pk" } });
    const expected = { version: "1", algorithm: ALGORITHM, auth_data: { public_key: "pk" }, count: 0, etag: "0" };
    expect((await call("GET", "/version")).body).toEqual(expected);
    expect((await call("GET", "/version/1")).body).toEqual(expected);
    expectError(await call("GET", "/version/01"), 404, "M_NOT_FOUND");
  });

  it("keeps the better key per session by the spec's rules, moving the etag only on a change", async () => {
    const call = await newBackup();
    expect((await call("PUT", `/keys/${ROOM}/s1?version=1`, key(5, 1, false, "first"))).body).toEqual({ etag: "1", count: 1 });
    // Higher first_message_index loses; equal index with equal forwarded_count keeps the old key.
    expect((await call("PUT", `/keys/${ROOM}/s1?version=1`, key(7, 0, false, "later index"))).body).toEqual({ etag: "1", count: 1 });
    expect((await call("PUT", `/keys/${ROOM}/s1?version=1`, key(5, 1, false, "same"))).body).toEqual({ etag: "1", count: 1 });
    expect(await ciphertext(call, "s1")).toBe("first");
    // Equal index, fewer forwards wins; then a lower index wins; then verified beats everything.
    await call("PUT", `/keys/${ROOM}/s1?version=1`, key(5, 0, false, "fewer forwards"));
    expect(await ciphertext(call, "s1")).toBe("fewer forwards");
    await call("PUT", `/keys/${ROOM}?version=1`, { sessions: { s1: key(2, 3, false, "lower index") } });
    expect(await ciphertext(call, "s1")).toBe("lower index");
    await call("PUT", "/keys?version=1", { rooms: { [ROOM]: { sessions: { s1: key(9, 9, true, "verified") } } } });
    expect(await ciphertext(call, "s1")).toBe("verified");
    await call("PUT", `/keys/${ROOM}/s1?version=1`, key(0, 0, false, "unverified"));
    expect(await ciphertext(call, "s1")).toBe("verified");
    expect((await call("GET", "/version")).body).toMatchObject({ count: 1, etag: "4" });
  });

  it("reads and deletes keys at all three levels", async () => {
    const call = await newBackup();
    const put = await call("PUT", "/keys?version=1", { rooms: {
      [ROOM]: { sessions: { s1: key(0, 0, true, "a"), s2: key(0, 0, true, "b") } },
      "!other:localhost": { sessions: { s3: key(0, 0, true, "c") } },
    } });
    expect(put.body).toEqual({ etag: "1", count: 3 });
    expect(Object.keys((await call("GET", "/keys?version=1")).body.rooms).sort()).toEqual(["!other:localhost", ROOM]);
    expect(Object.keys((await call("GET", `/keys/${ROOM}?version=1`)).body.sessions).sort()).toEqual(["s1", "s2"]);
    expect((await call("GET", "/keys/!empty:localhost?version=1")).body).toEqual({ sessions: {} });
    expect((await call("GET", `/keys/${ROOM}/s2?version=1`)).body).toEqual(key(0, 0, true, "b"));
    expectError(await call("GET", `/keys/${ROOM}/nope?version=1`), 404, "M_NOT_FOUND");

    expect((await call("DELETE", `/keys/${ROOM}/s2?version=1`)).body).toEqual({ etag: "2", count: 2 });
    expect((await call("DELETE", `/keys/${ROOM}/s2?version=1`)).body).toEqual({ etag: "2", count: 2 });
    expect((await call("DELETE", `/keys/${ROOM}?version=1`)).body).toEqual({ etag: "3", count: 1 });
    expect((await call("DELETE", "/keys?version=1")).body).toEqual({ etag: "4", count: 0 });
    expect((await call("GET", "/keys?version=1")).body).toEqual({ rooms: {} });
  });

  it("takes keys only into the current version and never reuses a deleted version's number", async () => {
    const user = await server.registerVisitor();
    const call = as(user);
    await call("POST", "/version", { algorithm: ALGORITHM, auth_data: { public_key: "pk" } });
    await call("PUT", `/keys/${ROOM}/s1?version=1`, key(0, 0, false, "old"));
    expect((await call("POST", "/version", { algorithm: ALGORITHM, auth_data: { public_key: "pk2" } })).body.version).toBe("2");
    const wrong = expectError(await call("PUT", `/keys/${ROOM}/s?version=1`, key(0, 0, false, "x")), 403, "M_WRONG_ROOM_KEYS_VERSION");
    expect(wrong.body.current_version).toBe("2");
    expectError(await call("PUT", `/keys?version=7`, { rooms: {} }), 404, "M_NOT_FOUND");
    // Old versions stay readable until deleted.
    expect(await ciphertext(call, "s1")).toBe("old");
    expect((await call("GET", "/keys?version=2")).body).toEqual({ rooms: {} });

    expect((await call("DELETE", "/version/2")).status).toBe(200);
    expect((await call("DELETE", "/version/2")).status).toBe(200);
    expectError(await call("DELETE", "/version/9"), 404, "M_NOT_FOUND");
    expectError(await call("GET", "/version/2"), 404, "M_NOT_FOUND");
    expectError(await call("GET", "/keys?version=2"), 404, "M_NOT_FOUND");
    expectError(await call("PUT", `/keys/${ROOM}/s?version=2`, key(0, 0, false, "x")), 404, "M_NOT_FOUND");
    expect((await call("GET", "/version")).body.version).toBe("1");
    expect((await call("POST", "/version", { algorithm: ALGORITHM, auth_data: {} })).body.version).toBe("3");
    expect((await call("DELETE", "/version/1")).status).toBe(200);
    expect(server.hs.store.sqlite.prepare("select count(*) n from room_keys where user_id = ?").get(user.userId)).toEqual({ n: 0 });
  });

  it("updates only auth_data, with the same algorithm and version", async () => {
    const call = await newBackup();
    expect((await call("PUT", "/version/1", { algorithm: ALGORITHM, auth_data: { public_key: "new" }, version: "1" })).body).toEqual({});
    expect((await call("GET", "/version/1")).body.auth_data).toEqual({ public_key: "new" });
    expectError(await call("PUT", "/version/1", { algorithm: "m.other", auth_data: {} }), 400, "M_INVALID_PARAM");
    expectError(await call("PUT", "/version/1", { algorithm: ALGORITHM, auth_data: {}, version: "2" }), 400, "M_INVALID_PARAM");
    expectError(await call("PUT", "/version/5", { algorithm: ALGORITHM, auth_data: {} }), 404, "M_NOT_FOUND");
    expectError(await call("PUT", "/version/1", { algorithm: ALGORITHM }), 400, "M_MISSING_PARAM");
    expect((await call("GET", "/version/1")).body.auth_data).toEqual({ public_key: "new" });
  });

  it("refuses malformed requests, changing nothing", async () => {
    const call = await newBackup();
    await call("PUT", `/keys/${ROOM}/s1?version=1`, key(3, 0, false, "kept"));
    const before = [server.count("room_keys"), server.count("room_key_versions")];
    expectError(await call("PUT", `/keys/${ROOM}/s1`, key(0, 0, true, "x")), 400, "M_MISSING_PARAM");
    expectError(await call("GET", "/keys"), 400, "M_MISSING_PARAM");
    expectError(await call("PUT", `/keys/${ROOM}/s1?version=1`, { ...key(0, 0, true, "x"), first_message_index: "zero" }), 400, "M_BAD_JSON");
    expectError(await call("PUT", `/keys/${ROOM}/s1?version=1`, { ...key(0, 0, true, "x"), forwarded_count: -1 }), 400, "M_BAD_JSON");
    expectError(await call("PUT", `/keys/${ROOM}/s1?version=1`, { ...key(0, 0, true, "x"), session_data: "x" }), 400, "M_BAD_JSON");
    expectError(await call("PUT", `/keys/${ROOM}?version=1`, { s1: key(0, 0, true, "x") }), 400, "M_MISSING_PARAM");
    // One bad session fails the whole request, the good one included.
    expectError(await call("PUT", "/keys?version=1", { rooms: { [ROOM]: { sessions: { s1: key(0, 0, true, "x"), s2: { is_verified: 1 } } } } }), 400, "M_BAD_JSON");
    expectError(await call("PUT", "/keys?version=1", { rooms: { [ROOM]: key(0, 0, true, "x") } }), 400, "M_BAD_JSON");
    expectError(await call("POST", "/version", { auth_data: {} }), 400, "M_MISSING_PARAM");
    expectError(await call("POST", "/version", { algorithm: ALGORITHM, auth_data: "pk" }), 400, "M_BAD_JSON");
    expectError(await server.request("POST", "/_matrix/client/v3/room_keys/version", { token: (await server.registerVisitor()).token, raw: "{", headers: { "content-type": "application/json" } }), 400, "M_NOT_JSON");
    expect([server.count("room_keys"), server.count("room_key_versions")]).toEqual(before);
    expect(await ciphertext(call, "s1")).toBe("kept");
    expect((await call("GET", "/version")).body).toMatchObject({ etag: "1", count: 1 });
  });

  it("keeps each user's backup to themselves", async () => {
    await newBackup();
    const other = as(await server.registerVisitor());
    expectError(await other("GET", "/version"), 404, "M_NOT_FOUND");
    expectError(await other("GET", "/keys?version=1"), 404, "M_NOT_FOUND");
    expectError(await other("DELETE", "/version/1"), 404, "M_NOT_FOUND");
  });
});
