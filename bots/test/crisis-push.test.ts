/**
 * A crisis page reaches a staff member's device by push, end to end
 * (docs/CRISIS.md "Push"): the console's pusher set on our homeserver, a
 * visitor's crisis words in triage raise an alert, nobody answers, the bots
 * service's clock is moved past the escalation time, the triage bot pages the
 * companion in their pager room, the homeserver's push rules send it to the
 * bots' gateway, and a local Web Push service on loopback (test mode) checks
 * the VAPID signature and decrypts exactly `{"v":1,"kind":"page"}`. Then the
 * push service drops the subscription (410) and the homeserver deletes the
 * pusher.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PushConfigJson, WEB_PUSH_APP_ID } from "@onsafe/schema";
import { type BrowserSubscription, LocalPushService } from "../../test-support/push-service.ts";
import type { SdkClient } from "../../test-support/sdk-client.ts";
import type { Clock } from "../src/queue/index.ts";
import { answerTriage, eventually } from "./conversation.ts";
import { Stack } from "./stack.ts";

/** The service's clock, moved on by hand; the homeserver keeps real time. */
class MovedClock implements Clock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
}

const clock = new MovedClock();
let service: LocalPushService;
let stack: Stack;
let mina: SdkClient;
let sub: BrowserSubscription;

const pushers = async () => {
  const reply = await stack.hs.call(mina.account, "GET", "/pushers");
  expect(reply.status).toBe(200);
  return reply.body.pushers as { pushkey: string }[];
};

beforeAll(async () => {
  service = await LocalPushService.start();
  stack = await Stack.start({
    clock,
    // Offers must not lapse while the clock is moved.
    offerTimeoutMs: 24 * 3_600_000,
    homeserver: { pushAllowPrivateEndpoints: true },
    push: { extraCaFile: service.caFile, allowPrivateEndpoints: true },
  });
  mina = await stack.staff("mina", { capacity: 10 });
}, 120_000);
afterAll(async () => {
  await stack?.close();
  await service?.close();
});

const alertsOf = async () => (await stack.ops(mina.account, "GET", "/alerts")).body.alerts as { id: string; level: number; level_at: number }[];

/**
 * A visitor's crisis words raise an alert; the clock is moved 120 s on; the
 * page's push must reach mina's subscription. Prints escalation → push received.
 */
async function escalatedPage(what: string): Promise<void> {
  const victim = await stack.visitor();
  const roomId = await stack.startConversation(victim);
  await answerTriage(victim, roomId, stack.triageBot, [["language", "한국어"]]);
  await stack.say(victim, roomId, "그 영상 때문에 죽고 싶어요");
  const crisisCase = await eventually(async () => stack.bots.queue.cases.getByRoom(roomId), (row) => row?.crisis === true, "the case marked crisis");
  await eventually(alertsOf, (alerts) => alerts.length === 1, "the alert in mina's console");
  const pushesBefore = service.received(sub).length;

  // Nobody answers for 120 s.
  clock.offsetMs += 120_000;
  const [alert] = await eventually(alertsOf, (alerts) => alerts[0]?.level === 1, "the alert escalated to level 1");
  // Other events may notify mina meanwhile (as messages); the page must come among them.
  const push = await service.waitForPush(sub, { timeoutMs: 30_000, count: pushesBefore + 1, payload: '{"v":1,"kind":"page"}' });
  // The escalation's real time: the service's clock, less how far it was moved.
  const escalatedAt = alert!.level_at - clock.offsetMs;
  console.log(`crisis alert escalated → push received and decrypted (${what}): ${push.receivedAt - escalatedAt} ms`);

  expect(push.payload).toBe('{"v":1,"kind":"page"}');
  expect({ urgency: push.urgency, ttl: push.ttl }).toEqual({ urgency: "high", ttl: 600 });
  const config = (await stack.ops(mina.account, "GET", "/push/config")).body as PushConfigJson;
  expect(push.vapidKey).toBe(config.vapid_public_key);
  for (const secret of [crisisCase!.id, roomId, alert!.id, "죽고", mina.userId]) expect(push.payload).not.toContain(secret);
  expect(service.refused).toBe(0);
}

describe("a crisis page by Web Push", () => {
  it("is set up as the console does it: GET push/config, then the pusher for its subscription", async () => {
    const config = (await stack.ops(mina.account, "GET", "/push/config")).body as PushConfigJson;
    sub = service.subscribe();
    const reply = await stack.hs.call(mina.account, "POST", "/pushers/set", {
      kind: "http", app_id: config.app_id, pushkey: sub.keys.p256dh, app_display_name: "onsafe console", device_display_name: "test browser", lang: "ko",
      data: { url: config.gateway_url, format: "event_id_only", endpoint: sub.endpoint, auth: sub.keys.auth },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(config.app_id).toBe(WEB_PUSH_APP_ID);
    expect((await pushers()).map((p) => p.pushkey)).toEqual([sub.keys.p256dh]);
  });

  it("arrives with the first page (the pager room's invite), decrypted as {\"v\":1,\"kind\":\"page\"} and nothing else, urgent", async () => {
    await escalatedPage("first page, by the pager room's invite");
  }, 180_000);

  it("arrives with a later page in the pager room the companion joined", async () => {
    const pagerRoom = mina.client.getRooms().find((r) => r.name === "onsafe pager")!;
    if (pagerRoom.getMyMembership() === "invite") await mina.client.joinRoom(pagerRoom.roomId);
    const [open] = await alertsOf();
    expect((await stack.ops(mina.account, "POST", `/alerts/${open!.id}/acknowledge`, {})).status).toBe(200);
    await escalatedPage("a page in the joined pager room");
  }, 180_000);

  it("stops when the push service says the subscription is gone (410): the homeserver deletes the pusher", async () => {
    service.markGone(sub);
    const sora = await stack.staff("sora");
    // Any event that notifies mina: an invite to a room (`.m.rule.invite_for_me`).
    await sora.client.createRoom({ invite: [mina.userId] });
    await eventually(pushers, (list) => list.length === 0, "the pusher deleted", 60_000);
  }, 120_000);
});
