import { describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { type Account, expectError } from "../../test/harness.ts";
import { serverWithAccounts } from "../../test/fixtures.ts";

const ALGORITHM = "m.megolm_backup.v1.curve25519-aes-sha2";
const ROOM = "!room:localhost";
const key = (first: number, size = 600) => ({ first_message_index: first, forwarded_count: 0, is_verified: false, session_data: { ciphertext: "c".repeat(size), mac: "m", ephemeral: "e" } });

/**
 * Issue 21, finding 2: a visitor's key backup kept any number of keys of any
 * size (each request up to the 1 MiB body limit), so a throwaway visitor could
 * store without end. Now a visitor's backup holds at most
 * ONSAFE_VISITOR_BACKUP_MAX_KEYS keys, and anyone's key data and auth_data are
 * at most 8 KiB each (matrix-js-sdk's are under 1 KiB): past either 413
 * M_TOO_LARGE, nothing stored.
 */
describe("key backup quota", () => {
  const env = serverWithAccounts({ triage: ["bot", BOT_LOCALPARTS.triage] }, { visitorBackupMaxKeys: 3 });
  const as = (a: Account) => (method: string, path: string, body?: unknown) => env.server.request(method, `/_matrix/client/v3/room_keys${path}`, { token: a.token, body });
  const rows = () => env.server.hs.store.sqlite.prepare("select * from room_keys order by user_id, session_id").all();
  const versions = () => env.server.hs.store.sqlite.prepare("select * from room_key_versions order by user_id, version").all();

  it("keeps a visitor's backup to ONSAFE_VISITOR_BACKUP_MAX_KEYS: past it 413 M_TOO_LARGE and none of the request's keys stored; a better key for a kept session still goes in", async () => {
    const call = as(await env.server.registerVisitor());
    expect((await call("POST", "/version", { algorithm: ALGORITHM, auth_data: { public_key: "pk" } })).status).toBe(200);
    expect((await call("PUT", `/keys/${ROOM}?version=1`, { sessions: { s0: key(5), s1: key(5) } })).body).toMatchObject({ count: 2 });
    const before = rows();
    // Two new sessions where one fits: the whole request is refused.
    expectError(await call("PUT", "/keys?version=1", { rooms: { [ROOM]: { sessions: { s2: key(5), s3: key(5) } } } }), 413, "M_TOO_LARGE");
    expect(rows()).toEqual(before);
    expect((await call("PUT", `/keys/${ROOM}/s2?version=1`, key(5))).body).toMatchObject({ count: 3 });
    const full = rows();
    expectError(await call("PUT", `/keys/${ROOM}/s4?version=1`, key(5)), 413, "M_TOO_LARGE");
    expect(rows()).toEqual(full);
    // Replacing a kept session's key adds nothing.
    expect((await call("PUT", `/keys/${ROOM}/s0?version=1`, key(1))).body).toMatchObject({ count: 3 });
    // Staff and bots keep every conversation's keys: not counted.
    const bot = as(env.triage);
    const version = (await bot("POST", "/version", { algorithm: ALGORITHM, auth_data: { public_key: "pk" } })).body.version as string;
    const many = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`b${i}`, key(0)]));
    expect((await bot("PUT", `/keys/${ROOM}?version=${version}`, { sessions: many })).body).toMatchObject({ count: 6 });
  });

  it("refuses key data or auth_data over 8 KiB with 413 M_TOO_LARGE, storing nothing", async () => {
    const call = as(await env.server.registerVisitor());
    const before = versions();
    expectError(await call("POST", "/version", { algorithm: ALGORITHM, auth_data: { public_key: "p".repeat(9000) } }), 413, "M_TOO_LARGE");
    expect(versions()).toEqual(before);
    expect((await call("POST", "/version", { algorithm: ALGORITHM, auth_data: { public_key: "pk" } })).status).toBe(200);
    expectError(await call("PUT", "/version/1", { algorithm: ALGORITHM, auth_data: { public_key: "p".repeat(9000) } }), 413, "M_TOO_LARGE");
    expect((await call("GET", "/version")).body.auth_data).toEqual({ public_key: "pk" });
    const keys = rows();
    expectError(await call("PUT", `/keys/${ROOM}/big?version=1`, key(0, 9000)), 413, "M_TOO_LARGE");
    expect(rows()).toEqual(keys);
  });
});
