/**
 * Issue 19 finding 2, "Closing a case abandons the victim", in Chromium against
 * the real service: the companion (console, 1280x800) closes with a
 * confirmation and an edited closing message; the victim (victim app, 360x640)
 * reads it and the app says the chat has ended, with the crisis lines one tap
 * away; the victim writes again and the case is back in the queue, offered to
 * the companion on shift. Before, closing was one click, sent nothing, and what
 * the victim wrote next reached nobody.
 */
import { mkdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { eventually } from "../../bots/test/conversation.ts";
import { axeViolations, screenshot } from "../../test-support/browser.ts";
import { useBrowserStack } from "./browser-stack.ts";
import { signInToConsole, watchPageErrors } from "./console-page.ts";
import { VictimPage } from "./victim-page.ts";

const env = useBrowserStack();
const SHOTS = "/tmp/closing";

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
  await screenshot(page, name);
}

const offers = (page: Page) => page.locator("section[aria-labelledby=offers-title] li.case");
const caseOf = (roomId: string) => env.stack.bots.queue.cases.getByRoom(roomId)!;

describe("closing a case", () => {
  it("asks first, sends the companion's edited closing message, tells the victim how to come back, and queues what they write next", async () => {
    const { account: sora } = await env.stack.staff("sora", { languages: ["en", "ko"], capacity: 3, onShift: false });
    const console_ = await (await env.tablet({ viewport: { width: 1280, height: 800 } })).newPage();
    const errors = watchPageErrors(console_);
    await signInToConsole(console_, env.stack.hs.url, "sora");
    await console_.getByRole("switch", { name: "On shift" }).check();

    // A victim in the app asks for a person; Sora accepts.
    const victim = await VictimPage.open(await env.phone(), env.stack.hs.url);
    await victim.start();
    await victim.send("can i just talk to a real person please");
    await offers(console_).first().waitFor({ timeout: 30_000 });
    // A new case: its id, and no word of a closing.
    const firstOffer = (await offers(console_).first().textContent())!;
    expect(firstOffer).toMatch(/Case c-\S+/);
    expect(firstOffer).not.toContain("Back after closing");
    await offers(console_).getByRole("button", { name: "Accept" }).click();
    await console_.locator(".summary.pinned").first().waitFor({ timeout: 45_000 });
    const roomId = (await console_.locator("[role=tab][aria-selected=true]").getAttribute("data-room"))!;
    const caseId = caseOf(roomId).id;
    await eventually(async () => caseOf(roomId), (c) => c.handedOffAt !== null, "the hand-off", 30_000);
    await console_.locator("#composer-input, #conversation-panel textarea").first().fill("I'm Sora. I'm here.");
    await console_.keyboard.press("Enter");
    await victim.page.getByText("I'm Sora. I'm here.").waitFor({ timeout: 45_000 });

    // Closing: an outcome and a prepared message in the case's language, with the crisis lines, which she edits.
    await console_.getByText("Close the case", { exact: true }).click();
    const message = console_.getByLabel("Closing message to the victim (you can edit it)");
    const prepared = await message.inputValue();
    expect(prepared).toMatch(/^Thank you for talking with me today\. I'm closing this chat now\.\nWhenever you want to talk again, write here and a counsellor will answer\./);
    for (const number of ["1366", "02-735-8994", "109", "112"]) expect(prepared).toContain(number);
    const edited = prepared.replace("Thank you for talking with me today.", "Thank you for trusting me with this, it was brave.");
    await message.fill(edited);
    await console_.getByLabel("Outcome").selectOption({ label: "Supported" });
    await console_.getByRole("button", { name: "Close…" }).click();

    // It asks once more; nothing has happened yet.
    const confirm = console_.getByRole("group", { name: `Send this message to the victim and close case ${caseId}?` });
    await confirm.waitFor({ timeout: 5_000 });
    expect(await console_.evaluate(() => document.activeElement?.textContent)).toBe("Send and close");
    expect(caseOf(roomId).status).toBe("assigned");
    expect(await axeViolations(console_)).toEqual([]);
    await shot(console_, "console-close-confirm");
    // "Keep talking" goes back with the text as edited; then close for real.
    await confirm.getByRole("button", { name: "Keep talking" }).click();
    expect(await message.inputValue()).toBe(edited);
    expect(await console_.evaluate(() => document.activeElement?.textContent)).toBe("Close…");
    await console_.getByRole("button", { name: "Close…" }).click();
    const closedAt = performance.now();
    await confirm.getByRole("button", { name: "Send and close" }).click();
    await console_.locator(`[role=tab][data-room="${roomId}"]`).waitFor({ state: "detached", timeout: 45_000 });
    expect(caseOf(roomId)).toMatchObject({ status: "closed", outcome: "supported" });

    // The victim reads the closing message from the counsellor, then the app's word that the chat has ended.
    const closingBubble = victim.page.locator(".messages .message.from-other").filter({ hasText: "Thank you for trusting me with this, it was brave." });
    await closingBubble.waitFor({ timeout: 45_000 });
    expect(await closingBubble.locator(".body").textContent()).toBe(edited);
    const ended = victim.page.locator(".chat-closed");
    await ended.waitFor({ timeout: 45_000 });
    const endedMs = performance.now() - closedAt;
    expect(await ended.getByRole("heading").textContent()).toBe("This chat has ended");
    expect(await ended.textContent()).toContain("The counsellor closed this chat. Write here any time to talk again");
    // The crisis lines one tap away, under the notice.
    const calls = await ended.locator("a.call-button").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
    expect(calls).toEqual(expect.arrayContaining(["tel:109", "tel:1366", "tel:112"]));
    expect(await victim.page.locator(".queue").count()).toBe(0);
    expect(await victim.horizontalOverflow()).toBe(0);
    expect(await axeViolations(victim.page)).toEqual([]);
    await shot(victim.page, "victim-chat-closed");

    // The victim writes again: the same case is back in the queue and offered to Sora, who is on shift.
    const wroteAt = performance.now();
    await victim.send("sorry, one more question. he messaged me again");
    const entry = await eventually(async () => ((await env.stack.ops(sora, "GET", "/queue")).body.cases as { id: string; offered_to: string | null }[]).find((c) => c.id === caseId),
      (c) => c?.offered_to === sora.userId, "the case offered again in GET queue", 20_000);
    const offeredMs = performance.now() - wroteAt;
    expect(entry).toMatchObject({ id: caseId, status: "offered", reopened_at: expect.any(Number) });
    const again = offers(console_).and(console_.locator(`[data-case="${caseId}"]`));
    await again.waitFor({ timeout: 30_000 });
    // Sora can tell it is the victim she just closed with: the case id, and that it is back after closing.
    expect(await again.textContent()).toContain(`Case ${caseId}`);
    expect(await again.locator(".reopened-badge").textContent()).toBe("Back after closing");
    // The victim is told they wait, as for a new case.
    await victim.page.locator(".queue").waitFor({ timeout: 45_000 });
    expect(await victim.page.locator(".queue").textContent()).toContain("You're next");
    await shot(victim.page, "victim-waiting-again");
    await shot(console_, "console-offered-again");

    // A burst of messages is one return to the queue, not a case per message.
    await victim.send("are you there?");
    await victim.send("hello?");
    await eventually(async () => caseOf(roomId).notedEventIds.length, (n) => n === 3, "the three messages kept for the counsellor", 30_000);
    const queued = (await env.stack.ops(sora, "GET", "/queue")).body.cases as { id: string }[];
    expect(queued.filter((c) => c.id === caseId)).toHaveLength(1);

    // Accepting again: the conversation comes back with the bot's summary of what she wrote since.
    await offers(console_).and(console_.locator(`[data-case="${caseId}"]`)).getByRole("button", { name: "Accept" }).click();
    await console_.locator(`[role=tab][data-room="${roomId}"]`).waitFor({ timeout: 30_000 });
    await eventually(async () => caseOf(roomId), (c) => c.status === "assigned" && c.handedOffAt !== null, "the second hand-off", 30_000);
    await expect.poll(() => console_.locator(".summary.pinned").first().textContent(), { timeout: 45_000 }).toContain("he messaged me again");
    console.log(`[closing] Send and close -> victim sees 'chat ended': ${endedMs.toFixed(0)} ms; victim writes again -> offered (GET queue): ${offeredMs.toFixed(0)} ms`);
    expect(errors).toEqual([]);
  }, 300_000);
});
