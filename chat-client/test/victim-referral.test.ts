/**
 * Issue 8 from the victim's side, in Chromium against the real homeserver and
 * bots: after triage a companion (a Node client) refers the victim to a
 * partner through the ops API. The referral bot's room appears in the victim
 * app as a "Referrals" tab; the victim reads who the partner is, taps yes / no
 * / yes, and the partner's staff (a Node client) joins and writes, shown as the
 * partner's message. "Withdraw my consent" removes the partner. A second
 * referral is declined, and a third, to a partner without staff, ends in a
 * letter card the victim can save as text or as the bot's PDF. All of it in "Don't keep anything on this
 * device" mode, which must still leave nothing; deleting leaves the referral rooms.
 * Then a kept session: a referral made while the app is closed is joined when
 * it opens, and the recovery code brings the referral room back elsewhere.
 */
import { readFile } from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import type { Locator } from "playwright-core";
import type { CaseJson } from "@onsafe/schema/ops-api";
import { pendingInvite } from "../../bots/test/conversation.ts";
import type { Account } from "../../chat-server/test/harness.ts";
import { screenshot, seriousAxeViolations } from "../../test-support/browser.ts";
import { pdfText } from "../../test-support/pdf-text.ts";
import type { SdkClient } from "../../test-support/sdk-client.ts";
import { useBrowserStack } from "./browser-stack.ts";
import { NOTHING_STORED, storageInContext, storageInPage } from "./storage-probe.ts";
import { VictimPage } from "./victim-page.ts";

const SUMMARY = "Deepfake images on two forums; wants to file a complaint next week.";
const env = useBrowserStack();

let referralBot: string;
let patAccount: Account;
let pat: SdkClient;
let legalAid: string;
let deletion: string;

beforeAll(async () => {
  referralBot = ((await env.stack.ops(undefined, "GET", "/public/config")).body as { referral_bot: string }).referral_bot;
  const boss = await env.stack.staff("boss", { kind: "supervisor", onShift: false });
  patAccount = await env.stack.hs.createAccount("partner", "pat");
  await env.stack.bots.queue.staff.addOrUpdateStaff({ userId: patAccount.userId, kind: "partner", displayName: "Pat (legal aid)" });
  pat = await env.stack.client(patAccount);
  const partner = async (body: Record<string, unknown>) => {
    const reply = await env.stack.ops(boss.account, "POST", "/partners", {
      region: "Seoul", languages: ["ko", "en"], hours: "Mon–Fri 9–18", about: { ko: "무료 법률 상담", en: "Free legal advice" }, ...body,
    });
    if (reply.status !== 200) throw new Error(`partner: ${JSON.stringify(reply.body)}`);
    return reply.body.partner.id as string;
  };
  legalAid = await partner({ kind: "legal_aid", name: { ko: "법률구조공단", en: "Legal Aid Corporation" }, contact: "132", staff_ids: [patAccount.userId] });
  deletion = await partner({ kind: "content_deletion", name: { ko: "삭제지원센터", en: "Deletion support centre" }, about: { ko: "불법 촬영물 삭제 지원", en: "Helps remove images" }, contact: "02-735-8994", staff_ids: [] });
}, 120_000);


/** Taps an option in `panel` and waits for the tap to show as the victim's message. */
async function tap(panel: Locator, label: string): Promise<void> {
  const mine = await panel.locator(".message.from-me").count();
  await panel.locator(".options[role=group] button").filter({ hasText: label }).click({ timeout: 45_000 });
  await expect.poll(() => panel.locator(".message.from-me").count(), { timeout: 30_000 }).toBe(mine + 1);
}

describe("referrals in the victim app", () => {
  it("asks consent item by item in a Referrals tab, shows the partner's staff, withdraws, declines, and gives a letter", async () => {
    expect(referralBot).toMatch(/^@onsafe-referral:/);
    const mina = await env.stack.staff("mina", { languages: ["en", "ko"] });
    const context = await env.phone({ acceptDownloads: true });
    const victim = await VictimPage.open(context, env.stack.hs.url);
    const page = victim.page;
    await page.getByRole("checkbox", { name: "Don't keep anything on this device" }).check();

    // Triage by tapping; the companion joins.
    await victim.start();
    await victim.answerTriageByTapping(async () => pendingInvite(mina, env.stack.triageBot) !== undefined);
    const chatRoom = pendingInvite(mina, env.stack.triageBot)!.roomId;
    await mina.client.joinRoom(chatRoom);
    await page.getByText("We've passed your answers to your counsellor").waitFor({ timeout: 45_000 });
    const caseId = ((await env.stack.ops(mina.account, "GET", "/me/cases")).body as { cases: CaseJson[] }).cases.find((c) => c.room_id === chatRoom)!.id;
    await mina.sendText(chatRoom, "Hello, I'm Mina, your companion.");
    await page.locator("#panel-chat .message.from-other", { hasText: "I'm Mina" }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole("tab").count()).toBe(0);

    // The companion refers; the tab appears with its dot, the chat stays on screen.
    const refer = async (partner_id: string, items: string[], summary?: string) => {
      const reply = await env.stack.ops(mina.account, "POST", `/cases/${caseId}/referrals`, { partner_id, items, ...(summary ? { summary } : {}) });
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    };
    const referred = performance.now();
    await refer(legalAid, ["category", "summary", "contact"], SUMMARY);
    const tab = page.getByRole("tab", { name: /^Referrals/ });
    await tab.waitFor({ timeout: 30_000 });
    await expect.poll(() => tab.textContent(), { timeout: 20_000 }).toContain("new messages");
    console.log(`[victim app] referral made -> referrals tab with its dot: ${(performance.now() - referred).toFixed(0)} ms`);
    expect(await page.getByRole("tab", { name: "Chat" }).getAttribute("aria-selected")).toBe("true");

    await tab.click();
    const panel = page.locator("#panel-referrals");
    const bar = panel.locator(".referral-bar");
    await expect.poll(() => bar.textContent(), { timeout: 45_000 }).toBe("Legal Aid Corporation");
    await panel.getByText("Free legal advice", { exact: false }).waitFor({ timeout: 30_000 });

    // One question per item: yes to the kind of harm, no to the summary, yes to contact.
    const shown = panel.locator(".pane:not([hidden])");
    await shown.getByText("May we tell Legal Aid Corporation the kind of harm", { exact: false }).waitFor({ timeout: 45_000 });
    expect(await shown.locator(".options button").allTextContents()).toEqual(["Yes, share it", "No", "Don't refer me"]);
    await tap(shown, "Yes, share it");
    await shown.getByText(SUMMARY, { exact: false }).waitFor({ timeout: 45_000 });
    await tap(shown, "No");
    await shown.getByText("May someone from Legal Aid Corporation write to you", { exact: false }).waitFor({ timeout: 45_000 });
    await tap(shown, "Yes, share it");
    await shown.getByText("I've invited Legal Aid Corporation to this chat", { exact: false }).waitFor({ timeout: 45_000 });
    const withdraw = shown.getByRole("button", { name: "Withdraw my consent" });
    await withdraw.waitFor({ timeout: 30_000 });

    // The partner's staff joins and writes; the victim reads it as the partner's, not the bot's.
    await pat.waitFor(() => pendingInvite(pat, referralBot) !== undefined, "the partner invited");
    const handoff = pendingInvite(pat, referralBot)!.roomId;
    await pat.client.joinRoom(handoff);
    await pat.sendText(handoff, "Hello, I am Pat from legal aid. How can I help?");
    const partnerMessage = shown.locator(".message.from-other", { hasText: "I am Pat from legal aid" });
    await partnerMessage.waitFor({ timeout: 20_000 });
    expect(await partnerMessage.locator(".sender").textContent()).toBe("Legal Aid Corporation staff");
    // The hand-off the bot posts when the partner joins does not take the way back away.
    await shown.getByText("only what the person agreed to share", { exact: false }).waitFor({ timeout: 30_000 });
    expect(await withdraw.isVisible()).toBe(true);

    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await victim.horizontalOverflow()).toBe(0);
    expect(await page.getByRole("button", { name: /^Quick exit/ }).isVisible()).toBe(true);
    await page.getByText("Call for help", { exact: true }).waitFor();
    await screenshot(page, "victim-referral");

    // "Withdraw my consent": the notice, and the partner is out of the room.
    const mine = await shown.locator(".message.from-me").count();
    await withdraw.click();
    await expect.poll(() => shown.locator(".message.from-me").count(), { timeout: 30_000 }).toBe(mine + 1);
    await shown.getByText("Your consent is withdrawn", { exact: false }).waitFor({ timeout: 45_000 });
    await pat.waitFor(() => pat.client.getRoom(handoff)?.getMyMembership() === "leave", "the partner removed from the room");
    expect(await shown.getByRole("button", { name: "Withdraw my consent" }).count()).toBe(0);

    // A second referral, declined: it is picked as it arrives, newest first in the list.
    await refer(legalAid, ["category", "contact"]);
    const choice = panel.getByRole("combobox", { name: "Referral to" });
    await expect.poll(() => choice.locator("option").count(), { timeout: 30_000 }).toBe(2);
    await shown.getByText("May we tell Legal Aid Corporation the kind of harm", { exact: false }).waitFor({ timeout: 45_000 });
    await tap(shown, "Don't refer me");
    await shown.getByText("Nothing was shared with Legal Aid Corporation", { exact: false }).waitFor({ timeout: 45_000 });
    expect(await shown.locator(".options button").count()).toBe(0);

    // A partner without staff: the victim gets a letter to carry, as a card to save.
    await refer(deletion, ["category", "summary"], SUMMARY);
    await expect.poll(() => choice.locator("option").allTextContents(), { timeout: 30_000 }).toEqual(["Deletion support centre", "Legal Aid Corporation", "Legal Aid Corporation"]);
    expect(await choice.inputValue()).toBe(await choice.locator("option").first().getAttribute("value"));
    await shown.getByText("Helps remove images", { exact: false }).waitFor({ timeout: 45_000 });
    await tap(shown, "Yes, share it");
    await tap(shown, "Yes, share it");
    const letter = shown.locator(".letter-card");
    await letter.waitFor({ timeout: 45_000 });
    expect(await letter.getByRole("heading").textContent()).toBe("Your referral letter");
    const text = (await letter.getByTestId("letter-text").textContent())!;
    expect(text).toContain("Contact: 02-735-8994");
    expect(text).toContain(SUMMARY);
    expect(text).not.toContain("If you change your mind");
    const [download] = await Promise.all([page.waitForEvent("download"), letter.getByRole("button", { name: "Save as text" }).click()]);
    expect(download.suggestedFilename()).toBe("letter.txt");
    expect(await readFile((await download.path())!, "utf8")).toBe(text);
    // The bot's PDF of the same letter, decrypted in the page and saved.
    const savePdf = letter.getByRole("button", { name: "Save as PDF" });
    await savePdf.waitFor({ timeout: 45_000 });
    const [pdfDownload] = await Promise.all([page.waitForEvent("download"), savePdf.click()]);
    expect(pdfDownload.suggestedFilename()).toBe("letter.pdf");
    const pdf = await readFile((await pdfDownload.path())!);
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const pdfWords = (await pdfText(pdf)).pages.join(" ");
    for (const words of ["Referral letter", "Deletion support centre", "02-735-8994", SUMMARY]) expect(pdfWords).toContain(words);
    expect(await letter.getByRole("alert").count()).toBe(0);
    expect(await letter.getByRole("button", { name: "Withdraw my consent" }).count()).toBe(1);

    // The earlier referral is one choice away, as it was left.
    await choice.selectOption({ index: 2 });
    await shown.getByText("Your consent is withdrawn", { exact: false }).waitFor({ timeout: 30_000 });
    await choice.selectOption({ index: 0 });

    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await victim.horizontalOverflow()).toBe(0);
    await screenshot(page, "victim-referral-letter");

    // In Korean: the tab's name and the letter card's words.
    await victim.switchLanguage();
    expect(await page.getByRole("tab", { name: /^연결/ }).getAttribute("aria-selected")).toBe("true");
    expect(await letter.getByRole("heading").textContent()).toBe("의뢰서");
    expect(await letter.getByRole("button", { name: "텍스트로 저장" }).count()).toBe(1);
    expect(await letter.getByRole("button", { name: "PDF로 저장" }).count()).toBe(1);
    expect(await seriousAxeViolations(page)).toEqual([]);
    expect(await victim.horizontalOverflow()).toBe(0);
    await victim.switchLanguage();

    expect(await storageInPage(page)).toEqual(NOTHING_STORED);
    expect(await storageInContext(context)).toEqual({ cookies: [], origins: [] });

    // Deleting the conversation leaves every room, the referral rooms too.
    const referralRooms = mina.client.getRooms().filter((room) => room.getMember(mina.userId)?.events.member?.getSender() === referralBot).map((room) => room.roomId);
    expect(referralRooms).toHaveLength(3);
    for (const roomId of referralRooms) await mina.client.joinRoom(roomId);
    const victimId = mina.client.getRoom(chatRoom)!.getMembers().find((m) => m.userId.includes(":") && m.userId !== mina.userId && m.userId !== env.stack.triageBot)!.userId;
    await page.getByText("Menu", { exact: true }).click();
    await page.getByRole("button", { name: "Delete this conversation" }).click();
    await page.getByRole("dialog", { name: "Delete this conversation?" }).getByRole("button", { name: "Delete" }).click();
    await page.getByRole("heading", { name: "Your conversation is deleted" }).waitFor({ timeout: 30_000 });
    await mina.waitFor(() => [chatRoom, ...referralRooms].every((id) => mina.client.getRoom(id)?.getMember(victimId)?.membership === "leave"), "the victim gone from every room");

    expect(victim.console.filter((line) => line.startsWith("pageerror"))).toEqual([]);
    expect(victim.foreignRequests()).toEqual([]);
  }, 240_000);

  it("joins a referral made while the app was closed, and the recovery code brings the referral room back", async () => {
    const dana = await env.stack.staff("dana", { languages: ["en", "ko"] });
    const context = await env.phone();
    const first = await VictimPage.open(context, env.stack.hs.url);
    await first.start();
    await first.answerTriageByTapping(async () => pendingInvite(dana, env.stack.triageBot) !== undefined);
    const chatRoom = pendingInvite(dana, env.stack.triageBot)!.roomId;
    await dana.client.joinRoom(chatRoom);
    await first.page.getByText("We've passed your answers to your counsellor").waitFor({ timeout: 45_000 });
    const code = await first.recoveryCode();
    const caseId = ((await env.stack.ops(dana.account, "GET", "/me/cases")).body as { cases: CaseJson[] }).cases.find((c) => c.room_id === chatRoom)!.id;
    const token = await first.page.evaluate(() => JSON.parse(localStorage.getItem("onsafe.session")!).accessToken as string);
    await first.page.close();

    // While the app is closed, the companion refers.
    const reply = await env.stack.ops(dana.account, "POST", `/cases/${caseId}/referrals`, { partner_id: deletion, items: ["category"] });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);

    // Opened again, the kept session joins the referral room and the first question is answerable.
    const again = await VictimPage.open(context, env.stack.hs.url);
    const tab = again.page.getByRole("tab", { name: /^Referrals/ });
    await tab.click({ timeout: 30_000 });
    const panel = again.page.locator("#panel-referrals");
    await expect.poll(() => panel.locator(".referral-bar").textContent(), { timeout: 45_000 }).toBe("Deletion support centre");
    await tap(panel.locator(".pane:not([hidden])"), "Yes, share it");
    await panel.locator(".letter-card").waitFor({ timeout: 45_000 });

    // The kept device backs up the referral room's keys too (the bot's, which the letter uses, and its own answer's);
    // with the code, a fresh browser reads it. Counting all keys was not enough: the chat's alone can reach any total.
    const call = async (path: string) => {
      const response = await fetch(`${env.stack.hs.url}/_matrix/client/v3${path}`, { headers: { authorization: `Bearer ${token}` } });
      return response.ok ? ((await response.json()) as Record<string, unknown>) : null;
    };
    const referralRoom = ((await call("/joined_rooms"))!.joined_rooms as string[]).find((id) => id !== chatRoom)!;
    const referralSessionsBackedUp = async () => {
      const version = (await call("/room_keys/version"))?.version as string | undefined;
      const room = version ? await call(`/room_keys/keys/${encodeURIComponent(referralRoom)}?version=${version}`) : null;
      return Object.keys((room?.sessions as object | undefined) ?? {}).length;
    };
    await expect.poll(referralSessionsBackedUp, { timeout: 30_000, interval: 500 }).toBeGreaterThanOrEqual(2);
    const restored = await VictimPage.open(await env.phone(), env.stack.hs.url);
    await restored.page.getByRole("button", { name: "Open an earlier chat with a recovery code" }).click();
    await restored.page.getByRole("textbox", { name: "Recovery code" }).fill(code);
    await restored.page.getByRole("button", { name: "Open my chat" }).click();
    await restored.page.getByRole("tab", { name: /^Referrals/ }).click({ timeout: 30_000 });
    const card = restored.page.locator("#panel-referrals .letter-card");
    await card.waitFor({ timeout: 30_000 });
    expect(await card.getByTestId("letter-text").textContent()).toContain("Contact: 02-735-8994");
    expect(await restored.page.locator("#panel-referrals .referral-bar").textContent()).toBe("Deletion support centre");
    for (const page of [again, restored]) expect(page.console.filter((line) => line.startsWith("pageerror"))).toEqual([]);
  }, 120_000);
});
