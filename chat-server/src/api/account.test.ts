import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROOF_OF_WORK_STAGE, proofOfWorkChallengeIn, solveProofOfWork } from "@onsafe/schema";
import { expectError, TestServer } from "../../test/harness.ts";

describe("registration, login and account", () => {
  let server: TestServer;
  // Its tests all guess from one address: the wait between guesses (login-limits.test.ts) would reach across them.
  beforeAll(async () => { server = await TestServer.start({ loginFailuresBeforeBackoff: 10 }); });
  afterAll(async () => { await server.close(); });

  it("asks for a proof of work, then registers a visitor with a server-chosen localpart", async () => {
    const first = await server.request("POST", "/_matrix/client/v3/register", { body: { username: "alice" } });
    expect(first.status).toBe(401);
    expect(first.body.flows).toEqual([{ stages: [PROOF_OF_WORK_STAGE] }]);
    const payload = await solveProofOfWork(proofOfWorkChallengeIn(first.body)!);
    const second = await server.request("POST", "/_matrix/client/v3/register", {
      body: { username: "alice", auth: { type: PROOF_OF_WORK_STAGE, session: first.body.session, payload } },
    });
    expect(second.status).toBe(200);
    expect(second.body.user_id).toMatch(/^@v-[a-z0-9]{12}:localhost$/);
    const whoami = await server.request("GET", "/_matrix/client/v3/account/whoami", { token: second.body.access_token });
    expect(whoami.body).toEqual({ user_id: second.body.user_id, device_id: second.body.device_id, is_guest: false });
  });

  it("refuses guests, bad JSON and wrong types without creating anyone", async () => {
    const before = server.count("users");
    expectError(await server.request("POST", "/_matrix/client/v3/register?kind=guest", { body: {} }), 403, "M_GUEST_ACCESS_FORBIDDEN");
    expectError(await server.request("POST", "/_matrix/client/v3/register", { raw: "{not json", headers: { "content-type": "application/json" } }), 400, "M_NOT_JSON");
    expectError(await server.request("POST", "/_matrix/client/v3/register", { body: { password: 12345678 } }), 400, "M_BAD_JSON");
    expectError(await server.request("POST", "/_matrix/client/v3/register", { body: [1, 2] }), 400, "M_BAD_JSON");
    expect(server.count("users")).toBe(before);
  });

  it("logs a visitor with a recovery password back in on a new device, and logs out", async () => {
    const visitor = await server.registerVisitor("recovery-code-1234");
    const login = await server.request("POST", "/_matrix/client/v3/login", {
      body: { type: "m.login.password", identifier: { type: "m.id.user", user: visitor.userId }, password: "recovery-code-1234" },
    });
    expect(login.status).toBe(200);
    expect(login.body.device_id).not.toBe(visitor.deviceId);
    expectError(await server.request("POST", "/_matrix/client/v3/login", {
      body: { type: "m.login.password", identifier: { type: "m.id.user", user: visitor.userId }, password: "wrong-password" },
    }), 403, "M_FORBIDDEN");
    expect((await server.request("POST", "/_matrix/client/v3/logout", { token: login.body.access_token })).status).toBe(200);
    expectError(await server.request("GET", "/_matrix/client/v3/account/whoami", { token: login.body.access_token }), 401, "M_UNKNOWN_TOKEN");
  });

  it("stores access tokens hashed", async () => {
    const visitor = await server.registerVisitor();
    const rows = server.hs.store.sqlite.prepare("select token_hash from access_tokens").all() as { token_hash: string }[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.some((r) => r.token_hash === visitor.token)).toBe(false);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);
  });

  it("creates staff through shared-secret registration and refuses a wrong MAC", async () => {
    const companion = await server.createAccount("companion", "mina");
    expect(companion.userId).toBe("@mina:localhost");
    expect(server.hs.accounts.kindOf(companion.userId)).toBe("companion");
    const { body: { nonce } } = await server.request("GET", "/_synapse/admin/v1/register");
    expectError(await server.request("POST", "/_synapse/admin/v1/register", {
      body: { nonce, username: "mallory", password: "long enough pw", admin: false, user_type: "companion", mac: "00".repeat(20) },
    }), 403, "M_FORBIDDEN");
    expect(server.hs.accounts.kindOf("@mallory:localhost")).toBeUndefined();
  });

  it("answers unknown endpoints and missing tokens with Matrix errors and CORS headers", async () => {
    const unknown = expectError(await server.request("GET", "/_matrix/client/v3/no/such/thing", { token: "x" }), 404, "M_UNRECOGNIZED");
    expect(unknown.headers.get("access-control-allow-origin")).toBe("*");
    expectError(await server.request("GET", "/_matrix/client/v1/auth_metadata"), 404, "M_UNRECOGNIZED");
    expectError(await server.request("GET", "/_matrix/client/v3/sync", { token: "x" }), 401, "M_UNKNOWN_TOKEN");
    expectError(await server.request("GET", "/_matrix/client/v3/rooms/!a:localhost/state/m.room.name/"), 401, "M_MISSING_TOKEN");
    const visitor = await server.registerVisitor();
    expectError(await server.request("GET", "/_matrix/client/v3/no/such/thing", { token: visitor.token }), 404, "M_UNRECOGNIZED");
    expectError(await server.request("GET", "/_matrix/client/v3/account/whoami"), 401, "M_MISSING_TOKEN");
    const versions = await server.request("GET", "/_matrix/client/versions/");
    expect(versions.body.versions).toContain("v1.11");
  });

  it("limits anonymous registrations per client address, in memory, without creating anyone past the limit", async () => {
    const limited = await TestServer.start({ visitorRegistrationsPerWindow: 3 });
    try {
      for (let i = 0; i < 3; i++) await limited.registerVisitor();
      const before = limited.count("users");
      const refused = await limited.request("POST", "/_matrix/client/v3/register", { body: {} });
      expectError(refused, 429, "M_LIMIT_EXCEEDED");
      expect(refused.body.retry_after_ms).toBeGreaterThan(0);
      expect(limited.count("users")).toBe(before);
    } finally {
      await limited.close();
    }
  });

  it("deletes another device only after the password, taking its keys and token with it", async () => {
    const visitor = await server.registerVisitor("device-test-password");
    const login = await server.request("POST", "/_matrix/client/v3/login", {
      body: { type: "m.login.password", identifier: { type: "m.id.user", user: visitor.userId }, password: "device-test-password" },
    });
    const other = login.body.device_id;
    const devices = await server.request("GET", "/_matrix/client/v3/devices", { token: visitor.token });
    expect(devices.body.devices.map((d: { device_id: string }) => d.device_id).sort()).toEqual([visitor.deviceId, other].sort());
    const ask = await server.request("DELETE", `/_matrix/client/v3/devices/${other}`, { token: visitor.token, body: {} });
    expect(ask.status).toBe(401);
    expect(ask.body.flows).toEqual([{ stages: ["m.login.password"] }]);
    const wrong = await server.request("DELETE", `/_matrix/client/v3/devices/${other}`, {
      token: visitor.token, body: { auth: { type: "m.login.password", session: ask.body.session, password: "nope-nope" } },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.errcode).toBe("M_FORBIDDEN");
    expect((await server.request("GET", "/_matrix/client/v3/account/whoami", { token: login.body.access_token })).status).toBe(200);
    const done = await server.request("DELETE", `/_matrix/client/v3/devices/${other}`, {
      token: visitor.token, body: { auth: { type: "m.login.password", session: ask.body.session, password: "device-test-password" } },
    });
    expect(done.status).toBe(200);
    expectError(await server.request("GET", "/_matrix/client/v3/account/whoami", { token: login.body.access_token }), 401, "M_UNKNOWN_TOKEN");
    expectError(await server.request("GET", `/_matrix/client/v3/devices/${other}`, { token: visitor.token }), 404, "M_NOT_FOUND");
  });

  it("lets staff name their devices but not visitors, whose device names everyone fetching their keys would read", async () => {
    const visitor = await server.registerVisitor();
    const companion = await server.createAccount("companion", "device-namer");
    const rename = (a: typeof visitor) => server.request("PUT", `/_matrix/client/v3/devices/${a.deviceId}`, { token: a.token, body: { display_name: "Jane's phone" } });
    expectError(await rename(visitor), 403, "M_FORBIDDEN");
    expect((await server.request("GET", `/_matrix/client/v3/devices/${visitor.deviceId}`, { token: visitor.token })).body.display_name).toBeUndefined();
    expect((await rename(companion)).status).toBe(200);
  });

  it("keeps a visitor's device unnamed when a client names it at sign-up or sign-in, as Element does with the browser's name", async () => {
    const registered = await server.request("POST", "/_matrix/client/v3/register", {
      body: { password: "named-device-code", initial_device_display_name: "app.element.io: Chrome on Jane's iPhone", auth: await server.registrationProof() },
    });
    expect(registered.status).toBe(200);
    const login = await server.request("POST", "/_matrix/client/v3/login", {
      body: { type: "m.login.password", identifier: { type: "m.id.user", user: registered.body.user_id }, password: "named-device-code", initial_device_display_name: "Jane's laptop" },
    });
    expect(login.status).toBe(200);
    const devices = await server.request("GET", "/_matrix/client/v3/devices", { token: login.body.access_token });
    expect(devices.body.devices).toHaveLength(2);
    for (const device of devices.body.devices) expect(device.display_name).toBeUndefined();
    // Staff may name theirs.
    const staff = await server.createAccount("companion", "device-login-namer", "staff-password-1");
    const staffLogin = await server.request("POST", "/_matrix/client/v3/login", {
      body: { type: "m.login.password", identifier: { type: "m.id.user", user: staff.userId }, password: "staff-password-1", initial_device_display_name: "Console" },
    });
    expect((await server.request("GET", `/_matrix/client/v3/devices/${staffLogin.body.device_id}`, { token: staffLogin.body.access_token })).body.display_name).toBe("Console");
  });

  it("stops guessing of a recovery code after 10 failed logins, without counting successes", async () => {
    // The window's ceiling alone: the growing wait between guesses and the proof of work after a few are shown in login-limits.test.ts.
    const fresh = await TestServer.start({ loginBackoffMs: 0, loginFailuresBeforeBackoff: 10 });
    try {
      const target = await fresh.registerVisitor("the-real-recovery-code");
      const attempt = (password: string) => fresh.request("POST", "/_matrix/client/v3/login", {
        body: { type: "m.login.password", identifier: { type: "m.id.user", user: target.userId }, password },
      });
      expect((await attempt("the-real-recovery-code")).status).toBe(200);
      for (let i = 0; i < 10; i++) expectError(await attempt(`guess-${i}`), 403, "M_FORBIDDEN");
      const limited = expectError(await attempt("the-real-recovery-code"), 429, "M_LIMIT_EXCEEDED");
      expect(limited.body.retry_after_ms).toBeGreaterThan(0);
    } finally {
      await fresh.close();
    }
  });

  it("changes a password after the old one, logging other devices out unless asked not to", async () => {
    const login = (userId: string, password: string) => server.request("POST", "/_matrix/client/v3/login", {
      body: { type: "m.login.password", identifier: { type: "m.id.user", user: userId }, password },
    });
    const visitor = await server.registerVisitor("first-recovery-code");
    const other = (await login(visitor.userId, "first-recovery-code")).body.access_token;
    const change = (body: Record<string, unknown>) => server.request("POST", "/_matrix/client/v3/account/password", { token: visitor.token, body });
    const hashBefore = server.hs.accounts.getUser(visitor.userId)?.password_hash;

    expectError(await change({ new_password: "short" }), 400, "M_WEAK_PASSWORD");
    expectError(await change({ new_password: 12345678 }), 400, "M_BAD_JSON");
    expectError(await change({}), 400, "M_MISSING_PARAM");
    expectError(await change({ new_password: "second-recovery-code", logout_devices: "yes" }), 400, "M_BAD_JSON");
    const ask = await change({ new_password: "second-recovery-code" });
    expect(ask.status).toBe(401);
    const wrong = await change({ new_password: "second-recovery-code", auth: { type: "m.login.password", session: ask.body.session, password: "guess-guess" } });
    expect(wrong.body.errcode).toBe("M_FORBIDDEN");
    expect(server.hs.accounts.getUser(visitor.userId)?.password_hash).toBe(hashBefore);

    const done = await change({ new_password: "second-recovery-code", auth: { type: "m.login.password", session: ask.body.session, password: "first-recovery-code" } });
    expect(done.status).toBe(200);
    expectError(await server.request("GET", "/_matrix/client/v3/account/whoami", { token: other }), 401, "M_UNKNOWN_TOKEN");
    expect((await server.request("GET", "/_matrix/client/v3/account/whoami", { token: visitor.token })).status).toBe(200);
    expectError(await login(visitor.userId, "first-recovery-code"), 403, "M_FORBIDDEN");
    const third = (await login(visitor.userId, "second-recovery-code")).body.access_token;

    // A passwordless visitor sets a first recovery password with m.login.dummy; other devices can be kept.
    const anonymous = await server.registerVisitor();
    const first = await server.request("POST", "/_matrix/client/v3/account/password", { token: anonymous.token, body: { new_password: "now-i-have-a-code" } });
    expect(first.body.flows).toEqual([{ stages: ["m.login.dummy"] }]);
    const set = await server.request("POST", "/_matrix/client/v3/account/password", {
      token: anonymous.token, body: { new_password: "now-i-have-a-code", logout_devices: false, auth: { type: "m.login.dummy", session: first.body.session } },
    });
    expect(set.status).toBe(200);
    expect((await login(anonymous.userId, "now-i-have-a-code")).status).toBe(200);
    expect((await server.request("GET", "/_matrix/client/v3/account/whoami", { token: third })).status).toBe(200);
  });
});
