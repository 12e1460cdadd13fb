/**
 * The push gateway through the real bots service (docs/CRISIS.md "Push"): the
 * homeserver's notify request posted to the bots service's listener, pushed to
 * a local Web Push service on loopback that checks the VAPID signature and
 * decrypts the body with the subscription's keys; and `GET push/config`, what
 * the console subscribes with. The gateway's refusals are tested beside it
 * (bots/src/push/push-gateway.test.ts).
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import { type PushConfigJson, WEB_PUSH_APP_ID } from "@onsafe/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BrowserSubscription, LocalPushService } from "../../test-support/push-service.ts";
import type { SdkClient } from "../../test-support/sdk-client.ts";
import { configFromEnv } from "../../chat-server/src/config.ts";
import { botsConfigFromEnv } from "../src/config.ts";
import { Stack } from "./stack.ts";

let stack: Stack;
let service: LocalPushService;
let mina: SdkClient;

beforeAll(async () => {
  service = await LocalPushService.start();
  stack = await Stack.start({ push: { extraCaFile: service.caFile, allowPrivateEndpoints: true } });
  mina = await stack.staff("mina");
}, 120_000);
afterAll(async () => {
  await stack?.close();
  await service?.close();
});

/** What our homeserver posts for one new event: the `event_id_only` shape, one device. */
function notifyBody(sub: BrowserSubscription, appId = WEB_PUSH_APP_ID) {
  return {
    notification: {
      event_id: "$abc", room_id: "!room:localhost", prio: "high",
      devices: [{ app_id: appId, pushkey: sub.keys.p256dh, pushkey_ts: 1, data: { endpoint: sub.endpoint, auth: sub.keys.auth }, tweaks: {} }],
    },
  };
}

async function notify(body: unknown, url = `${stack.bots.url}/_matrix/push/v1/notify`): Promise<{ status: number; body: any }> {
  const reply = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });
  return { status: reply.status, body: await reply.json() };
}

async function pushConfig(): Promise<PushConfigJson> {
  const reply = await stack.ops(mina.account, "GET", "/push/config");
  expect(reply.status).toBe(200);
  return reply.body as PushConfigJson;
}

describe("POST /_matrix/push/v1/notify on the bots service", () => {
  it("delivers a message push that says only that: the decrypted body, normal urgency, an hour to live, signed with the gateway's VAPID key", async () => {
    const sub = service.subscribe();
    expect(await notify(notifyBody(sub))).toEqual({ status: 200, body: { rejected: [] } });
    const push = await service.waitForPush(sub, { timeoutMs: 15_000 });
    expect(push.payload).toBe('{"v":1,"kind":"message"}');
    expect({ urgency: push.urgency, ttl: push.ttl }).toEqual({ urgency: "normal", ttl: 3600 });
    expect(push.vapidKey).toBe((await pushConfig()).vapid_public_key);
    expect(service.refused).toBe(0);
  });

  it("answers a subscription the push service says is gone (410) with its pushkey in rejected", async () => {
    const sub = service.subscribe();
    service.markGone(sub);
    expect(await notify(notifyBody(sub))).toEqual({ status: 200, body: { rejected: [sub.keys.p256dh] } });
  });

  it("answers 502 while the push service has trouble, so the homeserver sends it again; the next try delivers", async () => {
    const sub = service.subscribe();
    service.failNext(sub, 503);
    expect(await notify(notifyBody(sub))).toMatchObject({ status: 502, body: { errcode: "M_UNKNOWN" } });
    expect(await notify(notifyBody(sub))).toEqual({ status: 200, body: { rejected: [] } });
    expect((await service.waitForPush(sub, { timeoutMs: 15_000 })).payload).toBe('{"v":1,"kind":"message"}');
  });

  it("ignores another app's device", async () => {
    const sub = service.subscribe();
    const before = service.requests;
    expect(await notify(notifyBody(sub, "im.vector.app.android"))).toEqual({ status: 200, body: { rejected: [] } });
    expect(service.requests).toBe(before);
  });

  it("refuses bodies that are not a notification, Matrix-style, and pushes nothing", async () => {
    const before = service.requests;
    expect(await notify("{not json")).toMatchObject({ status: 400, body: { errcode: "M_NOT_JSON" } });
    expect(await notify({ devices: [] })).toMatchObject({ status: 400, body: { errcode: "M_MISSING_PARAM" } });
    expect(await notify({ notification: { devices: "all" } })).toMatchObject({ status: 400, body: { errcode: "M_BAD_JSON" } });
    expect(await notify({ notification: { event_id: "$e", devices: [{ app_id: WEB_PUSH_APP_ID }] } })).toMatchObject({ status: 400, body: { errcode: "M_BAD_JSON" } });
    expect(await notify({ notification: { devices: [] }, pad: "x".repeat(17 * 1024) })).toMatchObject({ status: 413, body: { errcode: "M_TOO_LARGE" } });
    expect(service.requests).toBe(before);
  });

  it("is not reachable through the homeserver, which forwards only /_onsafe/", async () => {
    const sub = service.subscribe();
    const reply = await notify(notifyBody(sub), `${stack.hs.url}/_matrix/push/v1/notify`);
    expect(reply.status).toBe(404);
    expect(service.received(sub)).toEqual([]);
  });
});

describe("GET push/config", () => {
  it("gives staff the gateway URL, the app id and the VAPID public key, kept owner-only and the same after a restart", async () => {
    const config = await pushConfig();
    expect(config).toEqual({ gateway_url: `${stack.bots.url}/_matrix/push/v1/notify`, app_id: "org.onsafe.console.webpush", vapid_public_key: expect.stringMatching(/^[A-Za-z0-9_-]{87}$/) });
    expect(Buffer.from(config.vapid_public_key, "base64url")[0]).toBe(4);
    expect(statSync(join(stack.config.dataDir, "push-vapid.json")).mode & 0o777).toBe(0o600);
    await stack.stopBots();
    await stack.startBots();
    expect((await pushConfig()).vapid_public_key).toBe(config.vapid_public_key);
  }, 120_000);

  it("refuses no token, visitors and partners' staff", async () => {
    const visitor = await stack.hs.registerVisitor();
    const partner = await stack.hs.createAccount("partner", "pat");
    await stack.bots.queue.staff.addOrUpdateStaff({ userId: partner.userId, kind: "partner", displayName: "Pat" });
    expect((await stack.ops(undefined, "GET", "/push/config")).body.errcode).toBe("M_MISSING_TOKEN");
    for (const account of [visitor, partner]) {
      const reply = await stack.ops(account, "GET", "/push/config");
      expect({ status: reply.status, errcode: reply.body.errcode }).toEqual({ status: 403, errcode: "M_FORBIDDEN" });
    }
  });
});

describe("the gateway URL", () => {
  it("is the one the homeserver requires of pushers and posts to, whatever the settings", () => {
    for (const env of [
      {}, { ONSAFE_PORT: "9000" }, { ONSAFE_BOTS_PORT: "7001" }, { ONSAFE_BOTS_URL: "http://10.0.0.2:9009" },
      { ONSAFE_PUSH_GATEWAY_URL: "https://push.example.org/_matrix/push/v1/notify" }, { ONSAFE_PUSH_GATEWAY_URL: "" },
    ]) {
      expect(botsConfigFromEnv(env).push.gatewayUrl, JSON.stringify(env)).toBe(configFromEnv(env).pushGatewayUrl);
    }
    expect(botsConfigFromEnv({}).push.gatewayUrl).toBe("http://127.0.0.1:8009/_matrix/push/v1/notify");
  });
});
