/**
 * "Get crisis pages on this device" (docs/CRISIS.md "Push"): the console's service worker
 * (`/console/sw.js`, scope `/console/`, the only one the app has), a Web Push subscription with
 * the bots service's VAPID key, and a Matrix pusher set through the homeserver, so the triage
 * bot's pages reach this device while the console is closed. The pusher belongs to this sign-in's
 * device: signing out deletes it on the server, and the service worker here (shell/staff-session.ts).
 */
import type { StaffSession } from "../shell/staff-session.ts";
import { base64url } from "../../matrix/base64.ts";
import { lang } from "../../words/i18n.ts";

export type PagesState = "unsupported" | "blocked" | "off" | "working" | "on" | "failed";

export const SW_URL = "/console/sw.js";
export const SW_SCOPE = "/console/";
/** This sign-in set a pusher for this key (removed with the console's other keys at sign-out). */
const PUSHER_KEY = "onsafe.console.pusher"; // CONSOLE_STORAGE_PREFIX + "pusher"

export function pagesSupported(): boolean {
  return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

/** What this device is set for now, without asking anything of the person. */
export async function pagesState(): Promise<PagesState> {
  if (!pagesSupported()) return "unsupported";
  if (Notification.permission === "denied") return "blocked";
  const registration = await navigator.serviceWorker.getRegistration(SW_SCOPE).catch(() => undefined);
  const subscription = await registration?.pushManager.getSubscription().catch(() => null);
  return subscription && localStorage.getItem(PUSHER_KEY) === p256dh(subscription) ? "on" : "off";
}

/** Asks for notifications if needed, registers the worker, subscribes and sets the pusher. */
export async function getCrisisPages(session: StaffSession): Promise<PagesState> {
  if (!pagesSupported()) return "unsupported";
  if ((await Notification.requestPermission()) !== "granted") return Notification.permission === "denied" ? "blocked" : "off";
  const config = await session.ops.pushConfig();
  const registration = await navigator.serviceWorker.register(SW_URL, { scope: SW_SCOPE, type: "classic" });
  // The console page (`/console`) is outside the scope, so `navigator.serviceWorker.ready` would never settle: wait for this one.
  await activated(registration);
  const key = fromBase64Url(config.vapid_public_key);
  let subscription = await registration.pushManager.getSubscription();
  // A subscription made with another server key (the bots service's keys were made anew) cannot be used.
  if (subscription && !sameBytes(subscription.options.applicationServerKey, key)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  const json = subscription.toJSON();
  const pushkey = p256dh(subscription);
  await session.client.setPusher({
    kind: "http",
    app_id: config.app_id,
    pushkey,
    app_display_name: "onsafe console",
    // Fixed: nothing about this browser or computer goes to the server.
    device_display_name: "onsafe console",
    lang: lang(),
    data: { url: config.gateway_url, format: "event_id_only", endpoint: json.endpoint, auth: json.keys?.auth } as { url: string },
    append: false,
  });
  localStorage.setItem(PUSHER_KEY, pushkey);
  return "on";
}

function activated(registration: ServiceWorkerRegistration): Promise<void> {
  if (registration.active) return Promise.resolve();
  const worker = registration.installing ?? registration.waiting;
  return new Promise((resolve, reject) => {
    if (!worker) return reject(new Error("the service worker did not install"));
    worker.addEventListener("statechange", () => {
      if (worker.state === "activated") resolve();
      if (worker.state === "redundant") reject(new Error("the service worker did not install"));
    });
  });
}

/** The subscription's public key, base64url without padding: the pusher's `pushkey`. */
function p256dh(subscription: PushSubscription): string {
  return base64url(new Uint8Array(subscription.getKey("p256dh") ?? new ArrayBuffer(0)));
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function sameBytes(a: ArrayBuffer | null, b: Uint8Array): boolean {
  if (!a || a.byteLength !== b.length) return false;
  const view = new Uint8Array(a);
  return view.every((byte, i) => byte === b[i]);
}
