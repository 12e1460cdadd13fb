/**
 * Referrals in the companion console (issue 8, docs/REFERRALS.md) in Chromium
 * against the real homeserver, bots service and referral bot, with Node
 * clients for the victim and the partner's staff member: a supervisor adds a
 * partner (an invalid one is refused in the server's words), a companion
 * offers a referral with a summary, the victim consents item by item in the
 * referral room, the console shows consent and then the partner's acceptance,
 * and "Mark completed" completes it. `/refer` opens the form and sends nothing
 * into the counselling room.
 */
import type { PartnerJson, ReferralJson } from "@onsafe/schema/ops-api";
import { beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import type { Account } from "../../chat-server/test/harness.ts";
import { messages, nextPrompt, waitForInvite } from "../../bots/test/conversation.ts";
import { screenshot, seriousAxeViolations } from "../../test-support/browser.ts";
import type { SdkClient } from "../../test-support/sdk-client.ts";
import { useBrowserStack } from "./browser-stack.ts";
import { acceptNewCase, openView, signInToConsole, watchPageErrors } from "./console-page.ts";

const SUMMARY = "Deepfake images on two forums; wants to file a complaint next week.";

const env = useBrowserStack();
let pat: SdkClient;
let patAccount: Account;
let boss: SdkClient;
let mina: SdkClient;
let partnerId: string;

beforeAll(async () => {
  boss = await env.stack.staff("boss", { kind: "supervisor", onShift: false });
  mina = await env.stack.staff("mina", { languages: ["en", "ko"], onShift: false });
  // A partner's staff member, as the admin CLI would list them in the staff directory.
  patAccount = await env.stack.hs.createAccount("partner", "pat");
  await env.stack.bots.queue.staff.addOrUpdateStaff({ userId: patAccount.userId, kind: "partner", displayName: "Pat (legal aid)" });
  pat = await env.stack.client(patAccount);
}, 90_000);

async function signIn(context: BrowserContext, name: string): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors = watchPageErrors(page);
  await signInToConsole(page, env.stack.hs.url, name);
  return { page, errors };
}

async function expectFitsUprightTablet(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 768, height: 1024 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBe(0);
  await screenshot(page, name);
  await page.setViewportSize({ width: 1024, height: 768 });
}


describe("referrals in the companion console", () => {
  it("a supervisor adds a partner; one with a companion as its staff is refused in the server's words", async () => {
    const { page, errors } = await signIn(await env.tablet(), "boss");
    await openView(page, "Partners");
    const partners = page.locator("section.partners");
    await partners.getByRole("heading", { name: "Partners" }).waitFor({ timeout: 45_000 });
    await partners.getByText("No partners are listed.").waitFor();

    const fill = async (staff: string) => {
      await partners.getByLabel("Kind").selectOption({ label: "Legal aid" });
      await partners.getByLabel("Name (Korean)").fill("법률구조공단");
      await partners.getByLabel("Name (English)").fill("Legal Aid Corporation");
      await partners.getByLabel("What they do (Korean)").fill("무료 법률 상담");
      await partners.getByLabel("What they do (English)").fill("Free legal advice");
      await partners.getByLabel("Region").fill("Seoul");
      await partners.getByLabel(/^Languages/).fill("ko, en");
      await partners.getByLabel("Hours").fill("Mon–Fri 9–18");
      await partners.getByLabel(/^Contact/).fill("132");
      await partners.getByLabel(/^Partner account ids/).fill(staff);
      await partners.getByRole("button", { name: "Add", exact: true }).click();
    };
    // A companion is not a partner account: the ops API refuses, and the console shows its errcode and words.
    await fill(mina.userId);
    const refused = partners.getByRole("alert");
    await refused.waitFor({ timeout: 30_000 });
    const direct = await env.stack.ops(boss.account, "POST", "/partners", {
      kind: "legal_aid", name: { ko: "법률구조공단", en: "Legal Aid Corporation" }, about: { ko: "무료 법률 상담", en: "Free legal advice" },
      region: "Seoul", languages: ["ko", "en"], hours: "Mon–Fri 9–18", contact: "132", staff_ids: [mina.userId],
    });
    expect(direct.status).toBe(400);
    expect(direct.body.errcode).toBe("M_INVALID_PARAM");
    expect(await refused.textContent()).toBe(`Refused (M_INVALID_PARAM): ${direct.body.error}`);
    const listed = async () => (await env.stack.ops(boss.account, "GET", "/partners")).body.partners as PartnerJson[];
    expect(await listed()).toEqual([]);

    await fill(patAccount.userId);
    await partners.getByText(/^Added Legal Aid Corporation \(p-[0-9a-z]{6}\)\.$/).waitFor({ timeout: 30_000 });
    expect(await refused.count()).toBe(0);
    const [legalAid] = await listed();
    expect(legalAid).toMatchObject({ kind: "legal_aid", name: { en: "Legal Aid Corporation" }, languages: ["ko", "en"], staff_ids: [patAccount.userId], active: true });
    partnerId = legalAid.id;
    await partners.locator(`li.partner[data-partner="${partnerId}"]`).waitFor();

    // A second one, without an account, deactivated again.
    await fill("");
    await expect.poll(() => partners.locator("li.partner").count(), { timeout: 30_000 }).toBe(2);
    const second = (await listed()).find((p) => p.id !== partnerId)!;
    expect(second.staff_ids).toEqual([]);
    await partners.getByRole("button", { name: "Deactivate Legal Aid Corporation" }).nth(1).waitFor();
    await partners.locator(`li.partner[data-partner="${second.id}"]`).getByRole("button", { name: /^Deactivate/ }).click();
    await expect.poll(() => partners.locator("li.partner").count(), { timeout: 30_000 }).toBe(1);
    expect((await listed()).map((p) => p.id)).toEqual([partnerId]);

    await partners.scrollIntoViewIfNeeded();
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, "console-partners");
    await expectFitsUprightTablet(page, "console-partners-tablet");
    expect(errors).toEqual([]);
  });

  it("a companion offers a referral; the victim consents item by item, the partner accepts, and it is marked completed", async () => {
    const { page, errors } = await signIn(await env.tablet(), "mina");
    const { victim, roomId, caseId } = await acceptNewCase(page, env.stack, mina.account);
    const referrals = async () => (await env.stack.ops(mina.account, "GET", `/cases/${caseId}/referrals`)).body.referrals as ReferralJson[];

    // `/refer` opens "Refer to a partner" with the partner list focused, and sends nothing.
    const composer = page.getByRole("textbox", { name: "Message" });
    const partnerSelect = page.getByLabel("Partner", { exact: true });
    expect(await partnerSelect.isVisible()).toBe(false);
    await composer.fill("/refer");
    await composer.press("Enter");
    await expect.poll(() => partnerSelect.evaluate((el) => el === document.activeElement), { timeout: 5000 }).toBe(true);
    expect(await composer.inputValue()).toBe("");
    await page.getByText("Nothing is shared without their consent", { exact: false }).waitFor();

    // Legal aid, with the kind of harm, a summary and contact.
    await partnerSelect.selectOption({ label: "Legal aid · Legal Aid Corporation · Seoul" });
    const form = page.locator("details.refer");
    expect(await form.getByRole("checkbox", { name: "Kind of harm" }).isChecked()).toBe(true);
    expect(await form.getByRole("checkbox", { name: "Contact in a shared chat" }).isChecked()).toBe(true);
    await form.getByRole("checkbox", { name: "A summary you write" }).check();
    const summary = form.getByLabel("Summary for the partner");
    await summary.fill(SUMMARY);
    expect(await form.locator("#refer-summary-count").textContent()).toBe(`${SUMMARY.length} of 2,000 characters`);
    expect(await summary.getAttribute("maxlength")).toBe("2000");
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, "console-refer-form");
    await expectFitsUprightTablet(page, "console-refer-form-tablet");
    await form.getByRole("button", { name: "Offer referral" }).click();
    await page.locator(".referral-notice[role=status]", { hasText: "Referral to Legal Aid Corporation offered" }).waitFor({ timeout: 30_000 });
    const [referral] = await referrals();
    expect(referral).toMatchObject({ partner_id: partnerId, status: "offered", items_offered: ["category", "summary", "contact"] });
    const item = page.locator(`li.referral[data-referral="${referral.id}"]`);
    await expect.poll(() => item.locator(".status").textContent(), { timeout: 30_000 }).toBe("Offered (the victim is being asked)");
    expect(await item.textContent()).toContain("Offered: Kind of harm, A summary you write, Contact in a shared chat");

    // The victim joins the referral room and agrees to every item; the summary reached them as typed.
    const referralRoom = await waitForInvite(victim, env.stack.referralBot);
    await victim.client.joinRoom(referralRoom);
    let after: string | undefined;
    for (const expected of ["category", "summary", "contact"]) {
      const prompt = await nextPrompt(victim, referralRoom, env.stack.referralBot, after);
      expect(prompt.id).toBe(`${referral.id}.${expected}`);
      if (expected === "summary") expect(messages(victim, referralRoom).find((m) => m.event.getId() === prompt.eventId)!.content.body).toContain(SUMMARY);
      const yes = prompt.options.find((o) => o.id === "yes")!;
      await env.stack.say(victim, referralRoom, yes.label, { prompt_id: prompt.id, option_id: "yes" });
      after = prompt.eventId;
    }

    // Consent shows in the console (the partner has not joined yet), and is announced.
    await pat.waitForRoom(referralRoom, "invite");
    await expect.poll(() => item.locator(".status").textContent(), { timeout: 30_000 }).toBe("Consented");
    expect(await item.locator(".agreed").textContent()).toBe("Agreed: Kind of harm, A summary you write, Contact in a shared chat");
    // The dashboard's news polls GET me/referrals on its own 5 s timer, apart from the case's list.
    await expect.poll(() => page.locator(".referral-news").textContent(), { timeout: 30_000 }).toBe(`Case ${caseId}: the victim agreed to share with Legal Aid Corporation`);
    expect(await item.getByRole("button", { name: /^Mark completed/ }).count()).toBe(0);

    // The partner joins: accepted, and the companion can mark it completed.
    await pat.client.joinRoom(referralRoom);
    await expect.poll(() => item.locator(".status").textContent(), { timeout: 30_000 }).toBe("Accepted by the partner");
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, "console-referral-accepted");
    await expectFitsUprightTablet(page, "console-referral-accepted-tablet");
    await item.getByRole("button", { name: /^Mark completed/ }).click();
    await expect.poll(() => item.locator(".status").textContent(), { timeout: 30_000 }).toBe("Completed");
    expect((await referrals())[0].status).toBe("completed");
    expect(await item.getByRole("button").count()).toBe(0);

    // Nothing of `/refer` reached the counselling room; a message after it does.
    await composer.fill("Thank you for today.");
    await composer.press("Enter");
    await victim.waitForMessage(roomId, "Thank you for today.");
    expect(victim.bodies(roomId).filter((b) => b.startsWith("/refer"))).toEqual([]);

    // "Invite the referral bot" opens the same form here (the desk room is for other clients): no invite goes out.
    await page.locator("details.refer > summary").click();
    expect(await partnerSelect.isVisible()).toBe(false);
    await page.getByText("Invite a bot", { exact: true }).click();
    await page.getByRole("button", { name: "Invite the referral bot" }).click();
    await expect.poll(() => partnerSelect.evaluate((el) => el === document.activeElement), { timeout: 5000 }).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(victim.client.getRoom(roomId)!.getMember(env.stack.referralBot)).toBeNull();
    expect(errors).toEqual([]);

    // The supervisor's figures count it by partner and status.
    const supervisor = await signIn(await env.tablet(), "boss");
    await openView(supervisor.page, "Supervisor");
    const row = supervisor.page.locator(`table.referral-counts tr[data-partner="${referral.partner_id}"][data-status="completed"]`);
    await row.waitFor({ timeout: 45_000 });
    expect(await row.textContent()).toBe("Legal Aid CorporationCompleted1");
    expect(await seriousAxeViolations(supervisor.page)).toEqual([]);
    expect(supervisor.errors).toEqual([]);
  });

  it("a partner without an account: no chat contact is offered or asked, and the status says the victim has a letter (issue 19)", async () => {
    const added = await env.stack.ops(boss.account, "POST", "/partners", {
      kind: "content_deletion", name: { ko: "삭제지원센터", en: "Deletion support centre" }, about: { ko: "삭제 지원", en: "Helps remove images" },
      region: "Seoul", languages: ["ko", "en"], hours: "Mon–Fri 9–18", contact: "02-735-8994", staff_ids: [],
    });
    const letterOnly = added.body.partner.id as string;
    const { page, errors } = await signIn(await env.tablet(), "mina");
    const { victim, caseId } = await acceptNewCase(page, env.stack, mina.account);
    const referrals = async () => (await env.stack.ops(mina.account, "GET", `/cases/${caseId}/referrals`)).body.referrals as ReferralJson[];

    const composer = page.getByRole("textbox", { name: "Message" });
    await composer.fill("/refer");
    await composer.press("Enter");
    const form = page.locator("details.refer");
    await form.getByLabel("Partner", { exact: true }).selectOption({ label: "Content deletion · Deletion support centre · Seoul" });
    // Nobody from the centre can write in a chat: the form does not offer it, and says what the victim gets instead.
    expect(await form.getByRole("checkbox", { name: "Contact in a shared chat" }).count()).toBe(0);
    expect(await form.getByRole("checkbox", { name: "Kind of harm" }).isChecked()).toBe(true);
    expect(await form.locator(".refer-letter").textContent()).toBe(
      "Deletion support centre has no account here: if the victim agrees, they get a letter with its contact details and contact it themselves. No chat contact is offered.");
    expect(await seriousAxeViolations(page)).toEqual([]);
    await screenshot(page, "console-refer-form-letter-only");
    await form.getByRole("button", { name: "Offer referral" }).click();
    await page.locator(".referral-notice[role=status]", { hasText: "Referral to Deletion support centre offered" }).waitFor({ timeout: 30_000 });
    const [referral] = await referrals();
    expect(referral).toMatchObject({ partner_id: letterOnly, items_offered: ["category"] });

    // The victim is asked about the kind of harm only, never "may someone write to you in this chat?".
    const room = await waitForInvite(victim, env.stack.referralBot);
    await victim.client.joinRoom(room);
    const prompt = await nextPrompt(victim, room, env.stack.referralBot);
    expect(prompt.id).toBe(`${referral.id}.category`);
    await env.stack.say(victim, room, "Yes, share it", { prompt_id: prompt.id, option_id: "yes" });
    await victim.waitFor(() => messages(victim, room).some((m) => m.content["org.onsafe.referral"]?.stage === "letter"), "the letter");
    const bodies = messages(victim, room).map((m) => String(m.content.body));
    expect(bodies.filter((b) => /encrypted chat|write to you|암호화된 대화방/.test(b))).toEqual([]);

    // The console says the letter was given, not that the partner accepted anything; it can still be marked completed.
    const item = page.locator(`li.referral[data-referral="${referral.id}"]`);
    await expect.poll(() => item.locator(".status").textContent(), { timeout: 30_000 }).toBe("Letter given: the victim contacts the partner");
    expect((await referrals())[0]).toMatchObject({ status: "letter_given", accepted_at: null });
    expect(await item.getByRole("button", { name: /^Mark completed/ }).count()).toBe(1);
    await screenshot(page, "console-referral-letter-given");
    expect(errors).toEqual([]);

    const supervisor = await signIn(await env.tablet(), "boss");
    await openView(supervisor.page, "Supervisor");
    const row = supervisor.page.locator(`table.referral-counts tr[data-partner="${letterOnly}"]`);
    await row.waitFor({ timeout: 45_000 });
    expect(await row.textContent()).toBe("Deletion support centreLetter given: the victim contacts the partner1");
    expect(supervisor.errors).toEqual([]);
  });
});
