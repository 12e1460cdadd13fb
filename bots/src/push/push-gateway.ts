/**
 * The push gateway (docs/CRISIS.md "Push"): turns the homeserver's push
 * gateway requests (Matrix Push Gateway API, `event_id_only`) into Web Pushes
 * (RFC 8030, `aes128gcm` per RFC 8291, VAPID per RFC 8292) to the consoles'
 * service workers. A push says only whether it is a page or something else:
 * never the room, the event, the sender or any content.
 *
 * For each device of ours: the subscription is checked as the homeserver
 * checked it when the pusher was set; one that fails can never be delivered
 * and is `rejected` (the homeserver deletes the pusher). Its host is then
 * resolved and the push is not sent when any address is private (unless the
 * test mode), nor rejected: a name's addresses can change back, and deleting a
 * staff member's pusher on one answer of a resolver would silence their pages.
 * A push service's 404 or 410 (the browser dropped the subscription) rejects
 * the pushkey. A push that may go through later (the name did not resolve,
 * no connection, no answer within 8 s in all, a 5xx or 429) makes the whole
 * answer a 502, which the homeserver retries with backoff (it sends one device
 * per request, so nothing else is held back; a page sent twice shows once, its
 * notification tagged). Other refusals are not retried. Failures are logged as
 * counts, never with an endpoint.
 */
import type { LookupAddress } from "node:dns";
import { Agent } from "node:https";
import { rootCertificates } from "node:tls";
import type { JsonObject } from "@onsafe/matrix-basics";
import { type WebPushSubscription, webPushSubscriptionProblem } from "@onsafe/schema/web-push";
import { WEB_PUSH_APP_ID } from "@onsafe/schema";
import webPush, { type RequestOptions } from "web-push";
import { anyPrivate, endpointHost, pinnedLookup, type ResolveHost, resolveWithDns } from "./endpoint-addresses.ts";
import type { VapidKeys } from "./vapid-keys.ts";

/** One device of a notify request, as the homeserver sends it (the pusher's `data` without `url`). */
export interface PushDevice {
  app_id: string;
  pushkey: string;
  data: JsonObject;
}

/** The parts of a notify request's `notification` the gateway reads. */
export interface PushNotification {
  event_id: string | undefined;
  room_id: string | undefined;
  devices: PushDevice[];
}

export type PushKind = "page" | "message";

/** The whole payload of each kind, and how the push service should treat it. */
const PUSHES: Record<PushKind, { payload: string; urgency: "high" | "normal"; ttlSeconds: number }> = {
  page: { payload: JSON.stringify({ v: 1, kind: "page" }), urgency: "high", ttlSeconds: 600 },
  message: { payload: JSON.stringify({ v: 1, kind: "message" }), urgency: "normal", ttlSeconds: 3600 },
};

/** How long one push may take in all before it is given up on (and retried): under the homeserver's own 10 s wait for the gateway, so it hears why. */
const SEND_TIMEOUT_MS = 8_000;

/** One push under way: whether its time is over, and its connection's agent once it has one. */
interface Attempt {
  over: boolean;
  agent: Agent | undefined;
}

export interface PushGatewayOptions {
  vapid: VapidKeys;
  /** The VAPID `sub` claim. */
  subject: string;
  /** PEM of extra CAs to trust besides the usual roots (a test's local push service). */
  extraCa: string | undefined;
  /** Test mode: push services on loopback and private addresses are allowed. */
  allowPrivateEndpoints: boolean;
  /** Whether a room is someone's pager room (a page rather than a message). */
  isPagerRoom: (roomId: string) => boolean;
  resolve?: ResolveHost;
  /** 8 s unless given (a test's shorter wait). */
  sendTimeoutMs?: number;
}

type Outcome = "sent" | "rejected" | "private" | "failed" | "retry";

/** What the homeserver is told: pushkeys to stop using, and whether to send the notification again later. */
export interface NotifyResult {
  rejected: string[];
  retry: boolean;
}

export class PushGateway {
  private readonly resolve: ResolveHost;
  private readonly ca: string[] | undefined;
  private readonly sendTimeoutMs: number;

  constructor(private readonly options: PushGatewayOptions) {
    this.resolve = options.resolve ?? resolveWithDns;
    this.sendTimeoutMs = options.sendTimeoutMs ?? SEND_TIMEOUT_MS;
    this.ca = options.extraCa ? [...rootCertificates, options.extraCa] : undefined;
  }

  /** Sends one push per device of ours. */
  async notify(notification: PushNotification): Promise<NotifyResult> {
    // No event: a count update, which the consoles do not show; nothing to tell anyone.
    if (!notification.event_id) return { rejected: [], retry: false };
    const kind: PushKind = notification.room_id && this.options.isPagerRoom(notification.room_id) ? "page" : "message";
    const ours = notification.devices.filter((d) => d.app_id === WEB_PUSH_APP_ID);
    const outcomes = await Promise.all(ours.map((device) => this.send(device, kind)));
    const count = (o: Outcome) => outcomes.filter((x) => x === o).length;
    if (count("failed") + count("retry") + count("private") > 0) {
      console.warn(`push gateway: ${count("retry")} push(es) to try again, ${count("failed")} refused, ${count("private")} not sent (private address), ${count("sent")} sent`);
    }
    return { rejected: ours.filter((_, i) => outcomes[i] === "rejected").map((d) => d.pushkey), retry: count("retry") > 0 };
  }

  /** One device's push, given up on (and retried) after `sendTimeoutMs` whatever it is waiting for: the name, the connection or the answer. */
  private async send(device: PushDevice, kind: PushKind): Promise<Outcome> {
    const subscription = { pushkey: device.pushkey, endpoint: device.data.endpoint as string, auth: device.data.auth as string };
    if (webPushSubscriptionProblem(subscription, { allowPrivate: this.options.allowPrivateEndpoints }) !== null) return "rejected";
    const attempt: Attempt = { over: false, agent: undefined };
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<Outcome>((resolve) => { timer = setTimeout(() => resolve("retry"), this.sendTimeoutMs); });
    try {
      return await Promise.race([this.deliver(subscription, kind, attempt), deadline]);
    } finally {
      clearTimeout(timer);
      attempt.over = true;
      // Ends the push's connection if it is still open (a push service that never answers).
      attempt.agent?.destroy();
    }
  }

  private async deliver(subscription: WebPushSubscription, kind: PushKind, attempt: Attempt): Promise<Outcome> {
    let addresses: LookupAddress[];
    try {
      addresses = await this.resolve(endpointHost(subscription.endpoint));
    } catch {
      return "retry";
    }
    if (addresses.length === 0) return "retry";
    if (!this.options.allowPrivateEndpoints && anyPrivate(addresses)) return "private";
    if (attempt.over) return "retry";
    attempt.agent = new Agent({ lookup: pinnedLookup(addresses), ...(this.ca ? { ca: this.ca } : {}) });
    const push = PUSHES[kind];
    const options: RequestOptions = {
      vapidDetails: { subject: this.options.subject, publicKey: this.options.vapid.publicKey, privateKey: this.options.vapid.privateKey },
      TTL: push.ttlSeconds,
      urgency: push.urgency,
      contentEncoding: "aes128gcm",
      agent: attempt.agent,
    };
    try {
      await webPush.sendNotification({ endpoint: subscription.endpoint, keys: { p256dh: subscription.pushkey, auth: subscription.auth } }, push.payload, options);
      return "sent";
    } catch (error) {
      if (!(error instanceof webPush.WebPushError)) return "retry";
      if (error.statusCode === 404 || error.statusCode === 410) return "rejected";
      return error.statusCode >= 500 || error.statusCode === 429 ? "retry" : "failed";
    }
  }
}
