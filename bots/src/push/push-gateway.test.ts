/**
 * The push gateway against a local Web Push service (HTTPS on loopback, VAPID
 * checked, bodies decrypted with the subscription's keys): what each kind of
 * notification sends, and the pushes it must not send. Through the bots
 * service's listener: bots/test/push-gateway.test.ts.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEB_PUSH_APP_ID } from "@onsafe/schema";
import webPush from "web-push";
import { type BrowserSubscription, LocalPushService, PUSH_SERVICE_NAME } from "../../../test-support/push-service.ts";
import { PushGateway, type PushGatewayOptions, type PushNotification } from "./push-gateway.ts";

const PAGER_ROOM = "!pager:localhost";
let service: LocalPushService;
const vapid = webPush.generateVAPIDKeys();

beforeAll(async () => { service = await LocalPushService.start(); });
afterAll(async () => { await service?.close(); });

function gateway(o: Partial<PushGatewayOptions> = {}): PushGateway {
  return new PushGateway({
    vapid,
    subject: "mailto:operator@localhost",
    extraCa: readFileSync(service.caFile, "utf8"),
    allowPrivateEndpoints: true,
    isPagerRoom: (roomId) => roomId === PAGER_ROOM,
    ...o,
  });
}

function notification(sub: BrowserSubscription, o: { roomId?: string; appId?: string; eventId?: string | undefined } = {}): PushNotification {
  return {
    event_id: "eventId" in o ? o.eventId : "$event",
    room_id: o.roomId ?? "!room:localhost",
    devices: [{ app_id: o.appId ?? WEB_PUSH_APP_ID, pushkey: sub.keys.p256dh, data: { endpoint: sub.endpoint, auth: sub.keys.auth } }],
  };
}

/** Lets any push already on its way arrive before asserting that none did. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe("the push gateway", () => {
  it("sends a page from a pager room, urgent and short-lived, and anything else as a message", async () => {
    const sub = service.subscribe();
    const g = gateway();
    expect(await g.notify(notification(sub, { roomId: PAGER_ROOM }))).toEqual({ rejected: [], retry: false });
    const page = await service.waitForPush(sub, { timeoutMs: 10_000 });
    expect(page).toMatchObject({ payload: '{"v":1,"kind":"page"}', urgency: "high", ttl: 600, vapidKey: vapid.publicKey });
    expect(await g.notify(notification(sub))).toEqual({ rejected: [], retry: false });
    const message = await service.waitForPush(sub, { timeoutMs: 10_000, count: 2 });
    expect(message).toMatchObject({ payload: '{"v":1,"kind":"message"}', urgency: "normal", ttl: 3600, vapidKey: vapid.publicKey });
    expect(service.refused).toBe(0);
  });

  it("without the test mode, rejects a push service on loopback and sends nothing", async () => {
    const sub = service.subscribe();
    expect(await gateway({ allowPrivateEndpoints: false }).notify(notification(sub))).toEqual({ rejected: [sub.keys.p256dh], retry: false });
    await settle();
    expect(service.received(sub)).toEqual([]);
  });

  it("without the test mode, sends nothing to a name that resolves to a private address, and keeps the pusher", async () => {
    const sub = service.subscribe();
    // A public-looking name (the certificate holds it) that a resolver points at loopback.
    const named = { ...sub, endpoint: sub.endpoint.replace("127.0.0.1", PUSH_SERVICE_NAME) };
    const asked: string[] = [];
    const g = gateway({ allowPrivateEndpoints: false, resolve: async (host) => { asked.push(host); return [{ address: "127.0.0.1", family: 4 }]; } });
    const before = service.requests;
    expect(await g.notify(notification(named))).toEqual({ rejected: [], retry: false });
    expect(asked).toEqual([PUSH_SERVICE_NAME]);
    await settle();
    expect(service.requests).toBe(before);
  });

  it("connects to the addresses it checked, not to what the name resolves to later", async () => {
    const sub = service.subscribe();
    const named = { ...sub, endpoint: sub.endpoint.replace("127.0.0.1", PUSH_SERVICE_NAME) };
    const before = service.requests;
    // The test mode lets the check pass; the push must then go to 127.0.0.1 although no DNS knows the name.
    await gateway({ resolve: async () => [{ address: "127.0.0.1", family: 4 }] }).notify(notification(named));
    expect(service.requests).toBe(before + 1);
  });

  it("rejects the pushkey of a subscription the push service says is gone (410)", async () => {
    const sub = service.subscribe();
    service.markGone(sub);
    expect(await gateway().notify(notification(sub))).toEqual({ rejected: [sub.keys.p256dh], retry: false });
  });

  it("asks for the notification again when the push service has trouble (5xx, 429, no answer), not when it refuses the push", async () => {
    const sub = service.subscribe();
    const g = gateway();
    for (const status of [503, 429]) {
      service.failNext(sub, status);
      expect(await g.notify(notification(sub)), String(status)).toEqual({ rejected: [], retry: true });
    }
    service.failNext(sub, 400);
    expect(await g.notify(notification(sub))).toEqual({ rejected: [], retry: false });
    const gone = { ...sub, endpoint: sub.endpoint.replace(/:\d+\//, ":1/") };
    expect(await g.notify(notification(gone))).toEqual({ rejected: [], retry: true });
    expect(await g.notify(notification(sub))).toEqual({ rejected: [], retry: false });
    expect(await service.waitForPush(sub, { timeoutMs: 10_000 })).toMatchObject({ payload: '{"v":1,"kind":"message"}' });
  });

  it("gives up on a push service that never answers, within its time, and asks for the notification again", async () => {
    const sub = service.subscribe();
    service.hangNext(sub);
    const started = Date.now();
    expect(await gateway({ sendTimeoutMs: 1_000 }).notify(notification(sub))).toEqual({ rejected: [], retry: true });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("rejects a device whose subscription is malformed, without sending", async () => {
    const sub = service.subscribe();
    const bad = notification(sub);
    bad.devices[0]!.data = { endpoint: sub.endpoint };
    expect(await gateway().notify(bad)).toEqual({ rejected: [sub.keys.p256dh], retry: false });
    await settle();
    expect(service.received(sub)).toEqual([]);
  });

  it("ignores other apps' devices and notifications without an event", async () => {
    const sub = service.subscribe();
    expect(await gateway().notify(notification(sub, { appId: "im.vector.app.android" }))).toEqual({ rejected: [], retry: false });
    expect(await gateway().notify(notification(sub, { eventId: undefined }))).toEqual({ rejected: [], retry: false });
    await settle();
    expect(service.received(sub)).toEqual([]);
  });

  it("does not reach a push service whose certificate it cannot trust", async () => {
    const sub = service.subscribe();
    expect(await gateway({ extraCa: undefined }).notify(notification(sub))).toEqual({ rejected: [], retry: true });
    await settle();
    expect(service.received(sub)).toEqual([]);
  });
});
