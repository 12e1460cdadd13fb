/**
 * The victim's screens in the first minutes (issue 18, items 4 and 7-10), on a
 * 360×640 phone in a real Chromium against the real homeserver and bots:
 * honest about nobody being online before Start, room for the conversation
 * (also with the on-screen keyboard open), one "Call for help" button, plain
 * words, tappable phone numbers, the recovery code offered after the hand-off,
 * and coming back (reload, recovery code) to the newest message without
 * "can't be read" while keys are still arriving.
 */
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { PHONE, screenshot, axeViolations } from "../../test-support/browser.ts";
import type { SdkClient } from "../../test-support/sdk-client.ts";
import { useBrowserStack } from "./browser-stack.ts";
import { NOTHING_STORED, storageInPage } from "./storage-probe.ts";
import { VictimPage } from "./victim-page.ts";

const env = useBrowserStack();

/**
 * Each test's counsellor is the only one on shift, so the case goes to them; with
 * room for the cases earlier tests left waiting (they are offered first).
 */
const onShift: SdkClient[] = [];
async function counsellorAlone(name: string, languages: ("en" | "ko")[] = ["en", "ko"]): Promise<SdkClient> {
  for (const earlier of onShift.splice(0)) await env.stack.setShift(earlier.account, false);
  const counsellor = await env.stack.staff(name, { languages, capacity: 20 });
  onShift.push(counsellor);
  return counsellor;
}

/** A phone's on-screen keyboard takes about 282 of 640 px (the 158 px left = 358 − 200). */
const KEYBOARD_OPEN = { width: 360, height: 358 } as const;

/** Words a victim's screen must not show (issue 18, item 10). */
const NOT_ON_VICTIM_SCREENS = [/end-to-end/i, /종단간/, /companion/i, /asks the server to erase/i];

/** Every "this message can't be read" the page ever showed, counted by an observer installed before the app loads. */
async function watchForUnreadable(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen = { count: 0 };
    (globalThis as unknown as { unreadableSeen: typeof seen }).unreadableSeen = seen;
    new MutationObserver(() => {
      seen.count = Math.max(seen.count, document.querySelectorAll(".message.unreadable:not(.opening)").length);
    }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}
const unreadableSeen = (page: Page) => page.evaluate(() => (globalThis as unknown as { unreadableSeen: { count: number } }).unreadableSeen.count);

/** The height of the message list's visible area, in CSS px. */
const roomForMessages = (page: Page) => page.evaluate(() => document.querySelector<HTMLElement>("#panel-chat .chat-scroll")!.clientHeight);
/** How far the message list is scrolled up from its newest message, in CSS px. */
const aboveNewest = (page: Page) =>
  page.evaluate(() => {
    const scroller = document.querySelector<HTMLElement>("#panel-chat .chat-scroll")!;
    return Math.round(scroller.scrollHeight - scroller.clientHeight - scroller.scrollTop);
  });

/** The newest message's height and where its top stands in the chat's view (px below the view's top), with the view's height. */
const newestMessage = (page: Page) =>
  page.evaluate(() => {
    const scroller = document.querySelector<HTMLElement>("#panel-chat .chat-scroll")!;
    const all = scroller.querySelectorAll<HTMLElement>(".messages > li");
    const newest = all[all.length - 1];
    return { height: newest.offsetHeight, viewHeight: scroller.clientHeight, top: Math.round(newest.getBoundingClientRect().top - scroller.getBoundingClientRect().top) };
  });

/** The app's own text on screen (the bots' messages are theirs to word), without what is hidden from view. */
const visibleText = (page: Page) =>
  page.evaluate(() => {
    let text = document.body.innerText;
    for (const body of Array.from(document.querySelectorAll<HTMLElement>(".messages .body"))) text = text.replace(body.innerText, "");
    return text;
  });

function telLinks(page: Page, scope: string): Promise<string[]> {
  return page.locator(`${scope} a[href^="tel:"]`).evaluateAll((links) => links.map((a) => a.getAttribute("href")!));
}

/** The rooms the page has talked to (its chat among them). */
function roomsOf(victim: VictimPage): Set<string> {
  return new Set(victim.requests.flatMap((url) => /\/rooms\/(![^/?]+)/.exec(decodeURIComponent(url))?.[1] ?? []));
}

/** Answers by tapping until the companion is invited to this victim's chat, and lets them join at once. */
async function toCounsellor(victim: VictimPage, companion: SdkClient, passedOn = "We've passed your answers to your counsellor"): Promise<string> {
  const invite = () => companion.client.getRooms().find((room) => room.getMyMembership() === "invite" && roomsOf(victim).has(room.roomId));
  await victim.answerTriageByTapping(async () => invite() !== undefined);
  const roomId = invite()!.roomId;
  await companion.client.joinRoom(roomId);
  await victim.page.getByText(passedOn).waitFor({ timeout: 45_000 });
  return roomId;
}

describe("before Start, and after hours", () => {
  it("says in English and Korean when nobody is online now, a crisis then gets its lines as call buttons, and nothing is said when a counsellor is on", async () => {
    const english = await VictimPage.open(await env.phone(), env.stack.hs.url);
    await english.page.getByText("No counsellor is online right now").waitFor({ timeout: 30_000 });
    expect(await axeViolations(english.page)).toEqual([]);
    await screenshot(english.page, "landing-closed-en");
    // After hours, crisis words get one message whose lines are large call buttons (the bot's org.onsafe.call).
    await english.start();
    await english.send("i just want to die honestly");
    const calls = english.page.locator(".message.from-bot .call-lines a.call-button");
    await calls.first().waitFor({ timeout: 20_000 }).catch(async (error) => {
      throw new Error(`no call buttons; ${await english.describe()}`, { cause: error });
    });
    expect(await telLinks(english.page, ".message.from-bot .call-lines")).toEqual(expect.arrayContaining(["tel:109", "tel:1366", "tel:112"]));
    expect((await calls.first().boundingBox())!.height).toBeGreaterThanOrEqual(48);
    expect(await axeViolations(english.page)).toEqual([]);
    // Taller than the screen, the crisis message shows from its start ("You are not alone"), its buttons below.
    expect(await newestMessage(english.page).then((m) => m.height > m.viewHeight)).toBe(true);
    await expect.poll(() => newestMessage(english.page).then((m) => m.top), { timeout: 5_000 }).toBeGreaterThanOrEqual(0);
    expect((await newestMessage(english.page)).top).toBeLessThanOrEqual(40);
    await screenshot(english.page, "after-hours-crisis-en");

    const korean = await VictimPage.open(await env.phone({ locale: "ko-KR" }), env.stack.hs.url);
    await korean.page.getByText("지금은 연결할 수 있는 상담사가 없어요").waitFor({ timeout: 30_000 });
    await screenshot(korean.page, "landing-closed-ko");

    await counsellorAlone("hana");
    const later = await VictimPage.open(await env.phone(), env.stack.hs.url);
    await later.page.getByRole("button", { name: "Start chatting" }).waitFor();
    // The config has been read once the chat code is fetched (after the first paint): still nothing said.
    await expect.poll(() => later.requests.some((url) => url.includes("/public/config")), { timeout: 30_000 }).toBe(true);
    await later.page.waitForTimeout(500);
    expect(await later.page.getByText("No counsellor is online right now").count()).toBe(0);
  });
});

describe("the first minutes on a 360×640 phone", () => {
  it("leaves room for the conversation, speaks plainly, links phone numbers, offers the code after the hand-off, and comes back to the newest message", async () => {
    const companion = await counsellorAlone("dara");
    const victim = await VictimPage.open(await env.phone(), env.stack.hs.url);
    const page = victim.page;
    await watchForUnreadable(page);

    expect(await page.locator('meta[name="viewport"]').getAttribute("content")).toContain("interactive-widget=resizes-content");
    await page.getByRole("heading", { level: 1 }).waitFor();
    for (const word of NOT_ON_VICTIM_SCREENS) expect(await visibleText(page)).not.toMatch(word);

    await victim.start();
    // The first thing on screen is the question, not a recovery code.
    expect(await page.getByTestId("recovery-code").count()).toBe(0);
    // The buttons carry the numbers the bot's text would list.
    expect(await page.getByRole("button", { name: /^1\. / }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "first-minutes-question-en");

    // One "Call for help" button opens the lines, each a call (on the chat screen, once the room is there).
    await page.getByText("Menu", { exact: true }).waitFor({ timeout: 45_000 });
    await screenshot(page, "first-minutes-question-chat-en");
    await page.getByText("Call for help", { exact: true }).click();
    const lines = await telLinks(page, ".call-help");
    expect(lines).toEqual(expect.arrayContaining(["tel:1366", "tel:112", "tel:109", "tel:027358994"]));
    await screenshot(page, "first-minutes-call-for-help-en");
    expect(await axeViolations(page)).toEqual([]);
    await page.getByText("Call for help", { exact: true }).click();
    await page.locator(".call-help-lines").waitFor({ state: "hidden" });

    const roomId = await toCounsellor(victim, companion);
    // After the hand-off: no old questions to answer, no queue card, the code offered in plain words.
    await expect.poll(() => victim.options().count()).toBe(0);
    await expect.poll(() => page.locator(".queue").count()).toBe(0);
    await page.getByRole("button", { name: "Show my code" }).first().waitFor();
    // Only that the answers were passed on: the risk screen's answers could be read over a shoulder.
    expect(await page.locator(".summary").textContent()).toBe("We've passed your answers to your counsellor.");

    await companion.sendText(roomId, "Call 1366 any time, or 02-735-8994. We spoke on 2026-12-07 at 10:30, case 2024-1234.");
    const numbers = page.locator(".message.from-other").filter({ hasText: "Call 1366 any time" });
    await numbers.waitFor({ timeout: 45_000 });
    expect(await telLinks(page, ".message.from-other")).toEqual(["tel:1366", "tel:027358994"]);

    for (const word of NOT_ON_VICTIM_SCREENS) expect(await visibleText(page)).not.toMatch(word);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "first-minutes-counsellor-en");

    // Writing to the counsellor answers the offer with "not now": with the keyboard open the card would hide their words.
    await page.getByRole("textbox", { name: "Message" }).fill("Thank you. I'm scared he will post it.");
    await page.getByRole("button", { name: "Send" }).click();
    await page.locator(".message.from-me", { hasText: "I'm scared he will post it." }).waitFor();
    await expect.poll(() => page.locator(".recovery-offer").count()).toBe(0);

    // Room for the conversation, with and without the keyboard; quick exit stays on screen.
    const room = await roomForMessages(page);
    await page.getByRole("textbox", { name: "Message" }).focus();
    await page.setViewportSize(KEYBOARD_OPEN);
    await expect.poll(() => page.evaluate(() => window.innerHeight)).toBe(KEYBOARD_OPEN.height);
    // The newest message stays in view as the keyboard takes its room.
    await expect.poll(() => aboveNewest(page), { timeout: 5_000 }).toBeLessThanOrEqual(4);
    const roomWithKeyboard = await roomForMessages(page);
    console.log(`[victim app] px for messages at 360x640: ${room}; with the keyboard open (360x358): ${roomWithKeyboard}`);
    const exit = (await page.getByRole("button", { name: /^Quick exit/ }).boundingBox())!;
    expect(exit.y).toBeGreaterThanOrEqual(0);
    expect(exit.y + exit.height).toBeLessThanOrEqual(KEYBOARD_OPEN.height);
    await screenshot(page, "first-minutes-keyboard-en");
    await page.setViewportSize(PHONE.viewport);
    expect(room).toBeGreaterThanOrEqual(480);
    expect(roomWithKeyboard).toBeGreaterThanOrEqual(200);

    // The menu keeps the code and the way to keep nothing.
    await page.getByText("Menu", { exact: true }).click();
    await page.getByRole("button", { name: "Don't keep anything on this phone" }).waitFor();
    await page.locator(".menu-items").getByRole("button", { name: "Show my code" }).click();
    await expect.poll(() => page.getByTestId("recovery-code").textContent()).toMatch(/^([a-z2-9]{4}-){8}[a-z2-9]{4}$/);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "first-minutes-code-en");

    // Coming back: at the newest message, without the old place in line or "can't be read".
    for (let i = 1; i <= 12; i++) await companion.sendText(roomId, `Message ${i} from your counsellor.`);
    await page.getByText("Message 12 from your counsellor.").waitFor({ timeout: 20_000 });
    await page.reload();
    await page.getByText("Message 12 from your counsellor.").waitFor({ timeout: 30_000 });
    await expect.poll(() => aboveNewest(page), { timeout: 45_000 }).toBeLessThanOrEqual(4);
    expect(await page.locator(".queue").count()).toBe(0);
    expect(await victim.options().count()).toBe(0);
    expect(await unreadableSeen(page)).toBe(0);
    await screenshot(page, "first-minutes-reloaded-en");

    // Scrolled up to read, the victim stays there while the keyboard opens.
    await page.evaluate(() => { document.querySelector<HTMLElement>("#panel-chat .chat-scroll")!.scrollTop -= 300; });
    await expect.poll(() => aboveNewest(page)).toBeGreaterThanOrEqual(290);
    await page.setViewportSize(KEYBOARD_OPEN);
    await expect.poll(() => page.evaluate(() => window.innerHeight)).toBe(KEYBOARD_OPEN.height);
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    expect(await aboveNewest(page)).toBeGreaterThanOrEqual(290);
    await page.setViewportSize(PHONE.viewport);
  });

  it("says so on screen when nothing is kept, and warns before the page is left", async () => {
    await counsellorAlone("sol");
    const victim = await VictimPage.open(await env.phone(), env.stack.hs.url);
    const page = victim.page;
    await page.getByRole("checkbox", { name: "Don't keep anything on this device" }).check();
    await victim.start();
    await page.locator("#panel-chat").getByText("Nothing is kept on this phone").waitFor({ timeout: 45_000 });
    // From the opening screen on, and on the chat screen once the room is there (its menu).
    await page.getByText("Menu", { exact: true }).waitFor({ timeout: 45_000 });
    const warned = new Promise<string>((resolve) => page.once("dialog", (dialog) => {
      resolve(dialog.type());
      void dialog.dismiss();
    }));
    await page.close({ runBeforeUnload: true });
    const noWarning = new Promise<string>((resolve) => setTimeout(() => resolve("no warning within 10 s"), 10_000));
    expect(await Promise.race([warned, noWarning])).toBe("beforeunload");
  });

  it("shows the same in Korean, in plain words", async () => {
    const companion = await counsellorAlone("bora", ["ko", "en"]);
    const victim = await VictimPage.open(await env.phone({ locale: "ko-KR" }), env.stack.hs.url);
    const page = victim.page;
    await page.getByRole("heading", { level: 1 }).waitFor();
    await victim.start();
    expect(await page.getByTestId("recovery-code").count()).toBe(0);
    await page.getByText("메뉴", { exact: true }).waitFor({ timeout: 45_000 });
    const composer = page.getByRole("textbox", { name: "메시지" });
    await composer.fill("아직 보내지 않은 말");
    await page.getByText("도움 전화", { exact: true }).click();
    expect(await telLinks(page, ".call-help")).toEqual(expect.arrayContaining(["tel:1366", "tel:112", "tel:109", "tel:027358994"]));
    await screenshot(page, "first-minutes-call-for-help-ko");
    // A tap anywhere else closes it and does nothing more: here "Send" under the tap does not send.
    const send = (await page.getByRole("button", { name: "보내기" }).boundingBox())!;
    await page.mouse.click(send.x + send.width / 2, send.y + send.height / 2);
    await page.locator(".call-help-lines").waitFor({ state: "hidden" });
    expect(await composer.inputValue()).toBe("아직 보내지 않은 말");
    await composer.fill("");
    await toCounsellor(victim, companion, "상담사에게 답변을 전해 드렸어요");
    await page.getByRole("button", { name: "내 코드 보기" }).first().waitFor();
    for (const word of NOT_ON_VICTIM_SCREENS) expect(await visibleText(page)).not.toMatch(word);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "first-minutes-counsellor-ko");
  });
});

describe("keeping nothing, chosen in the menu", () => {
  it("moves a kept chat to memory only: nothing stays on the phone, earlier messages stay readable, and the chat goes on", async () => {
    const companion = await counsellorAlone("nari");
    const victim = await VictimPage.open(await env.phone(), env.stack.hs.url);
    const page = victim.page;
    await victim.start();
    const roomId = await toCounsellor(victim, companion);
    await companion.sendText(roomId, "I'm Nari. Take your time.");
    await page.getByText("I'm Nari. Take your time.").waitFor({ timeout: 45_000 });
    expect((await storageInPage(page)).localStorage).toContain("onsafe.session");

    await page.getByText("Menu", { exact: true }).click();
    await page.getByRole("button", { name: "Don't keep anything on this phone" }).click();
    const dialog = page.getByRole("dialog", { name: "Don't keep anything on this phone?" });
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "keep-nothing-dialog-en");
    await dialog.getByRole("button", { name: "Don't keep anything" }).click();
    await page.locator("#panel-chat").getByText("Nothing is kept on this phone").waitFor({ timeout: 30_000 });

    await page.getByText("I'm Nari. Take your time.").waitFor({ timeout: 45_000 });
    await expect.poll(() => page.locator(".message.unreadable").count(), { timeout: 35_000 }).toBe(0);
    await expect.poll(() => storageInPage(page), { timeout: 30_000 }).toEqual(NOTHING_STORED);
    await victim.send("Still here, from memory only.");
    await companion.waitForMessage(roomId, "Still here, from memory only.");
    await companion.sendText(roomId, "I can read you.");
    await page.getByText("I can read you.").waitFor({ timeout: 20_000 });
    expect(await storageInPage(page)).toEqual(NOTHING_STORED);
    expect(await page.getByRole("button", { name: "Don't keep anything on this phone" }).count()).toBe(0);
  });
});

describe("coming back on another phone with the recovery code", () => {
  it("says the messages are still opening while their keys arrive, never that they can't be read", async () => {
    const companion = await counsellorAlone("yeon");
    const first = await VictimPage.open(await env.phone(), env.stack.hs.url);
    await first.start();
    const roomId = await toCounsellor(first, companion);
    await companion.sendText(roomId, "I'm Yeon. I'm here.");
    await first.page.getByText("I'm Yeon. I'm here.").waitFor({ timeout: 45_000 });
    const code = await first.recoveryCode();
    // The first phone has backed up the room keys (the bot's, the counsellor's, its own), as it has by the time anyone comes back.
    const token = await first.page.evaluate(() => JSON.parse(localStorage.getItem("onsafe.session")!).accessToken as string);
    const backedUp = async () => {
      const response = await fetch(`${env.stack.hs.url}/_matrix/client/v3/room_keys/version`, { headers: { authorization: `Bearer ${token}` } });
      return response.ok ? ((await response.json()) as { count: number }).count : 0;
    };
    await expect.poll(backedUp, { timeout: 30_000, interval: 500 }).toBeGreaterThanOrEqual(3);

    const second = await VictimPage.open(await env.phone(), env.stack.hs.url);
    await watchForUnreadable(second.page);
    await second.page.reload();
    // The backup's keys come late, as on a slow network.
    await second.page.route("**/room_keys/keys**", async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      await route.continue();
    });
    await second.page.getByRole("button", { name: "Open an earlier chat with a recovery code" }).click();
    await second.page.getByRole("textbox", { name: "Recovery code" }).fill(code);
    await second.page.getByRole("button", { name: "Open my chat" }).click();
    await second.page.getByText("I'm Yeon. I'm here.").waitFor({ timeout: 40_000 });
    await expect.poll(() => second.page.locator(".message.unreadable").count(), { timeout: 20_000 }).toBe(0);
    expect(await unreadableSeen(second.page)).toBe(0);
    // Decrypted late, the messages grew after they were first drawn: the view still ends at the newest.
    await expect.poll(() => aboveNewest(second.page), { timeout: 30_000 }).toBeLessThanOrEqual(4);
  });
});

