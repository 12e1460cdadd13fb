/**
 * Issue 18, the companion's side of the first minutes, in Chromium against the
 * real service: accepting a case opens it (the accepted conversation shown, its
 * composer focused, a crisis marked on its tab in words); a victim who deletes
 * their conversation in the victim app, or leaves after the hand-off, closes
 * the case, the companion is told in plain words, and their place goes to the
 * next waiting case; a leave while the console was closed is caught on its next load.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { eventually, nextPrompt } from "../../bots/test/conversation.ts";
import type { Account } from "../../chat-server/test/harness.ts";
import { axeViolations, screenshot } from "../../test-support/browser.ts";
import type { SdkClient } from "../../test-support/sdk-client.ts";
import { useBrowserStack } from "./browser-stack.ts";
import { acceptNewCase, signInToConsole, watchPageErrors } from "./console-page.ts";
import { VictimPage } from "./victim-page.ts";

const env = useBrowserStack();
/**
 * Each test's companion goes off shift after it, and a supervisor closes what still waits,
 * so the next test's cases go to the next test's companion, and only its own.
 */
const companions: Account[] = [];
let supervisor: Account | undefined;
afterEach(async () => {
  for (const account of companions.splice(0)) await env.stack.setShift(account, false);
  supervisor ??= (await env.stack.staff("boss", { kind: "supervisor", onShift: false })).account;
  for (const { id } of (await env.stack.ops(supervisor, "GET", "/queue")).body.cases as { id: string }[]) {
    await env.stack.ops(supervisor, "POST", `/cases/${id}/close`, { outcome: "other" });
  }
});

async function companion(name: string, capacity?: number): Promise<Account> {
  const { account } = await env.stack.staff(name, { languages: ["en", "ko"], capacity, onShift: false });
  companions.push(account);
  return account;
}

const offers = (page: Page) => page.locator("section[aria-labelledby=offers-title] li.case");
const ENDED = "The victim ended the conversation. The case is closed.";

async function consoleOf(name: string): Promise<{ page: Page; errors: string[] }> {
  const page = await (await env.tablet()).newPage();
  const errors = watchPageErrors(page);
  await signInToConsole(page, env.stack.hs.url, name);
  return { page, errors };
}

/** A victim (Node client) who asks for a person at once; with `crisis`, who writes that they want to die instead, which queues the case as well. */
async function queueVictim(o: { crisis?: boolean } = {}): Promise<{ victim: SdkClient; roomId: string }> {
  const stack = env.stack;
  const victim = await stack.visitor();
  const roomId = await stack.startConversation(victim);
  const first = await nextPrompt(victim, roomId, stack.triageBot);
  if (o.crisis) await stack.say(victim, roomId, "i just want to die honestly. he has my nudes");
  else await stack.say(victim, roomId, "I just want to talk to someone", { prompt_id: first.id, option_id: "skip" });
  await eventually(async () => stack.bots.queue.cases.getByRoom(roomId), (c) => c !== undefined && c.queuedAt !== null && (!o.crisis || c.crisis), "the case queued", 30_000);
  return { victim, roomId };
}

function caseOf(roomId: string) {
  return env.stack.bots.queue.cases.getByRoom(roomId);
}

/** The bot has handed off and left: from here on only the companion's console can see the victim leave. */
async function handedOff(roomId: string): Promise<void> {
  await eventually(async () => caseOf(roomId), (c) => c?.handedOffAt !== null, "the hand-off", 30_000);
}

async function expectLoad(page: Page, account: Account, load: number, capacity: number): Promise<void> {
  await page.getByText(`Cases ${load} of ${capacity}`).waitFor({ timeout: 45_000 });
  expect((await env.stack.ops(account, "GET", "/me")).body.load).toBe(load);
}

describe("a case in the console, from accepting it to the victim leaving", () => {
  it("opens the accepted case with its composer focused, and marks a crisis on its tab in words", async () => {
    const hana = await companion("hana");
    const { page, errors } = await consoleOf("hana");
    const earlier = await acceptNewCase(page, env.stack, hana);

    // A second victim, in crisis, while the first conversation is open.
    const { victim, roomId } = await queueVictim({ crisis: true });
    // Crisis words queue the case at once; the console shows the flag from the next poll of the queue.
    await expect.poll(() => offers(page).first().textContent(), { timeout: 45_000 }).toContain("Crisis");
    await offers(page).getByRole("button", { name: "Accept" }).click();

    // The accepted conversation is the one shown, and what the companion types goes to that victim.
    const tab = page.locator(`[role=tab][data-room="${roomId}"]`);
    await expect.poll(() => tab.getAttribute("aria-selected"), { timeout: 45_000 }).toBe("true");
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest("#conversation-panel") !== null
      && document.activeElement?.tagName === "TEXTAREA"), { timeout: 45_000 }).toBe(true);
    await page.keyboard.type("I'm Hana. I'm here with you now.");
    await page.keyboard.press("Enter");
    await victim.waitForMessage(roomId, "I'm Hana. I'm here with you now.");
    expect(earlier.victim.bodies(earlier.roomId)).not.toContain("I'm Hana. I'm here with you now.");

    // Crisis in words on its tab (its accessible name), not by colour alone; the earlier one is not marked.
    expect(await page.getByRole("tab", { name: /Crisis/ }).getAttribute("data-room")).toBe(roomId);
    expect(await page.getByRole("tab", { name: /Crisis/ }).count()).toBe(1);
    // The summary, from the bot's structured field (its readable body is the victim's), with the crisis words kept for the companion.
    const summary = page.locator("#conversation-panel .summary.pinned");
    await expect.poll(() => summary.textContent(), { timeout: 45_000 }).toContain("Crisis: needs help right away");
    expect(await summary.textContent()).toContain("i just want to die honestly. he has my nudes");
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "console-accepted-crisis");
    expect(errors).toEqual([]);
  });

  it("closes the case when the victim deletes their conversation, says so, and offers the next waiting case", async () => {
    const ara = await companion("ara", 1);
    const { page, errors } = await consoleOf("ara");
    await page.getByRole("switch", { name: "On shift" }).check();

    // The first victim, in the victim app, is taken by Ara (capacity 1).
    const first = await VictimPage.open(await env.phone(), env.stack.hs.url);
    await first.start();
    const saved = first.page.getByRole("button", { name: "I've saved it" });
    if (await saved.isVisible()) await saved.click();
    // Asking for a person anywhere in a sentence ends the questions (issue 18 item 2).
    await first.send("can i just talk to a real person please");
    await offers(page).first().waitFor({ timeout: 30_000 });
    await offers(page).getByRole("button", { name: "Accept" }).click();
    await page.locator("#conversation-panel .summary.pinned").waitFor({ timeout: 45_000 });
    const roomA = (await page.locator("[role=tab][aria-selected=true]").getAttribute("data-room"))!;
    await handedOff(roomA);

    // A second victim waits: Ara is full.
    const { roomId: roomB } = await queueVictim();
    await page.locator("section[aria-labelledby=queue-title] li.case").first().waitFor({ timeout: 45_000 });
    expect(await offers(page).count()).toBe(0);
    await expectLoad(page, ara, 1, 1);

    // The first victim deletes their conversation.
    await first.page.getByText("Menu", { exact: true }).click();
    await first.page.getByRole("button", { name: "Delete this conversation" }).click();
    const deletedAt = performance.now();
    await first.page.getByRole("dialog", { name: "Delete this conversation?" }).getByRole("button", { name: "Delete" }).click();

    await eventually(async () => caseOf(roomA), (c) => c?.status === "closed", "the deleted conversation's case closed", 30_000);
    const closed = performance.now() - deletedAt;
    expect(caseOf(roomA)).toMatchObject({ outcome: "victim_left" });
    const notice = page.locator("#conversation-panel .ended");
    await notice.waitFor({ timeout: 45_000 });
    expect(await notice.textContent()).toContain(ENDED);
    // No composer on a conversation that has ended.
    expect(await page.locator("#conversation-panel textarea").count()).toBe(0);
    expect(await page.locator(".case-news").textContent()).toContain(`${caseOf(roomA)!.id}: ${ENDED}`);

    // Her place is free again: the waiting case is offered to her.
    await offers(page).first().waitFor({ timeout: 30_000 });
    const offered = performance.now() - deletedAt;
    expect(caseOf(roomB)?.status).toBe("offered");
    console.log(`[console] victim pressed Delete -> case closed: ${closed.toFixed(0)} ms; -> next case offered in the console: ${offered.toFixed(0)} ms`);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "console-victim-deleted");

    // "Close this conversation" takes the ended one away.
    await page.getByRole("button", { name: "Close this conversation" }).click();
    await page.locator(`[role=tab][data-room="${roomA}"]`).waitFor({ state: "detached", timeout: 45_000 });
    expect(errors).toEqual([]);
  });

  it("closes the case of a victim who left while the console was closed, once it opens again", async () => {
    const jin = await companion("jin", 1);
    const { page } = await consoleOf("jin");
    const { victim, roomId, caseId } = await acceptNewCase(page, env.stack, jin);
    await handedOff(roomId);
    const { roomId: waiting } = await queueVictim();
    await eventually(async () => caseOf(waiting), (c) => c?.status === "waiting", "the second case waiting");
    const context = page.context();
    await page.close();

    // The victim leaves (any Matrix client can); nobody's console is open to see it.
    await victim.client.leave(roomId);
    const left = performance.now();

    const again = await context.newPage();
    const errors = watchPageErrors(again);
    await again.goto(`${env.stack.hs.url}/console`);
    await again.getByText(`${caseId}: ${ENDED}`).waitFor({ timeout: 30_000 });
    expect(caseOf(roomId)).toMatchObject({ status: "closed", outcome: "victim_left" });
    await offers(again).first().waitFor({ timeout: 30_000 });
    console.log(`[console] victim left with the console closed; opened again -> next case offered: ${(performance.now() - left).toFixed(0)} ms after the leave`);
    expect(await again.locator(`[role=tab][data-room="${roomId}"]`).textContent()).toContain("Ended");
    expect(await axeViolations(again)).toEqual([]);
    await screenshot(again, "console-victim-left-while-closed");
    expect(errors).toEqual([]);
  });
});
