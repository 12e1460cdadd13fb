/**
 * Issue 22, the console's part (docs/CRISIS.md "The console", the service worker of "Push"), in
 * Chromium against the real service: a companion (1280 px) and a supervisor (360 px) on shift; a
 * visitor (matrix-js-sdk) types crisis words during triage, and the crisis banner shows in both
 * consoles within 2 s of the send (measured), the alarm tone rings and repeats, the console in a
 * hidden tab shows one browser notification; the triage bot's pager room (a page at level 1, the
 * service clock moved) is joined by itself and, like the duty room, never listed; "I'm on it" in one
 * console takes the banner away from the other, which says who. Then the service worker alone: a
 * push delivered through the DevTools protocol shows the fixed notification; the victim app
 * registers none.
 */
import { describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { nextPrompt } from "../../bots/test/conversation.ts";
import type { Clock } from "../../bots/src/queue/index.ts";
import { axeViolations, screenshot } from "../../test-support/browser.ts";
import type { SdkClient } from "../../test-support/sdk-client.ts";
import { useBrowserStack } from "./browser-stack.ts";
import { signInToConsole, watchPageErrors } from "./console-page.ts";

/** The bots service's clock, moved on by hand to reach an alert's level 1; the homeserver and browsers keep real time. */
class MovedClock implements Clock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
}

const clock = new MovedClock();
const env = useBrowserStack({ stack: { clock } });

/** What a console page did, recorded from its first script on (an init script): tones, notifications, when the banner first showed. */
interface PageRecord {
  tones: number[];
  notifications: { title: string; body?: string; tag?: string; requireInteraction?: boolean }[];
  bannerAt: number | null;
  bannerCase: string | null;
  /** When the alert left the banner. */
  goneAt?: number;
  subscribed?: { userVisibleOnly: boolean; serverKey: string; p256dh: string; endpoint: string };
}

function recorder(): void {
  const w = window as unknown as { record: PageRecord; pretendHidden?: boolean };
  w.record = { tones: [], notifications: [], bannerAt: null, bannerCase: null };
  // Each tone is an oscillator started: its pitch tells the crisis alarm (880 Hz) from an offer's tone.
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (this: OscillatorNode, ...args: [number?]) {
    w.record.tones.push(this.frequency.value);
    return start.apply(this, args);
  };
  // Chromium's headless shell denies notifications whatever the context granted: the permission is
  // granted (grantPermissions) and said so here, and each notification the console makes is recorded.
  // Chromium holds a page's sound until a press or a key (its autoplay policy), which the headless shell
  // does not apply: a context here says "suspended" until resumed after one, as a browser on a desk does.
  const realState = Object.getOwnPropertyDescriptor(BaseAudioContext.prototype, "state")!.get!;
  const realResume = AudioContext.prototype.resume;
  let released = false;
  Object.defineProperty(BaseAudioContext.prototype, "state", { configurable: true, get(this: BaseAudioContext) { return released ? realState.call(this) : "suspended"; } });
  AudioContext.prototype.resume = function (this: AudioContext) {
    if (navigator.userActivation.hasBeenActive) released = true;
    return realResume.call(this);
  };
  const Real = window.Notification;
  class Recorded extends Real {
    static override get permission(): NotificationPermission {
      return "granted";
    }
    static override requestPermission(): Promise<NotificationPermission> {
      return Promise.resolve("granted");
    }
    constructor(title: string, options?: NotificationOptions) {
      w.record.notifications.push({ title, body: options?.body, tag: options?.tag, requireInteraction: options?.requireInteraction });
      super(title, options);
    }
  }
  window.Notification = Recorded;
  // Nor has it a push service: a subscription is made here, with a real P-256 key and a public-looking
  // endpoint, so the console's pusher goes to the homeserver as it would from a browser with one.
  let subscription: PushSubscription | null = null;
  const b64 = (bytes: ArrayBuffer) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  PushManager.prototype.getSubscription = async () => subscription;
  PushManager.prototype.subscribe = async (options?: PushSubscriptionOptionsInit) => {
    const pair = await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]);
    const p256dh = await crypto.subtle.exportKey("raw", pair.publicKey);
    const auth = crypto.getRandomValues(new Uint8Array(16)).buffer;
    const endpoint = `https://push.example.org/send/${b64(crypto.getRandomValues(new Uint8Array(12)).buffer)}`;
    const key = options?.applicationServerKey as Uint8Array;
    w.record.subscribed = { userVisibleOnly: options?.userVisibleOnly === true, serverKey: b64(key.slice().buffer), p256dh: b64(p256dh), endpoint };
    subscription = {
      endpoint,
      options: { applicationServerKey: key.slice().buffer, userVisibleOnly: true },
      getKey: (name: string) => (name === "p256dh" ? p256dh : auth),
      toJSON: () => ({ endpoint, keys: { p256dh: b64(p256dh), auth: b64(auth) } }),
      unsubscribe: async () => { subscription = null; return true; },
    } as unknown as PushSubscription;
    return subscription;
  };
  // Headless Chromium's tabs are always visible: the test hides one by saying so.
  Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (w.pretendHidden ? "hidden" : "visible") });
  Object.defineProperty(document, "hidden", { configurable: true, get: () => w.pretendHidden === true });
  new MutationObserver(() => {
    const alert = document.querySelector(".crisis-alert");
    if (w.record.bannerAt !== null) {
      if (!alert && w.record.goneAt === undefined) w.record.goneAt = Date.now();
      return;
    }
    if (!alert) return;
    w.record.bannerAt = Date.now();
    w.record.bannerCase = alert.getAttribute("data-case");
  }).observe(document, { subtree: true, childList: true });
}

const record = (page: Page) => page.evaluate(() => (window as unknown as { record: PageRecord }).record);
const ALARM_HZ = 880;
const alarms = async (page: Page) => (await record(page)).tones.filter((hz) => hz === ALARM_HZ).length;
const crisisNotifications = async (page: Page) => (await record(page)).notifications.filter((n) => n.tag?.startsWith("onsafe-crisis-"));

async function consoleFor(context: BrowserContext, name: string): Promise<{ page: Page; errors: string[] }> {
  await context.grantPermissions(["notifications"], { origin: env.stack.hs.url });
  await context.addInitScript(recorder);
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await signInToConsole(page, env.stack.hs.url, name);
  return { page, errors };
}

/** A room of `client`'s by a test, if any. */
const roomWhere = (client: SdkClient, test: (content: Record<string, unknown>, name: string | undefined) => boolean, membership: string) =>
  client.client.getRooms().find((r) => r.getMyMembership() === membership
    && test(r.currentState.getStateEvents("m.room.create", "")?.getContent() ?? {}, r.currentState.getStateEvents("m.room.name", "")?.getContent().name as string | undefined));

describe("crisis alerts in the console", () => {
  it("a crisis in triage shows in both on-shift consoles within 2 s, rings, notifies a hidden tab; pager and duty rooms stay out of the list; I'm on it clears the other console and says who", async () => {
    const stack = env.stack;
    const mina = await stack.staff("mina", { kind: "companion" });
    await stack.staff("jun", { kind: "supervisor" });
    const wide = await consoleFor(await env.tablet({ viewport: { width: 1280, height: 800 } }), "mina");
    const phone = await consoleFor(await env.phone(), "jun");
    // Jun's console is in a background tab: the notification is for that case.
    await phone.page.evaluate(() => {
      (window as unknown as { pretendHidden: boolean }).pretendHidden = true;
      document.dispatchEvent(new Event("visibilitychange"));
    });

    const victim = await stack.visitor();
    const roomId = await stack.startConversation(victim);
    await nextPrompt(victim, roomId, stack.triageBot);
    const sent = Date.now();
    await stack.say(victim, roomId, "i just want to die honestly. he has my nudes");
    const shown = async (page: Page) => {
      await page.waitForFunction(() => (window as unknown as { record: PageRecord }).record.bannerAt !== null, undefined, { timeout: 60_000 });
      return record(page);
    };
    const [atWide, atPhone] = await Promise.all([shown(wide.page), shown(phone.page)]);
    const caseId = atWide.bannerCase!;
    const latencies = { companion: atWide.bannerAt! - sent, supervisor: atPhone.bannerAt! - sent };
    const raised = ((await stack.ops(mina.account, "GET", "/alerts")).body.alerts as { case_id: string; raised_at: number }[]).find((a) => a.case_id === caseId)!.raised_at;
    console.log(`crisis words sent -> banner shown: companion console ${latencies.companion} ms, supervisor console ${latencies.supervisor} ms `
      + `(sent -> alert raised by the bots ${raised - sent} ms; raised -> banner ${atWide.bannerAt! - raised} and ${atPhone.bannerAt! - raised} ms)`);
    expect(caseId).toMatch(/^c-/);
    expect(atPhone.bannerCase).toBe(caseId);
    expect(latencies.companion).toBeLessThan(2000);
    expect(latencies.supervisor).toBeLessThan(2000);

    for (const { page } of [wide, phone]) {
      const banner = page.locator(`.crisis-alert[data-case="${caseId}"]`);
      await expect.poll(() => banner.getByRole("alert").textContent()).toBe(`Crisis alert Case ${caseId} needs someone now.`);
      expect(await banner.getByRole("button", { name: "I'm on it" }).isVisible()).toBe(true);
    }
    // The console opened again in a new tab (signed in still) has had no press: the browser keeps it silent,
    // and the banner asks for one.
    const again = await wide.page.context().newPage();
    await again.goto(`${stack.hs.url}/console`);
    await again.locator(`.crisis-alert[data-case="${caseId}"]`).waitFor({ timeout: 60_000 });
    await again.getByText("The browser is holding the alarm's sound back.").waitFor({ timeout: 30_000 });
    await again.getByRole("button", { name: "Turn the sound on" }).click();
    await again.locator(".crisis-sound").waitFor({ state: "detached", timeout: 10_000 });
    await again.close();

    // Whoever it is offered to (the queue decides) has the way to it in the banner; the other has not.
    const accepts = (page: Page) => page.locator(`.crisis-alert[data-case="${caseId}"]`).getByRole("button", { name: "Accept and open the case" });
    await expect.poll(async () => await accepts(wide.page).count() + await accepts(phone.page).count(), { timeout: 30_000 }).toBe(1);
    const offeredTo = (await stack.ops(mina.account, "GET", "/queue")).body.cases.find((c: { id: string }) => c.id === caseId)?.offered_to;
    expect(await accepts(offeredTo === mina.userId ? wide.page : phone.page).count()).toBe(1);

    // The alarm at once, then again every 5 s while nobody answers, in both consoles.
    await expect.poll(() => alarms(wide.page), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    await expect.poll(() => alarms(phone.page), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    // One notification, in the hidden tab only: fixed words and the case id.
    expect(await crisisNotifications(phone.page)).toEqual([{ title: "onsafe crisis alert", body: `Case ${caseId} needs someone now.`, tag: expect.stringMatching(/^onsafe-crisis-a_/), requireInteraction: true }]);
    expect(await crisisNotifications(wide.page)).toEqual([]);

    await screenshot(wide.page, "crisis-banner-1280");
    await screenshot(phone.page, "crisis-banner-360");
    expect(await axeViolations(wide.page)).toEqual([]);
    expect(await axeViolations(phone.page)).toEqual([]);
    // In Korean too, on the phone.
    await phone.page.locator(".workspace-bar .lang-switch").click();
    expect(await phone.page.locator(`.crisis-alert[data-case="${caseId}"]`).getByRole("alert").textContent()).toBe(`위기 알림 사례 ${caseId}에 지금 응답이 필요해요.`);
    expect(await phone.page.getByRole("button", { name: "제가 맡을게요" }).isVisible()).toBe(true);
    await screenshot(phone.page, "crisis-banner-360-ko");
    await phone.page.locator(".workspace-bar .lang-switch").click();
    await phone.page.getByRole("button", { name: "I'm on it" }).waitFor();
    // The banner fits a phone: nothing sideways, "I'm on it" in reach.
    expect(await phone.page.evaluate(() => Array.from(document.querySelectorAll("*")).filter((e) => e.getBoundingClientRect().right > 361).map((e) => `${e.tagName}.${e.className}`).slice(0, 8))).toEqual([]);
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    // Unanswered for 2 min (the service's clock moved): a page to everyone on shift, in each one's pager room,
    // which the console joins by itself and never lists; nor the duty room, where the bot's notice went.
    clock.offsetMs += 125_000;
    const pager = await waitFor(() => roomWhere(mina, (create) => create["org.onsafe.room"] === "pager", "join"), "Mina's console to join her pager room", 60_000);
    const duty = await waitFor(() => roomWhere(mina, (_create, name) => name === "onsafe duty", "invite"), "the duty room's invite", 60_000);
    await mina.client.joinRoom(duty.roomId);
    await waitFor(() => roomWhere(mina, (_create, name) => name === "onsafe duty", "join"), "Mina in the duty room", 30_000);
    await wide.page.locator(`[role=tab][data-room="${roomId}"]`).or(wide.page.locator(".conversation-empty")).first().waitFor();
    for (const id of [pager.roomId, duty.roomId]) expect(await wide.page.locator(`[role=tab][data-room="${id}"]`).count()).toBe(0);

    // Jun answers on his phone: the banner leaves Mina's console, saying it was him, then goes.
    const answered = Date.now();
    await phone.page.locator(`.crisis-alert[data-case="${caseId}"]`).getByRole("button", { name: "I'm on it" }).click();
    await phone.page.getByText(`You are on case ${caseId}.`).waitFor({ timeout: 10_000 });
    await wide.page.locator(`.crisis-alert[data-case="${caseId}"]`).waitFor({ state: "detached", timeout: 10_000 });
    const cleared = (await record(wide.page)).goneAt! - answered;
    const who = wide.page.locator(`.crisis-answered[data-alert]`);
    await who.waitFor({ timeout: 10_000 });
    console.log(`the other console says: ${await who.textContent()}`);
    // GET alerts lists an answered alert for a moment with who answered, so the other console can name them.
    expect(await who.textContent()).toBe(`jun is on case ${caseId}.`);
    console.log(`I'm on it pressed -> banner gone from the other console: ${cleared} ms`);
    await screenshot(wide.page, "crisis-answered-1280");
    await screenshot(phone.page, "crisis-answered-360");
    expect(await axeViolations(wide.page)).toEqual([]);
    const ringing = await alarms(wide.page);
    await wide.page.locator(".crisis-banner").waitFor({ state: "detached", timeout: 30_000 });
    // No more alarm once answered.
    expect(await alarms(wide.page)).toBe(ringing);
    expect(await crisisNotifications(phone.page)).toHaveLength(1);

    // Off shift, On call says what it is for, and sets it.
    await wide.page.getByRole("switch", { name: "On shift" }).uncheck();
    await wide.page.getByText("Off shift, you still get crisis alerts nobody has answered.").waitFor({ timeout: 30_000 });
    await wide.page.getByRole("switch", { name: "On call" }).check();
    await expect.poll(async () => (await stack.ops(mina.account, "GET", "/me")).body.on_call, { timeout: 30_000 }).toBe(true);

    // Crisis pages on this device: the service worker registered at /console/, a subscription with the
    // bots' VAPID key, and the pusher set with the homeserver for this device.
    await wide.page.getByText("Settings").click();
    await wide.page.getByRole("button", { name: "Get crisis pages on this device" }).click();
    await wide.page.getByText("Crisis pages come to this device.").waitFor({ timeout: 30_000 });
    const config = (await stack.ops(mina.account, "GET", "/push/config")).body as { gateway_url: string; app_id: string; vapid_public_key: string };
    const subscribed = (await record(wide.page)).subscribed!;
    expect(subscribed).toMatchObject({ userVisibleOnly: true, serverKey: config.vapid_public_key });
    const { pushers } = await mina.client.getPushers();
    expect(pushers).toEqual([expect.objectContaining({
      kind: "http", app_id: config.app_id, pushkey: subscribed.p256dh, app_display_name: "onsafe console", lang: "en",
      data: expect.objectContaining({ url: config.gateway_url, endpoint: subscribed.endpoint, format: "event_id_only" }),
    })]);
    expect(await wide.page.evaluate(async () => (await navigator.serviceWorker.getRegistration("/console/"))?.active?.scriptURL)).toBe(`${stack.hs.url}/console/sw.js`);
    await screenshot(wide.page, "crisis-settings-1280");
    expect([...wide.errors, ...phone.errors]).toEqual([]);

    // Signing out ends them here: the device's pusher goes with the device, the worker with the sign-out.
    await wide.page.keyboard.press("Escape");
    await wide.page.getByRole("button", { name: "Sign out" }).click();
    await wide.page.getByRole("dialog", { name: "Sign out" }).getByRole("button", { name: "Sign out" }).click();
    await wide.page.getByRole("button", { name: "Sign in" }).waitFor({ timeout: 60_000 });
    expect((await mina.client.getPushers()).pushers).toEqual([]);
    expect(await wide.page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(0);
  });

  it("the console's service worker turns a push into a fixed notification; the victim app registers none", async () => {
    const origin = env.stack.hs.url;
    const context = await env.tablet();
    await context.grantPermissions(["notifications"], { origin });
    const page = await context.newPage();
    await page.goto(`${origin}/console`);
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.register("/console/sw.js", { scope: "/console/" });
      const worker = registration.installing ?? registration.waiting ?? registration.active!;
      if (worker.state !== "activated") await new Promise<void>((resolve) => worker.addEventListener("statechange", () => { if (worker.state === "activated") resolve(); }));
    });
    const cdp = await context.newCDPSession(page);
    const registrations: { registrationId: string; scopeURL: string }[] = [];
    cdp.on("ServiceWorker.workerRegistrationUpdated", (event) => registrations.push(...event.registrations));
    await cdp.send("ServiceWorker.enable");
    const registration = await waitFor(async () => registrations.find((r) => r.scopeURL === `${origin}/console/`), "the registration's id", 10_000);
    const push = async (data: string) => cdp.send("ServiceWorker.deliverPushMessage", { origin, registrationId: registration.registrationId, data });

    // The headless shell refuses to show notifications (no permission, whatever is granted): the worker's
    // showNotification calls are recorded instead, in the worker itself, before any push.
    const worker = context.serviceWorkers().find((w) => w.url() === `${origin}/console/sw.js`) ?? await context.waitForEvent("serviceworker");
    await worker.evaluate(() => {
      const sw = self as unknown as { shown: unknown[]; registration: ServiceWorkerRegistration };
      sw.shown = [];
      sw.registration.showNotification = async (title: string, options?: NotificationOptions) => { sw.shown.push({ title, ...options }); };
    });
    const shown = () => worker.evaluate(() => (self as unknown as { shown: unknown[] }).shown);

    await push('{"v":1,"kind":"page"}');
    const page1 = { title: "onsafe: 위기 알림, 지금 응답이 필요해요", body: "onsafe: a crisis alert needs someone now", tag: "onsafe-page", requireInteraction: true, renotify: true };
    await expect.poll(shown, { timeout: 10_000 }).toEqual([page1]);
    // A message while this console window is open and visible: nothing shown (the pages after it show it was handled).
    await push('{"v":1,"kind":"message"}');
    await push("something else entirely");
    await push('{"v":1,"kind":"page"}');
    const other = { title: "onsafe: 콘솔을 확인해 주세요", body: "onsafe: please look at the console", tag: "onsafe-other" };
    await expect.poll(async () => (await shown()).length, { timeout: 10_000 }).toBe(3);
    expect(await shown()).toEqual(expect.arrayContaining([page1, other, page1]));
    // With no console window open any more (the victim app's page is no console), a message shows, quietly.
    const app = await context.newPage();
    await app.goto(origin);
    const appCdp = await context.newCDPSession(app);
    await appCdp.send("ServiceWorker.enable");
    await page.close();
    await appCdp.send("ServiceWorker.deliverPushMessage", { origin, registrationId: registration.registrationId, data: '{"v":1,"kind":"message"}' });
    await expect.poll(async () => (await shown()).length, { timeout: 10_000 }).toBe(4);
    expect((await shown())[3]).toEqual({ title: "onsafe: 콘솔에 새 소식이 있어요", body: "onsafe: something new in the console", tag: "onsafe-message", silent: true });

    // The victim app, in a profile of its own, registers no service worker.
    const victim = await (await env.phone()).newPage();
    await victim.goto(origin);
    await victim.waitForLoadState("networkidle");
    expect(await victim.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length)).toBe(0);
  });
});

async function waitFor<T>(read: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
