/**
 * Issue 19 finding 1, in Chromium against the real service: the console's
 * message list stays at the newest message unless the companion scrolled up;
 * a message that arrives while they read further up leaves the view where it
 * is and shows "New messages ↓"; and a read receipt goes to the victim only
 * for a message that was on screen, so her phone's "Read" and the tab's unread
 * count stay true (a crisis victim's message sat unseen for 5 minutes while
 * her phone said "Read"). A message in a conversation not shown (another open, or
 * another view such as the agenda) is not read either.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { ReceiptType } from "matrix-js-sdk";
import { nextPrompt } from "../../bots/test/conversation.ts";
import type { Account } from "../../chat-server/test/harness.ts";
import { screenshot, seriousAxeViolations } from "../../test-support/browser.ts";
import type { SdkClient } from "../../test-support/sdk-client.ts";
import { useBrowserStack } from "./browser-stack.ts";
import { signInToConsole, watchPageErrors } from "./console-page.ts";

const env = useBrowserStack({ closeContextsAfterEach: true });
const companions: Account[] = [];
let supervisor: Account | undefined;
/** Each test's companion goes off shift after it, and what still waits is closed, so the next test's cases are its own. */
afterEach(async () => {
  for (const account of companions.splice(0)) await env.stack.setShift(account, false);
  supervisor ??= (await env.stack.staff("reading-boss", { kind: "supervisor", onShift: false })).account;
  for (const { id } of (await env.stack.ops(supervisor, "GET", "/queue")).body.cases as { id: string }[]) {
    await env.stack.ops(supervisor, "POST", `/cases/${id}/close`, { outcome: "other" });
  }
});

/** The event the companion's read receipt points at, as the victim's own client has it from sync (never the SDK's guess). */
function receiptSeenBy(victim: SdkClient, roomId: string, companion: string): string | null {
  return victim.client.getRoom(roomId)?.getReadReceiptForUserId(companion, true, ReceiptType.Read)?.eventId ?? null;
}

/**
 * Proof that the victim's client has synced past everything the console sent
 * until now: the companion's account (its Node device) starts typing, which
 * reaches the victim after any receipt sent before it (one stream orders both).
 */
async function victimSyncedPast(victim: SdkClient, roomId: string, companion: SdkClient): Promise<void> {
  await companion.client.sendTyping(roomId, true, 10_000);
  await expect.poll(() => victim.client.getRoom(roomId)?.getMember(companion.userId)?.typing, { timeout: 45_000 }).toBe(true);
  await companion.client.sendTyping(roomId, false, 0);
}

/** Whether the message is on screen: inside the message list's visible part and the window. */
function onScreen(page: Page, text: string): Promise<boolean> {
  return page.locator(".conversation-log .message", { hasText: text }).evaluate((message) => {
    const log = message.closest(".conversation-log")!.getBoundingClientRect();
    const box = message.getBoundingClientRect();
    return box.top >= Math.max(log.top, 0) - 1 && box.bottom <= Math.min(log.bottom, window.innerHeight) + 1;
  });
}

const scrollTop = (page: Page) => page.locator(".conversation-log").evaluate((log) => log.scrollTop);
const entry = (page: Page, roomId: string) => page.locator(`[role=tab][data-room="${roomId}"]`);

/**
 * A new victim (Node client) asks for a person at once; the companion on `page` accepts the offer,
 * and the conversation opens. Returns the victim and the room.
 */
async function acceptCase(page: Page): Promise<{ victim: SdkClient; roomId: string }> {
  const victim = await env.stack.visitor();
  const roomId = await env.stack.startConversation(victim);
  const first = await nextPrompt(victim, roomId, env.stack.triageBot);
  await env.stack.say(victim, roomId, "I just want to talk to someone", { prompt_id: first.id, option_id: "skip" });
  const offered = page.locator("section[aria-labelledby=offers-title] li.case");
  await offered.first().waitFor({ timeout: 45_000 });
  await offered.getByRole("button", { name: "Accept" }).click();
  await expect.poll(() => entry(page, roomId).getAttribute("aria-selected"), { timeout: 45_000 }).toBe("true");
  return { victim, roomId };
}

const SIZES = [
  { name: "laptop", viewport: { width: 1280, height: 800 } },
  { name: "tablet upright", viewport: { width: 768, height: 1024 } },
] as const;

describe.each(SIZES)("reading a conversation in the console ($name)", ({ name, viewport }) => {
  it("stays at the newest message, leaves a companion reading further up where they are, and marks read only what was on screen", async () => {
    const who = `reader-${viewport.width}`;
    const companion = await env.stack.staff(who, { languages: ["en", "ko"], capacity: 3 });
    companions.push(companion.account);
    const page = await (await env.tablet({ viewport })).newPage();
    const errors = watchPageErrors(page);
    await signInToConsole(page, env.stack.hs.url, who);
    const { victim, roomId } = await acceptCase(page);
    const me = companion.userId;
    // Nothing unread once it is open: the summary the bot posted is shown beside the list, not in it.
    await expect.poll(() => entry(page, roomId).textContent(), { timeout: 30_000 }).not.toMatch(/unread/);
    // The companion looks at the conversation (on a long page it may sit below the window's edge).
    await page.locator(".conversation-log").scrollIntoViewIfNeeded();

    // More than the list can show at once: it follows to the newest, and that one is read.
    let newest = "";
    for (let i = 1; i <= 24; i++) newest = await env.stack.say(victim, roomId, `Message ${i}: I keep checking whether he has posted anything yet.`);
    await page.locator(".conversation-log .message", { hasText: "Message 24:" }).waitFor({ timeout: 20_000 });
    expect(await page.locator(".conversation-log").evaluate((log) => log.scrollHeight > log.clientHeight + 200)).toBe(true);
    await expect.poll(() => onScreen(page, "Message 24:"), { timeout: 30_000 }).toBe(true);
    await expect.poll(() => receiptSeenBy(victim, roomId, me), { timeout: 45_000 }).toBe(newest);

    // The companion scrolls up to read something earlier.
    await page.locator(".conversation-log").hover();
    await page.mouse.wheel(0, -500);
    await expect.poll(() => onScreen(page, "Message 24:"), { timeout: 30_000 }).toBe(false);
    await page.waitForTimeout(300);
    const readingAt = await scrollTop(page);

    // A new message while they read: the view stays, a button says so, and it is neither read nor receipted.
    const crisis = "what if he posts it anyway… my mum follows me";
    await env.stack.say(victim, roomId, crisis);
    await page.locator(".conversation-log .message", { hasText: crisis }).waitFor({ state: "attached", timeout: 20_000 });
    const jump = page.getByRole("button", { name: "New messages" });
    await jump.waitFor({ timeout: 30_000 });
    expect(Math.abs((await scrollTop(page)) - readingAt)).toBeLessThanOrEqual(2);
    expect(await onScreen(page, crisis)).toBe(false);
    await expect.poll(() => entry(page, roomId).textContent(), { timeout: 30_000 }).toMatch(/1 unread/);
    expect(await page.title()).toBe("(1) onsafe console");
    await victimSyncedPast(victim, roomId, companion);
    expect(receiptSeenBy(victim, roomId, me)).toBe(newest);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, `console-reading-new-messages-${name.replace(" ", "-")}`);

    // Another view (the agenda) hides the conversation without closing it: what comes meanwhile is not
    // read either, and back in the conversation the companion is still where they were.
    await page.getByRole("button", { name: "Agenda", exact: true }).click();
    const meanwhile = "are you reading this?";
    const meanwhileId = await env.stack.say(victim, roomId, meanwhile);
    await expect.poll(() => page.title(), { timeout: 45_000 }).toBe("(2) onsafe console");
    await victimSyncedPast(victim, roomId, companion);
    expect(receiptSeenBy(victim, roomId, me)).toBe(newest);
    // Its name counts what is unread meanwhile.
    await page.getByRole("button", { name: /^Conversations/ }).click();
    await jump.waitFor({ timeout: 30_000 });
    expect(Math.abs((await scrollTop(page)) - readingAt)).toBeLessThanOrEqual(2);
    expect(await onScreen(page, crisis)).toBe(false);

    // "New messages ↓" brings the first of them to the top of the view; now they are read, and the victim's client hears so.
    const pressed = performance.now();
    await jump.click();
    await expect.poll(() => onScreen(page, crisis), { timeout: 30_000 }).toBe(true);
    expect(await onScreen(page, meanwhile)).toBe(true);
    await expect.poll(() => receiptSeenBy(victim, roomId, me), { timeout: 15_000, interval: 50 }).toBe(meanwhileId);
    const jumpToReceipt = performance.now() - pressed;
    await screenshot(page, `console-reading-after-jump-${name.replace(" ", "-")}`);
    await expect.poll(() => entry(page, roomId).textContent(), { timeout: 30_000 }).not.toMatch(/unread/);
    await jump.waitFor({ state: "detached", timeout: 30_000 });

    // A second case opens; a message in the first one, not shown now, is counted on its tab and not receipted.
    await acceptCase(page);
    const still = "hello? are you still there?";
    const stillId = await env.stack.say(victim, roomId, still);
    await expect.poll(() => entry(page, roomId).textContent(), { timeout: 45_000 }).toMatch(/1 unread/);
    await victimSyncedPast(victim, roomId, companion);
    expect(receiptSeenBy(victim, roomId, me)).toBe(meanwhileId);

    // Opened, the message is on screen and read.
    const opened = performance.now();
    await entry(page, roomId).click();
    await expect.poll(() => onScreen(page, still), { timeout: 30_000 }).toBe(true);
    const drawn = performance.now() - opened;
    await expect.poll(() => receiptSeenBy(victim, roomId, me), { timeout: 15_000, interval: 50 }).toBe(stillId);
    console.log(`[console reading ${viewport.width}x${viewport.height}] "New messages" pressed -> receipt at the victim's client: ${jumpToReceipt.toFixed(0)} ms; conversation opened -> message on screen: ${drawn.toFixed(0)} ms, -> receipt: ${(performance.now() - opened).toFixed(0)} ms`);
    await expect.poll(() => entry(page, roomId).textContent(), { timeout: 30_000 }).not.toMatch(/unread/);
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  }, 240_000);
});
