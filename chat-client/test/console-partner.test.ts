/**
 * The partner view of the console (docs/CONSOLE.md "Partner view") in
 * Chromium at phone width, against the real homeserver, bots service and
 * referral bot, with Node clients for the victim and the companion: a
 * partner's staff member signs in and gets their own view (no queue, shift or
 * case actions); the victim consents to two of three items; the referral
 * shows up, "Accept" joins its chat, the hand-off pinned on top holds exactly
 * the agreed items, and the partner's message reaches the victim decrypted.
 * When the victim withdraws, the screen says so and the chat is gone. A
 * console first signed in after a hand-off says why it cannot read it.
 */
import type { PartnerReferralJson } from "@onsafe/schema/ops-api";
import { beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import type { Account } from "../../chat-server/test/harness.ts";
import { messages } from "../../bots/test/conversation.ts";
import { answerItems, caseTakenBy, joinNewReferralRoom, withdrawConsent } from "../../bots/test/referral-steps.ts";
import { screenshot, seriousAxeViolations } from "../../test-support/browser.ts";
import type { SdkClient } from "../../test-support/sdk-client.ts";
import { useBrowserStack } from "./browser-stack.ts";
import { signInToConsole, watchPageErrors } from "./console-page.ts";

const SUMMARY = "Deepfake images on two forums; wants to file a complaint next week.";

// Each test's browser closes after it: the second needs a partner device that never saw the hand-off.
const env = useBrowserStack({ closeContextsAfterEach: true });
let mina: SdkClient;
let patAccount: Account;
let partnerId: string;

beforeAll(async () => {
  const boss = await env.stack.staff("boss", { kind: "supervisor", onShift: false });
  mina = await env.stack.staff("mina", { languages: ["en", "ko"] });
  // A partner's staff member, as the admin CLI adds them (display name as the username, so the sign-in helper finds the heading).
  patAccount = await env.stack.hs.createAccount("partner", "pat");
  await env.stack.bots.queue.staff.addOrUpdateStaff({ userId: patAccount.userId, kind: "partner", displayName: "pat" });
  const reply = await env.stack.ops(boss.account, "POST", "/partners", {
    kind: "legal_aid", name: { ko: "법률구조공단", en: "Legal Aid Corporation" }, about: { ko: "무료 법률 상담", en: "Free legal advice" },
    region: "Seoul", languages: ["ko", "en"], hours: "Mon–Fri 9–18", contact: "132", staff_ids: [patAccount.userId],
  });
  partnerId = reply.body.partner.id;
}, 90_000);

async function noSidewaysScroll(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

describe("the partner view", () => {
  it("a partner accepts a referral, reads only the agreed items and writes to the person; a withdrawal closes it", async () => {
    const page = await (await env.phone()).newPage();
    const errors = watchPageErrors(page);
    await signInToConsole(page, env.stack.hs.url, "pat");
    const list = page.locator("section.partner-referrals");
    await list.getByRole("heading", { name: "Referrals to your organisation" }).waitFor({ timeout: 45_000 });
    await list.getByText("No referrals yet.").waitFor({ timeout: 30_000 });
    // None of the companion's dashboard: no shift, queue, conversations, agenda or figures.
    for (const heading of ["Offered to me", "Queue", "Conversations", "Agenda"]) expect(await page.getByRole("heading", { name: heading }).count()).toBe(0);
    expect(await page.getByRole("switch").count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, "console-partner-empty");

    // The companion offers legal aid; the victim agrees to the kind of harm and contact, not the summary.
    const { victim, caseId } = await caseTakenBy(env.stack, mina);
    const offered = await env.stack.ops(mina.account, "POST", `/cases/${caseId}/referrals`, { partner_id: partnerId, items: ["category", "summary", "contact"], summary: SUMMARY });
    const referralId = offered.body.referral.id as string;
    const room = await joinNewReferralRoom(env.stack, victim);
    await answerItems(env.stack, victim, room, ["yes", "no", "yes"]);

    // The referral shows up (polled), waiting for the partner.
    const item = list.locator(`li.referral[data-referral="${referralId}"]`);
    await expect.poll(() => item.locator(".status").textContent(), { timeout: 45_000 }).toBe("Waiting for you to accept");
    expect(await item.getByRole("heading").textContent()).toBe(`Referral ${referralId}`);
    expect(await page.title()).toMatch(/^\(1\) /);
    expect(await seriousAxeViolations(page)).toEqual([]);

    // Accept joins the chat; the focus moves to it; the hand-off is pinned on top with exactly the agreed items.
    await item.getByRole("button", { name: "Accept" }).click();
    const chat = page.locator("section.partner-conversation");
    await chat.getByRole("heading", { name: `Referral ${referralId}: chat` }).waitFor({ timeout: 45_000 });
    await expect.poll(() => page.evaluate(() => document.activeElement?.id), { timeout: 5000 }).toBe("partner-conversation-title");
    const handoff = chat.locator(".handoff.pinned");
    await expect.poll(() => handoff.locator("p").textContent(), { timeout: 45_000 }).toContain(referralId);
    const sent = messages(victim, room).find((m) => m.content["org.onsafe.referral"]?.stage === "handoff")!.content;
    expect(sent["org.onsafe.referral"].items).toEqual(["category", "contact"]);
    expect(await handoff.getByRole("heading").textContent()).toBe("What the person agreed to share");
    expect(await handoff.locator("p").textContent()).toBe(sent.body);
    const agreed = String(sent.body).split("\n\n").at(-1)!.split("\n");
    expect(agreed).toHaveLength(2);
    expect(agreed[0]).toMatch(/^Kind of harm: /);
    expect(agreed[1]).toBe("Contact: this encrypted chat");
    expect(await page.locator("body").textContent()).not.toContain(SUMMARY);
    await expect.poll(() => item.locator(".status").textContent(), { timeout: 45_000 }).toBe("Accepted");

    // The partner writes; the victim's client decrypts it. The victim's answer shows, named as "The person".
    const composer = chat.getByRole("textbox", { name: "Message" });
    await composer.fill("Hello, I am Pat from legal aid. How can I help?");
    await composer.press("Enter");
    await victim.waitForMessage(room, "Hello, I am Pat from legal aid. How can I help?");
    await expect.poll(() => item.locator(".status").textContent(), { timeout: 45_000 }).toBe("In contact");
    await victim.sendText(room, "I would like advice on a complaint.");
    const answer = chat.locator("li.message", { hasText: "I would like advice on a complaint." });
    await answer.waitFor({ timeout: 45_000 });
    expect(await answer.locator(".sender").textContent()).toBe("The person");
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await noSidewaysScroll(page)).toBe(0);
    await screenshot(page, "console-partner-chat");

    // The victim withdraws: the referral says so, offers nothing, and the chat is gone from the screen and the server.
    await withdrawConsent(env.stack, victim, room);
    await expect.poll(() => item.locator(".status").textContent(), { timeout: 45_000 }).toBe("Consent withdrawn");
    expect(await item.locator(".withdrawn").textContent()).toBe("The person withdrew their consent. The chat is closed to you.");
    await expect.poll(() => chat.count(), { timeout: 45_000 }).toBe(0);
    expect(await item.getByRole("button").count()).toBe(0);
    expect(await page.locator("body").textContent()).not.toContain("I would like advice on a complaint.");
    const seen = (await env.stack.ops(patAccount, "GET", "/me/referrals")).body.referrals as PartnerReferralJson[];
    expect(seen).toEqual([expect.objectContaining({ id: referralId, status: "withdrawn", room_id: null })]);
    const joined = await env.stack.hs.request("GET", "/_matrix/client/v3/joined_rooms", { token: patAccount.token });
    expect(joined.body.joined_rooms).not.toContain(room);
    const late = await env.stack.hs.request("PUT", `/_matrix/client/v3/rooms/${encodeURIComponent(room)}/send/m.room.message/late-1`, { token: patAccount.token, body: { msgtype: "m.text", body: "Still there?" } });
    expect(late.status).toBe(403);
    // The console forgot the room, so the server gives the account none of its history either.
    const history = () => env.stack.hs.request("GET", `/_matrix/client/v3/rooms/${encodeURIComponent(room)}/messages?dir=b&limit=50`, { token: patAccount.token });
    await expect.poll(async () => (await history()).body.chunk?.length, { timeout: 30_000 }).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await noSidewaysScroll(page)).toBe(0);
    await screenshot(page, "console-partner-withdrawn");

    // In Korean: the same view in the partner's words.
    await page.locator("button.lang-switch").click();
    await list.getByRole("heading", { name: "우리 기관으로 온 의뢰" }).waitFor();
    expect(await item.locator(".status").textContent()).toBe("동의 철회됨");
    expect(await item.locator(".withdrawn").textContent()).toBe("당사자가 동의를 철회했어요. 대화방은 닫혔고 더는 볼 수 없어요.");
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("a console first signed in after the hand-off reads it: the bot posts it again when the partner joins", async () => {
    const { victim, caseId } = await caseTakenBy(env.stack, mina);
    const offered = await env.stack.ops(mina.account, "POST", `/cases/${caseId}/referrals`, { partner_id: partnerId, items: ["category", "contact"] });
    const referralId = offered.body.referral.id as string;
    const room = await joinNewReferralRoom(env.stack, victim);
    await answerItems(env.stack, victim, room, ["yes", "yes"]);
    await expect.poll(async () => ((await env.stack.ops(patAccount, "GET", "/me/referrals")).body.referrals as PartnerReferralJson[])[0]?.id, { timeout: 45_000 }).toBe(referralId);

    // A new browser (a new device): the hand-off was encrypted for the devices there were.
    const page = await (await env.phone()).newPage();
    const errors = watchPageErrors(page);
    await signInToConsole(page, env.stack.hs.url, "pat");
    await page.locator(`li.referral[data-referral="${referralId}"]`).getByRole("button", { name: "Accept" }).click({ timeout: 45_000 });
    const chat = page.locator("section.partner-conversation");
    // The first hand-off was encrypted for the devices there were; the one posted on joining reaches this one.
    await chat.locator(".handoff.pinned").waitFor({ timeout: 45_000 });
    expect(await chat.locator(".handoff.pinned").textContent()).toContain("Kind of harm");
    expect(await chat.locator(".handoff-unreadable").count()).toBe(0);
    await victim.sendText(room, "Are you there?");
    await chat.locator("li.message", { hasText: "Are you there?" }).waitFor({ timeout: 45_000 });
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
  });
});
