/**
 * Issue 6's headline journey, both sides in Chromium: a victim in the victim
 * app is triaged, the companion on shift in the console gets the offer,
 * accepts, reads the summary, and they chat both ways, all decrypted in the
 * browsers. Then the console's offer rules: a companion off shift, or at
 * capacity, is offered nothing.
 */
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { nextPrompt } from "../../bots/test/conversation.ts";
import { screenshot } from "../../test-support/browser.ts";
import type { SdkClient } from "../../test-support/sdk-client.ts";
import { useBrowserStack } from "./browser-stack.ts";
import { signInToConsole } from "./console-page.ts";
import { VictimPage } from "./victim-page.ts";


const env = useBrowserStack();
let yuna: SdkClient;

async function console_(name: string): Promise<Page> {
  const context = await env.tablet();
  const page = await context.newPage();
  await signInToConsole(page, env.stack.hs.url, name);
  return page;
}

/** A victim (Node client) who skips triage straight to the queue. */
async function skipTriage(): Promise<void> {
  const victim = await env.stack.visitor();
  const roomId = await env.stack.startConversation(victim);
  const first = await nextPrompt(victim, roomId, env.stack.triageBot);
  await env.stack.say(victim, roomId, "I just want to talk to someone", { prompt_id: first.id, option_id: "skip" });
}

const offers = (page: Page) => page.locator("section[aria-labelledby=offers-title] li.case");

describe("victim app and console together", () => {
  it("triages a victim in the browser and brings their companion's console in, encrypted both ways", async () => {
    yuna = await env.stack.staff("yuna", { languages: ["en", "ko"], onShift: false });
    const consolePage = await console_("yuna");
    await consolePage.getByRole("switch", { name: "On shift" }).check();

    const victim = await VictimPage.open(await env.phone(), env.stack.hs.url);
    await victim.start();
    await victim.answerTriageByTapping(async () => (await offers(consolePage).count()) > 0);

    await offers(consolePage).getByRole("button", { name: "Accept" }).click();
    await consolePage.locator(".summary.pinned").waitFor({ timeout: 45_000 });
    // The console reads the bot's structured summary: the message's own text is what the victim sees.
    expect(await consolePage.locator(".summary.pinned").textContent()).toContain("What happened: Illegal filming");

    await victim.send("Hello? Is someone there?");
    await consolePage.locator(".message.from-other", { hasText: "Hello? Is someone there?" }).waitFor({ timeout: 45_000 });
    await consolePage.getByRole("textbox", { name: "Message" }).fill("Yes, I'm Yuna, your companion. I'm here.");
    await consolePage.keyboard.press("Enter");
    await victim.page.locator(".message.from-other", { hasText: "Yes, I'm Yuna, your companion. I'm here." }).waitFor({ timeout: 45_000 });
    await consolePage.locator(".message.from-me .status.read").waitFor({ timeout: 45_000 });
    await screenshot(consolePage, "console-with-victim-app");
  });

  it("offers nothing to a companion off shift, nor to one at capacity", async () => {
    await env.stack.setShift(yuna.account, false);
    await env.stack.staff("dana", { languages: ["en", "ko"], onShift: false });
    await env.stack.staff("ara", { languages: ["en", "ko"], capacity: 1, onShift: false });
    const offPage = await console_("dana");
    const fullPage = await console_("ara");
    await fullPage.getByRole("switch", { name: "On shift" }).check();

    // The first victim takes the only place of "ara" (capacity 1); "dana" stays off shift.
    await skipTriage();
    const skipped = performance.now();
    await offers(fullPage).first().waitFor({ timeout: 45_000 });
    console.log(`[console] victim's skip sent -> offer shown in the console: ${(performance.now() - skipped).toFixed(0)} ms (queue poll: 5,000 ms)`);
    await offers(fullPage).getByRole("button", { name: "Accept" }).click();
    await fullPage.locator(".summary.pinned").waitFor({ timeout: 45_000 });

    // The second waits: once it shows in the queue (routing has run), neither console has an offer.
    await skipTriage();
    const queued = (page: Page) => page.locator("section[aria-labelledby=queue-title] li.case");
    await queued(fullPage).first().waitFor({ timeout: 45_000 });
    await queued(offPage).first().waitFor({ timeout: 45_000 });
    expect(await offers(fullPage).count()).toBe(0);
    expect(await offers(offPage).count()).toBe(0);
    expect(await fullPage.getByText("Cases 1 of 1").count()).toBe(1);
  });
});
