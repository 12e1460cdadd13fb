/**
 * The app opens the conversation itself (issue 18 item 11, docs/FIRST-MINUTES.md):
 * the greeting and the first question with its buttons show the moment Start is
 * pressed, before the room exists; what the victim taps or types meanwhile is
 * held in memory, sent encrypted once the triage bot has joined, and answered
 * in the app's language; nothing of it reaches browser storage. In a real
 * Chromium against the real homeserver and bots; the room's creation is held
 * back in the page, so "before the room exists" is certain, not a race.
 */
import { describe, expect, it } from "vitest";
import type { Page, Request } from "playwright-core";
import { axeViolations, screenshot } from "../../test-support/browser.ts";
import { useBrowserStack } from "./browser-stack.ts";
import { NOTHING_STORED, storageInPage, storedText } from "./storage-probe.ts";
import { VictimPage } from "./victim-page.ts";

const env = useBrowserStack({ closeContextsAfterEach: true });

interface Opening {
  greeting: { ko: string; en: string };
  prompt: { id: string; text: { ko: string; en: string }; options: { id: string; label: { ko: string; en: string } }[] };
}

async function opening(): Promise<Opening> {
  const response = await fetch(`${env.stack.hs.url}/_onsafe/v1/public/config`);
  return ((await response.json()) as { opening: Opening }).opening;
}

/** Holds the page's `createRoom` until `release()`; `body` is what the app asked for. */
async function holdRoomCreation(page: Page) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const held: { body: Record<string, unknown> | null; answered: boolean } = { body: null, answered: false };
  await page.route("**/_matrix/client/*/createRoom", async (route) => {
    held.body = route.request().postDataJSON() as Record<string, unknown>;
    await released;
    await route.continue();
    held.answered = true;
  });
  return { held, release };
}

/** Every request body the page sent, to look for words that must only leave encrypted. */
function requestBodies(page: Page): string[] {
  const bodies: string[] = [];
  page.on("request", (request: Request) => {
    const body = request.postData();
    if (body) bodies.push(`${request.method()} ${request.url()}\n${body}`);
  });
  return bodies;
}

const HANGUL = /[\uac00-\ud7a3]/;

/** The labels of the question whose buttons show now, once it is another than the first. */
async function nextQuestionLabels(victim: VictimPage, first: string[]): Promise<string[]> {
  let labels: string[] = [];
  await expect
    .poll(async () => {
      labels = (await victim.options().allTextContents()).map((l) => l.trim());
      // Every question ends with "talk to a counsellor"; its first option tells them apart.
      return labels.length > 0 && !first.includes(labels[0]!);
    }, { timeout: 30_000, message: "the bot's next question" })
    .toBe(true)
    .catch(async (error: Error) => {
      throw new Error(`${error.message}; ${await victim.describe()}`);
    });
  return labels;
}

describe("the app opens the conversation itself", () => {
  it("shows the greeting and the first question before the room exists, and sends the tap encrypted once the bot has joined", async () => {
    const expected = await opening();
    const victim = await VictimPage.open(await env.phone(), env.stack.hs.url);
    const page = victim.page;
    const bodies = requestBodies(page);
    await page.getByRole("heading", { level: 1 }).waitFor();
    const { held, release } = await holdRoomCreation(page);

    await page.getByRole("button", { name: "Start chatting" }).click();
    const firstLabels = expected.prompt.options.map((o) => o.label.en);
    await expect.poll(() => victim.options().allTextContents(), { timeout: 30_000 }).toEqual(firstLabels);
    expect(held.answered).toBe(false);
    const shown = page.locator(".app-opening");
    await expect.poll(() => shown.locator(".body").allTextContents()).toEqual([expected.greeting.en, expected.prompt.text.en]);
    expect(await axeViolations(page)).toEqual([]);
    expect(await victim.horizontalOverflow()).toBe(0);
    await screenshot(page, "opening-en");

    const tapped = firstLabels[0]!;
    const typed = "He keeps messaging me from a new account";
    await victim.options().first().click();
    await victim.send(typed);
    await expect.poll(() => page.locator(".message.from-me .body").allTextContents()).toEqual([tapped, typed]);
    expect(held.answered).toBe(false);
    expect(await storedText(page)).not.toContain(typed);
    await screenshot(page, "opening-answered-en");
    // Still typing when the room is ready: the chat takes over the same text, and the keyboard stays.
    const draft = "and I don't know what to";
    await page.getByRole("textbox", { name: "Message" }).fill(draft);

    release();
    const next = await nextQuestionLabels(victim, firstLabels);
    expect(await page.getByRole("textbox", { name: "Message" }).inputValue()).toBe(draft);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("composer-chat");
    expect(next.join(" ")).not.toMatch(HANGUL);
    expect(held.body?.creation_content).toEqual({ "org.onsafe.app_opening": { first_prompt: expected.prompt.id } });

    // The greeting and the answered question stay at the top; the answers follow, sent once.
    await expect.poll(() => shown.locator(".body").allTextContents()).toEqual([expected.greeting.en, expected.prompt.text.en]);
    expect(await shown.locator(".options").count()).toBe(0);
    await expect.poll(() => page.locator(".message.from-me .body").allTextContents(), { timeout: 45_000 }).toEqual([tapped, typed]);
    await page.locator(".message.from-me .status", { hasText: "Sending" }).first().waitFor({ state: "detached", timeout: 45_000 });

    const sent = bodies.filter((b) => b.includes("/send/"));
    expect(sent.filter((b) => b.includes("/send/m.room.encrypted/")).length).toBeGreaterThanOrEqual(2);
    expect(sent.filter((b) => b.includes("/send/m.room.message/"))).toEqual([]);
    expect(bodies.filter((b) => b.includes(tapped) || b.includes(typed))).toEqual([]);
    expect(await storedText(page)).not.toContain(typed);
    expect(await storedText(page)).not.toContain(tapped);
    expect(await storedText(page)).not.toContain(draft);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "opening-next-question-en");
  });

  it("in Korean, keeping nothing: words typed before the room exists are stored nowhere and answered in Korean", async () => {
    const expected = await opening();
    const victim = await VictimPage.open(await env.phone({ locale: "ko-KR" }), env.stack.hs.url);
    const page = victim.page;
    const bodies = requestBodies(page);
    await page.getByRole("heading", { level: 1 }).waitFor();
    await page.getByRole("checkbox").check();
    const { held, release } = await holdRoomCreation(page);

    await page.getByRole("button", { name: "상담 시작하기" }).click();
    const firstLabels = expected.prompt.options.map((o) => o.label.ko);
    await expect.poll(() => victim.options().allTextContents(), { timeout: 30_000 }).toEqual(firstLabels);
    await expect.poll(() => page.locator(".app-opening .body").allTextContents()).toEqual([expected.greeting.ko, expected.prompt.text.ko]);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("ko");
    expect(await axeViolations(page)).toEqual([]);
    expect(await victim.horizontalOverflow()).toBe(0);
    await screenshot(page, "opening-ko");

    const tapped = firstLabels[1]!;
    const typed = "그 사람이 제 사진을 가지고 있어요";
    await victim.options().nth(1).click();
    await victim.send(typed);
    await expect.poll(() => page.locator(".message.from-me .body").allTextContents()).toEqual([tapped, typed]);
    expect(held.answered).toBe(false);
    expect(await storageInPage(page)).toEqual(NOTHING_STORED);

    release();
    const next = await nextQuestionLabels(victim, firstLabels);
    expect(next.join(" ")).toMatch(HANGUL);
    await page.locator(".message.from-me .status").first().waitFor({ state: "detached", timeout: 45_000 });
    expect(bodies.filter((b) => b.includes(tapped) || b.includes(typed))).toEqual([]);
    expect(await storageInPage(page)).toEqual(NOTHING_STORED);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, "opening-next-question-ko");
  });
});
