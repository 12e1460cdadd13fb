/**
 * Issue 19 findings 3 and 4, two companions' consoles (1280×800) and a victim
 * in the victim app, all in Chromium: a transfer is an offer the colleague
 * accepts; the note goes to the colleague's console only, never into the
 * victim's room; the colleague reads the earlier conversation (its keys
 * forwarded by the first console) and the victim's next message reaches them.
 * Undo and a timeout leave the case with the first companion.
 */
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { nextPrompt } from "../../bots/test/conversation.ts";
import { screenshot, seriousAxeViolations } from "../../test-support/browser.ts";
import type { SdkClient } from "../../test-support/sdk-client.ts";
import { useBrowserStack } from "./browser-stack.ts";
import { signInToConsole, watchPageErrors } from "./console-page.ts";
import { VictimPage } from "./victim-page.ts";

const TRANSFER_TIMEOUT_MS = 30_000;
const env = useBrowserStack({ stack: { offerTimeoutMs: TRANSFER_TIMEOUT_MS, offerCheckMs: 1000 } });

const NOTE = "She seems calm but isolated";
const TO_VICTIM = "My colleague Jun will continue with you.";
const SHARED_NOTICE = "Your conversation was passed to another counsellor, who can read the earlier messages.";

let mina: SdkClient;
let jun: SdkClient;
let minaPage: Page;
let junPage: Page;
/** The Node victim whose case mina holds after the second test. */
let lastRoom: { victim: SdkClient; roomId: string } | null = null;

async function consolePage(name: string): Promise<{ page: Page; errors: string[] }> {
  const page = await (await env.tablet({ viewport: { width: 1280, height: 800 } })).newPage();
  const errors = watchPageErrors(page);
  await signInToConsole(page, env.stack.hs.url, name);
  return { page, errors };
}

const offers = (page: Page) => page.locator("section[aria-labelledby=offers-title] li.case");
const fromOther = (page: Page, text: string) => page.locator(".message.from-other", { hasText: text });
const caseOf = async (who: SdkClient, roomId: string) =>
  ((await env.stack.ops(who.account, "GET", "/me/cases")).body.cases as { id: string; room_id: string }[]).find((c) => c.room_id === roomId);

/** Opens the transfer form in `page`'s open conversation, picks jun and offers the case. */
async function offerToJun(page: Page, o: { note?: string; toVictim?: string } = {}): Promise<number> {
  await page.locator("summary", { hasText: "Transfer to a colleague" }).click();
  const colleague = page.getByLabel("Colleague on shift");
  await expect.poll(() => colleague.locator("option", { hasText: /^jun \(ko, en; \d\/3\)$/ }).count(), { timeout: 45_000 }).toBe(1);
  await colleague.selectOption({ value: jun.userId });
  // The list is fetched again whenever the form opens; an answer arriving after the choice must not undo it
  // (on a slow machine it did: the refreshed options dropped the selection and the form would not submit).
  const summary = page.locator("summary", { hasText: "Transfer to a colleague" });
  const refreshed = page.waitForResponse((r) => r.url().endsWith("/staff/on-shift"));
  await summary.click();
  await summary.click();
  await refreshed;
  await expect.poll(() => colleague.inputValue()).toBe(jun.userId);
  if (o.note) await page.getByLabel("Note for your colleague (only they will read it)").fill(o.note);
  if (o.toVictim) await page.getByLabel("Message to the victim (they will read this), optional").fill(o.toVictim);
  const clicked = performance.now();
  await page.getByRole("button", { name: "Offer the case" }).click();
  await page.getByText("Waiting for jun to accept").waitFor({ timeout: 45_000 });
  return clicked;
}

describe("transferring a case to a colleague", () => {
  it("is an offer the colleague accepts; they read the earlier messages, the note stays out of the victim's room", async () => {
    mina = await env.stack.staff("mina", { languages: ["ko", "en"], onShift: false });
    jun = await env.stack.staff("jun", { languages: ["ko", "en"], onShift: false });
    const a = await consolePage("mina");
    const b = await consolePage("jun");
    minaPage = a.page;
    junPage = b.page;
    await minaPage.getByRole("switch", { name: "On shift" }).check();

    const victim = await VictimPage.open(await env.phone(), env.stack.hs.url);
    await victim.start();
    await victim.answerTriageByTapping(async () => (await offers(minaPage).count()) > 0);
    await offers(minaPage).getByRole("button", { name: "Accept" }).click();
    await victim.send("I am scared he will post it tonight.");
    await fromOther(minaPage, "I am scared he will post it tonight.").waitFor({ timeout: 20_000 });
    await minaPage.getByRole("textbox", { name: /Message/ }).fill("I'm here with you. Let's look at this together.");
    await minaPage.keyboard.press("Enter");
    await victim.page.locator(".message.from-other", { hasText: "I'm here with you." }).waitFor({ timeout: 20_000 });

    // The colleague comes on shift; mina offers the case with a note for jun and a line for the victim.
    await junPage.getByRole("switch", { name: "On shift" }).check();
    const roomId = (await env.stack.ops(mina.account, "GET", "/me/cases")).body.cases[0].room_id as string;
    const clicked = await offerToJun(minaPage, { note: NOTE, toVictim: TO_VICTIM });
    expect((await caseOf(mina, roomId))).toBeDefined();
    expect(await seriousAxeViolations(minaPage)).toEqual([]);
    await screenshot(minaPage, "transfer-offered");

    // jun's console shows the transfer as an offer with Accept; accepting brings the earlier conversation, readable.
    await offers(junPage).filter({ hasText: "Transfer from" }).waitFor({ timeout: 20_000 });
    expect(await seriousAxeViolations(junPage)).toEqual([]);
    await screenshot(junPage, "transfer-offer-received");
    const accepted = performance.now();
    await offers(junPage).getByRole("button", { name: "Accept" }).click();
    await fromOther(junPage, "I am scared he will post it tonight.").waitFor({ timeout: 60_000 });
    const read = performance.now();
    console.log(`[transfer] offer click -> colleague reads the history: ${(read - clicked).toFixed(0)} ms; accept click -> history read: ${(read - accepted).toFixed(0)} ms`);
    await fromOther(junPage, "I'm here with you.").waitFor({ timeout: 45_000 });
    await junPage.getByText(`Their note: ${NOTE}`).waitFor({ timeout: 45_000 });
    expect(await junPage.getByText(/can't be read/).count()).toBe(0);
    expect(await caseOf(jun, roomId)).toBeDefined();
    expect(await caseOf(mina, roomId)).toBeUndefined();

    // mina's console leaves once jun has the keys; the victim reads that the history was shared and mina's line.
    await expect.poll(async () => (await env.stack.ops(jun.account, "GET", `/cases/${(await caseOf(jun, roomId))!.id}`)).body.case.assigned_to).toBe(jun.userId);
    await victim.page.locator(".message", { hasText: SHARED_NOTICE }).waitFor({ timeout: 30_000 });
    await victim.page.locator(".message", { hasText: TO_VICTIM }).waitFor({ timeout: 45_000 });
    await mina.waitFor(() => mina.client.getRoom(roomId)?.getMyMembership() === "leave", "mina to leave the room", 30_000);
    // The note never reached the victim's room: not in anything the victim's app decrypted.
    const victimText = (await victim.page.locator(".messages").allTextContents()).join("\n");
    expect(victimText).not.toContain(NOTE);
    expect(victimText).toContain(SHARED_NOTICE);
    await screenshot(victim.page, "transfer-victim-notice");

    // The victim's next message reaches jun.
    const asked = performance.now();
    await victim.send("hello? are you still there?");
    await fromOther(junPage, "hello? are you still there?").waitFor({ timeout: 30_000 });
    console.log(`[transfer] victim's next message -> colleague's console: ${(performance.now() - asked).toFixed(0)} ms`);
    await junPage.getByRole("textbox", { name: /Message/ }).fill("Yes, I'm Jun. I have read what you told Mina.");
    await junPage.keyboard.press("Enter");
    await victim.page.locator(".message.from-other", { hasText: "Yes, I'm Jun." }).waitFor({ timeout: 20_000 });
    await screenshot(junPage, "transfer-received");
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
  }, 180_000);

  it("undo takes a waiting transfer back, and an offer nobody accepts in time leaves the case where it was", async () => {
    // jun has the first case now; mina takes a second one from a victim who skips triage.
    const victim = await env.stack.visitor();
    const roomId = await env.stack.startConversation(victim);
    const first = await nextPrompt(victim, roomId, env.stack.triageBot);
    await env.stack.setShift(jun.account, false);
    await env.stack.say(victim, roomId, "I just want to talk to someone", { prompt_id: first.id, option_id: "skip" });
    await offers(minaPage).first().waitFor({ timeout: 20_000 });
    await offers(minaPage).getByRole("button", { name: "Accept" }).click();
    await victim.waitForRoom(roomId, "join");
    await victim.waitFor(() => victim.client.getRoom(roomId)?.getMember(mina.userId)?.membership === "join", "mina to join");
    await env.stack.say(victim, roomId, "Are you there?");
    await fromOther(minaPage, "Are you there?").waitFor({ timeout: 20_000 });
    await env.stack.setShift(jun.account, true);
    const caseId = (await caseOf(mina, roomId))!.id;

    // Undo: mina takes the offer back; jun's offer goes, and accepting it is refused.
    await offerToJun(minaPage);
    await offers(junPage).filter({ hasText: "Transfer from" }).waitFor({ timeout: 20_000 });
    await minaPage.getByRole("button", { name: "Take it back" }).click();
    await minaPage.getByText("You took the transfer back. The case stays with you.").waitFor({ timeout: 45_000 });
    await offers(junPage).filter({ hasText: "Transfer from" }).waitFor({ state: "detached", timeout: 20_000 });
    const refused = await env.stack.ops(jun.account, "POST", `/cases/${caseId}/transfer/accept`, {});
    expect(refused.body.errcode).toBe("M_BAD_STATE");
    expect((await caseOf(mina, roomId))).toBeDefined();

    // Timeout: jun does not answer; the case stays with mina, who can offer it again.
    await offerToJun(minaPage);
    await offers(junPage).filter({ hasText: "Transfer from" }).waitFor({ timeout: 20_000 });
    await minaPage.getByText("jun did not accept in time. The case stays with you.").waitFor({ timeout: TRANSFER_TIMEOUT_MS + 20_000 });
    await offers(junPage).filter({ hasText: "Transfer from" }).waitFor({ state: "detached", timeout: 20_000 });
    expect((await caseOf(mina, roomId))).toBeDefined();
    expect(victim.client.getRoom(roomId)?.getMember(jun.userId)?.membership ?? "none").toBe("none");
    await minaPage.locator("summary", { hasText: "Transfer to a colleague" }).waitFor();
    await screenshot(minaPage, "transfer-expired");

    // The hand-over goes on while mina works in another conversation (only the shown one has a view).
    const other = await env.stack.visitor();
    const otherRoom = await env.stack.startConversation(other);
    const otherFirst = await nextPrompt(other, otherRoom, env.stack.triageBot);
    await env.stack.setShift(jun.account, false);
    await env.stack.say(other, otherRoom, "I just want to talk to someone", { prompt_id: otherFirst.id, option_id: "skip" });
    await offers(minaPage).first().waitFor({ timeout: 20_000 });
    await offers(minaPage).getByRole("button", { name: "Accept" }).click();
    await other.waitFor(() => other.client.getRoom(otherRoom)?.getMember(mina.userId)?.membership === "join", "mina to join the other room");
    await env.stack.setShift(jun.account, true);
    await minaPage.locator(`[role=tab][data-room="${roomId}"]`).click();
    await offerToJun(minaPage, { note: "Second case: she asked about the police." });
    await minaPage.locator(`[role=tab][data-room="${otherRoom}"]`).click();
    await offers(junPage).filter({ hasText: "Transfer from" }).waitFor({ timeout: 20_000 });
    await offers(junPage).getByRole("button", { name: "Accept" }).click();
    await junPage.getByText("Their note: Second case: she asked about the police.").waitFor({ timeout: 60_000 });
    await minaPage.locator(`[role=tab][data-room="${roomId}"]`).waitFor({ state: "detached", timeout: 60_000 });
    await victim.waitFor(() => victim.client.getRoom(roomId)?.getMember(mina.userId)?.membership === "leave", "mina to leave the transferred room", 30_000);
    expect(await caseOf(jun, roomId)).toBeDefined();
    await env.stack.say(victim, roomId, "Is anyone still there?");
    await fromOther(junPage, "Is anyone still there?").waitFor({ timeout: 30_000 });
    lastRoom = { victim: other, roomId: otherRoom };
  }, 240_000);

  it("a console closed after the colleague accepted finishes the hand-over when it opens again", async () => {
    const { victim, roomId } = lastRoom!;
    await minaPage.locator(`[role=tab][data-room="${roomId}"]`).click();
    await offerToJun(minaPage);
    const context = minaPage.context();
    await minaPage.close();
    await offers(junPage).filter({ hasText: "Transfer from" }).waitFor({ timeout: 20_000 });
    await offers(junPage).getByRole("button", { name: "Accept" }).click();
    await expect.poll(async () => (await caseOf(jun, roomId)) !== undefined, { timeout: 45_000 }).toBe(true);
    // mina's console opens again: it invites jun, hands over the keys and leaves.
    minaPage = await context.newPage();
    await minaPage.goto(`${env.stack.hs.url}/console`);
    await minaPage.getByRole("heading", { level: 1, name: "mina", exact: true }).waitFor({ timeout: 30_000 });
    await victim.waitFor(() => victim.client.getRoom(roomId)?.getMember(mina.userId)?.membership === "leave", "mina to leave after the reload", 90_000);
    await env.stack.say(victim, roomId, "Hello, who is with me now?");
    await fromOther(junPage, "Hello, who is with me now?").waitFor({ timeout: 30_000 });
    await junPage.getByText(/Transferred to you by/).waitFor({ timeout: 45_000 });
  }, 240_000);
});
