import { createECDH, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { BOT_LOCALPARTS } from "@onsafe/schema";
import { type Account, expectError, TestServer } from "../../test/harness.ts";
import { serverWithAccounts } from "../../test/fixtures.ts";

const APP_ID = "org.onsafe.console.webpush";
const PASSWORD = "correct horse battery";

/** A browser's Web Push subscription: a fresh P-256 key and auth secret. */
const subscription = () => ({ pushkey: createECDH("prime256v1").generateKeys().toString("base64url"), auth: randomBytes(16).toString("base64url") });

/** What the console sends to set its pusher, with `change` on top (and `data` changed by `dataChange`). */
function pusherBody(server: TestServer, change: Record<string, unknown> = {}, dataChange: Record<string, unknown> = {}) {
  const { pushkey, auth } = subscription();
  return {
    kind: "http", app_id: APP_ID, pushkey, app_display_name: "onsafe console", device_display_name: "Chrome on a laptop", lang: "ko",
    data: { url: server.config.pushGatewayUrl, format: "event_id_only", endpoint: "https://fcm.googleapis.com/fcm/send/f1:APA91b", auth, ...dataChange },
    ...change,
  };
}

const pushersOf = async (server: TestServer, account: Account) => {
  const reply = await server.call(account, "GET", "/pushers");
  expect(reply.status).toBe(200);
  return reply.body.pushers as { pushkey: string; device_display_name: string; data: Record<string, unknown> }[];
};

const set = (server: TestServer, account: Account, body: unknown) => server.call(account, "POST", "/pushers/set", body);

describe("pushers", () => {
  const env = serverWithAccounts({
    companion: ["companion", "mina", PASSWORD], supervisor: ["supervisor", "jun"], partner: ["partner", "lawyer"],
    bot: ["bot", BOT_LOCALPARTS.triage], admin: ["admin", "root"], colleague: ["companion", "sora", PASSWORD],
  });

  it("sets, shows, replaces and deletes a console's pusher", async () => {
    const { server, supervisor } = env;
    const body = pusherBody(server);
    expect((await set(server, supervisor, body)).status).toBe(200);
    expect(await pushersOf(server, supervisor)).toEqual([{
      pushkey: body.pushkey, kind: "http", app_id: APP_ID, app_display_name: "onsafe console", device_display_name: "Chrome on a laptop", lang: "ko",
      data: body.data,
    }]);
    // The same app id and pushkey again replaces it.
    expect((await set(server, supervisor, { ...body, device_display_name: "Firefox", profile_tag: "desk" })).status).toBe(200);
    expect(await pushersOf(server, supervisor)).toMatchObject([{ pushkey: body.pushkey, device_display_name: "Firefox", profile_tag: "desk" }]);
    expect((await set(server, supervisor, { app_id: APP_ID, pushkey: body.pushkey, kind: null })).status).toBe(200);
    expect(await pushersOf(server, supervisor)).toEqual([]);
  });

  it("keeps only what the gateway needs of data", async () => {
    const { server, supervisor } = env;
    const body = pusherBody(server, {}, { note: "x".repeat(500) });
    expect((await set(server, supervisor, body)).status).toBe(200);
    const [pusher] = await pushersOf(server, supervisor);
    expect(Object.keys(pusher!.data).sort()).toEqual(["auth", "endpoint", "format", "url"]);
    await set(server, supervisor, { app_id: APP_ID, pushkey: body.pushkey, kind: null });
  });

  it.each([
    ["another kind", { kind: "email" }, {}, 400, "M_INVALID_PARAM"],
    ["no kind", { kind: undefined }, {}, 400, "M_MISSING_PARAM"],
    ["another app id", { app_id: "im.vector.app.android" }, {}, 400, "M_INVALID_PARAM"],
    ["an app id over 64 characters", { app_id: "a".repeat(65) }, {}, 400, "M_INVALID_PARAM"],
    ["a pushkey that is no P-256 key", { pushkey: Buffer.concat([Buffer.from([2]), randomBytes(64)]).toString("base64url") }, {}, 400, "M_INVALID_PARAM"],
    ["a pushkey over 512 bytes", { pushkey: "a".repeat(513) }, {}, 400, "M_INVALID_PARAM"],
    ["no lang", { lang: undefined }, {}, 400, "M_MISSING_PARAM"],
    ["data not an object", { data: "https://push" }, {}, 400, "M_BAD_JSON"],
    ["another gateway", {}, { url: "https://push.example.com/_matrix/push/v1/notify" }, 400, "M_INVALID_PARAM"],
    ["no gateway", {}, { url: undefined }, 400, "M_MISSING_PARAM"],
    ["the full format", {}, { format: "full" }, 400, "M_INVALID_PARAM"],
    ["an auth secret of 8 bytes", {}, { auth: randomBytes(8).toString("base64url") }, 400, "M_INVALID_PARAM"],
    ["an http endpoint", {}, { endpoint: "http://fcm.googleapis.com/fcm/send/x" }, 400, "M_INVALID_PARAM"],
    ["a loopback endpoint", {}, { endpoint: "https://127.0.0.1:8443/push" }, 400, "M_INVALID_PARAM"],
    ["a localhost endpoint", {}, { endpoint: "https://localhost/push" }, 400, "M_INVALID_PARAM"],
    ["a private endpoint", {}, { endpoint: "https://10.1.2.3/push" }, 400, "M_INVALID_PARAM"],
    ["a link-local endpoint", {}, { endpoint: "https://[fe80::1]/push" }, 400, "M_INVALID_PARAM"],
  ])("refuses %s and changes nothing", async (_name, change, dataChange, status, errcode) => {
    const { server, companion } = env;
    const kept = pusherBody(server);
    expect((await set(server, companion, kept)).status).toBe(200);
    const before = await pushersOf(server, companion);
    const rows = server.count("pushers");
    const body = pusherBody(server, change, dataChange);
    // The refused one shares the kept one's pushkey: a refusal must not replace it either.
    const sameKey = "pushkey" in change ? body : { ...body, pushkey: kept.pushkey };
    expectError(await set(server, companion, sameKey), status, errcode);
    expect(await pushersOf(server, companion)).toEqual(before);
    expect(server.count("pushers")).toBe(rows);
    await set(server, companion, { app_id: APP_ID, pushkey: kept.pushkey, kind: null });
  });

  it("refuses visitors, partners, bots and admins, and lists nothing for them", async () => {
    const { server } = env;
    const visitor = await server.registerVisitor();
    for (const account of [visitor, env.partner, env.bot, env.admin]) {
      expectError(await set(server, account, pusherBody(server)), 403, "M_FORBIDDEN");
      expectError(await server.call(account, "GET", "/pushers"), 403, "M_FORBIDDEN");
    }
    expect(server.count("pushers where user_id not like '@mina:%' and user_id not like '@jun:%' and user_id not like '@sora:%'")).toBe(0);
  });

  it("keeps at most 10 pushers per account", async () => {
    const { server, colleague } = env;
    const bodies = Array.from({ length: 10 }, () => pusherBody(server));
    for (const body of bodies) expect((await set(server, colleague, body)).status).toBe(200);
    const eleventh = await set(server, colleague, pusherBody(server));
    expectError(eleventh, 400, "M_LIMIT_EXCEEDED");
    expect(eleventh.body.retry_after_ms).toBeUndefined();
    expect(await pushersOf(server, colleague)).toHaveLength(10);
    // Setting one of the ten again still works: it replaces, it does not add.
    expect((await set(server, colleague, { ...bodies[3], lang: "en" })).status).toBe(200);
    for (const body of bodies) await set(server, colleague, { app_id: APP_ID, pushkey: body.pushkey, kind: null });
    expect(await pushersOf(server, colleague)).toEqual([]);
  });

  it("removes another account's pusher with the same pushkey unless asked to append", async () => {
    const { server, companion, supervisor } = env;
    const body = pusherBody(server);
    await set(server, companion, body);
    await set(server, supervisor, { ...body, append: true });
    expect((await pushersOf(server, companion)).map((p) => p.pushkey)).toEqual([body.pushkey]);
    // The browser signed in as someone else: the first account no longer gets its pages.
    await set(server, supervisor, { ...body, append: false });
    expect(await pushersOf(server, companion)).toEqual([]);
    expect((await pushersOf(server, supervisor)).map((p) => p.pushkey)).toEqual([body.pushkey]);
    await set(server, supervisor, { app_id: APP_ID, pushkey: body.pushkey, kind: null });
  });

  it("deletes a device's pushers when it logs out or is deleted, and the account's when it is deactivated", async () => {
    const server = env.server;
    const login = async () => {
      const reply = await server.request("POST", "/_matrix/client/v3/login", {
        body: { type: "m.login.password", identifier: { type: "m.id.user", user: "sora" }, password: PASSWORD },
      });
      return { userId: reply.body.user_id, deviceId: reply.body.device_id, token: reply.body.access_token } as Account;
    };
    const [laptop, phone, desk] = [await login(), await login(), await login()];
    const [fromLaptop, fromPhone, fromDesk] = [pusherBody(server), pusherBody(server), pusherBody(server)];
    await set(server, laptop, fromLaptop);
    await set(server, phone, fromPhone);
    await set(server, desk, fromDesk);
    expect(await pushersOf(server, phone)).toHaveLength(3);

    expect((await server.call(laptop, "POST", "/logout", {})).status).toBe(200);
    expect((await pushersOf(server, phone)).map((p) => p.pushkey).sort()).toEqual([fromPhone.pushkey, fromDesk.pushkey].sort());

    const ask = await server.call(phone, "DELETE", `/devices/${desk.deviceId}`, {});
    const deleted = await server.call(phone, "DELETE", `/devices/${desk.deviceId}`, { auth: { type: "m.login.password", session: ask.body.session, identifier: { type: "m.id.user", user: "sora" }, password: PASSWORD } });
    expect(deleted.status).toBe(200);
    expect((await pushersOf(server, phone)).map((p) => p.pushkey)).toEqual([fromPhone.pushkey]);

    const askDeactivate = await server.call(phone, "POST", "/account/deactivate", {});
    const done = await server.call(phone, "POST", "/account/deactivate", { auth: { type: "m.login.password", session: askDeactivate.body.session, identifier: { type: "m.id.user", user: "sora" }, password: PASSWORD } });
    expect(done.status).toBe(200);
    expect(server.count(`pushers where user_id = '${phone.userId}'`)).toBe(0);
  });
});

describe("pushers in the test mode (ONSAFE_PUSH_ALLOW_PRIVATE_ENDPOINTS=1)", () => {
  const env = serverWithAccounts({ companion: ["companion", "mina"] }, { pushAllowPrivateEndpoints: true });

  it("accepts a push service on loopback, still only over https", async () => {
    const { server, companion } = env;
    expect((await set(server, companion, pusherBody(server, {}, { endpoint: "https://127.0.0.1:9443/push/1" }))).status).toBe(200);
    expectError(await set(server, companion, pusherBody(server, {}, { endpoint: "http://127.0.0.1:9443/push/1" })), 400, "M_INVALID_PARAM");
    expect(await pushersOf(server, companion)).toHaveLength(1);
  });
});
