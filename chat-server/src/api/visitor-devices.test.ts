/**
 * A visitor's devices (issue 21): each login with the visitor's password (the
 * recovery code) made a device with its keys, without bound, so a script with
 * one code could fill the database. Past `visitorMaxDevices` a new login signs
 * out the visitor's oldest device instead; staff keep every device.
 */
import { describe, expect, it } from "vitest";
import { serverWithAccounts } from "../../test/fixtures.ts";

const PASSWORD = "a recovery code of sorts";
const MAX = 3;

describe("a visitor's devices", () => {
  const env = serverWithAccounts({ companion: ["companion", "devices-staff"] }, { visitorMaxDevices: MAX });

  const login = (user: string, password: string) =>
    env.server.request("POST", "/_matrix/client/v3/login", { body: { type: "m.login.password", identifier: { type: "m.id.user", user }, password } });

  it(`are at most ONSAFE_VISITOR_MAX_DEVICES (here ${MAX}): a login past it signs out the oldest, whose token then fails`, async () => {
    const visitor = await env.server.registerVisitor(PASSWORD);
    const logins = [];
    for (let i = 0; i < MAX + 2; i++) {
      const reply = await login(visitor.userId, PASSWORD);
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      logins.push(reply.body as { device_id: string; access_token: string });
    }
    const newest = logins.at(-1)!;
    const devices = await env.server.request("GET", "/_matrix/client/v3/devices", { token: newest.access_token });
    const ids = (devices.body.devices as { device_id: string }[]).map((d) => d.device_id).sort();
    expect(ids).toEqual(logins.slice(-MAX).map((l) => l.device_id).sort());
    // The registration's device and the first two logins' are gone with their tokens.
    for (const gone of [visitor.token, logins[0]!.access_token, logins[1]!.access_token]) {
      expect((await env.server.request("GET", "/_matrix/client/v3/account/whoami", { token: gone })).status).toBe(401);
    }
    expect((await env.server.request("GET", "/_matrix/client/v3/account/whoami", { token: newest.access_token })).status).toBe(200);
  });

  it("a login to a device the visitor already has makes no new one and signs nobody out", async () => {
    const visitor = await env.server.registerVisitor(PASSWORD);
    const first = (await login(visitor.userId, PASSWORD)).body as { device_id: string };
    for (let i = 0; i < MAX + 2; i++) {
      const again = await env.server.request("POST", "/_matrix/client/v3/login", {
        body: { type: "m.login.password", identifier: { type: "m.id.user", user: visitor.userId }, password: PASSWORD, device_id: first.device_id },
      });
      expect(again.status).toBe(200);
    }
    expect((await env.server.request("GET", "/_matrix/client/v3/account/whoami", { token: visitor.token })).status).toBe(200);
  });

  it("staff are not bound by it", async () => {
    // The fixtures' default password.
    for (let i = 0; i < MAX + 2; i++) expect((await login(env.companion.userId, "correct horse battery")).status).toBe(200);
    const devices = await env.server.request("GET", "/_matrix/client/v3/devices", { token: env.companion.token });
    expect(devices.body.devices.length).toBeGreaterThanOrEqual(MAX + 2);
  });
});
