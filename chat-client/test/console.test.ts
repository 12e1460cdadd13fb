/**
 * The companion console, first part (issue 6 is not finished): a companion
 * signs in, sees a waiting case in the queue, comes on shift, gets the offer,
 * accepts it and is in the victim's room; the sign-in survives a reload.
 * Real homeserver, bots and a Node victim client; Chromium for the console.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext } from "playwright-core";
import { nextPrompt } from "../../bots/test/conversation.ts";
import { Stack } from "../../bots/test/stack.ts";
import { launchChromium, screenshot, seriousAxeViolations } from "../../test-support/browser.ts";

const PASSWORD = "correct horse battery"; // the test harness's default staff password

let stack: Stack;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  [stack, browser] = await Promise.all([Stack.start(), launchChromium()]);
  context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: "en-US" });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.close();
});

describe("the companion console (first part)", () => {
  it("signs a companion in, shows the queue, and takes an offered case into its room", async () => {
    await stack.staff("sora", { languages: ["en", "ko"], onShift: false });
    const page = await context.newPage();
    await page.goto(`${stack.hs.url}/console`);

    await page.getByRole("textbox", { name: "Username" }).fill("sora");
    await page.getByLabel("Password").fill("wrong password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Wrong username or password.").waitFor({ timeout: 10_000 });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, "console-login");

    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "sora" }).waitFor({ timeout: 15_000 });
    const shift = page.getByRole("switch", { name: "On shift" });
    expect(await shift.isChecked()).toBe(false);

    // A victim skips triage while nobody is on shift: the case waits in the queue.
    const victim = await stack.visitor();
    const roomId = await stack.startConversation(victim);
    const first = await nextPrompt(victim, roomId, stack.triageBot);
    await stack.say(victim, roomId, "I just want to talk to someone", { prompt_id: first.id, option_id: "skip" });
    const waiting = page.locator("section[aria-labelledby=queue-title] li.case");
    await waiting.first().waitFor({ timeout: 15_000 });
    expect(await waiting.first().textContent()).toContain("#1");
    expect(await waiting.getByRole("button", { name: "Claim" }).isDisabled()).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, "console-queue");

    // On shift, the waiting case is offered to this companion; accepting joins the victim's room.
    await shift.check();
    const offered = page.locator("section[aria-labelledby=offers-title] li.case");
    await offered.first().waitFor({ timeout: 15_000 });
    await offered.getByRole("button", { name: "Accept" }).click();
    await page.locator("section[aria-labelledby=conversations-title] code", { hasText: roomId }).waitFor({ timeout: 15_000 });
    await screenshot(page, "console-accepted");

    // The sign-in (and its device) is kept: a reload comes back signed in, still on shift.
    await page.reload();
    await page.getByRole("heading", { name: "sora" }).waitFor({ timeout: 15_000 });
    await expect.poll(() => page.getByRole("switch", { name: "On shift" }).isChecked()).toBe(true);
  });
});
