/**
 * Referrals end to end (docs/REFERRALS.md): our homeserver, the bots service,
 * real matrix-js-sdk clients with encryption for the victim, the companion and
 * a partner's staff member.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../../chat-server/test/harness.ts";
import type { SdkClient } from "../../test-support/sdk-client.ts";
import { dutyRoomId, eventually, messages, nextPrompt, waitForInvite, waitForText } from "./conversation.ts";
import { addPartner, caseTakenBy } from "./referral-steps.ts";
import { Stack } from "./stack.ts";

const SUMMARY = "Deepfake images on two forums; wants to file a complaint next week.";

let stack: Stack;
let mina: SdkClient;
let victim: SdkClient;
let pat: SdkClient;
let patAccount: Account;
let boss: SdkClient;
let counselling: string;
let caseId: string;
let legalAid: string;
let deletion: string;

/** Joins the referral room the referral bot invites the victim to next; returns it. */
async function joinNewReferralRoom(): Promise<string> {
  const room = await waitForInvite(victim, stack.referralBot);
  await victim.client.joinRoom(room);
  return room;
}

async function answer(room: string, after: string | undefined, optionId: string): Promise<string> {
  const prompt = await nextPrompt(victim, room, stack.referralBot, after);
  const option = prompt.options.find((o) => o.id === optionId)!;
  await stack.say(victim, room, option.label, { prompt_id: prompt.id, option_id: optionId });
  return prompt.eventId;
}

const referrals = async () => (await stack.ops(mina.account, "GET", `/cases/${caseId}/referrals`)).body.referrals as { id: string; status: string; items_consented: string[]; partner_id: string }[];

beforeAll(async () => {
  // A partner has 1.5 s to accept here (48 h in service), checked every 100 ms.
  stack = await Stack.start({ reminderCheckMs: 100, referralAcceptMs: 1500 });
  mina = await stack.staff("mina");
  boss = await stack.staff("boss", { kind: "supervisor", onShift: false });
  patAccount = await stack.hs.createAccount("partner", "pat");
  await stack.bots.queue.staff.addOrUpdateStaff({ userId: patAccount.userId, kind: "partner", displayName: "Pat (legal aid)" });
  pat = await stack.client(patAccount);
  legalAid = await addPartner(stack, boss, { kind: "legal_aid", name: { ko: "법률구조공단", en: "Legal Aid Corporation" }, contact: "132", staff_ids: [patAccount.userId] });
  deletion = await addPartner(stack, boss, { kind: "content_deletion", name: { ko: "삭제지원센터", en: "Deletion support centre" }, contact: "02-735-8994" });
  ({ victim, roomId: counselling, caseId } = await caseTakenBy(stack, mina));
}, 90_000);
afterAll(async () => { await stack?.close(); });

describe("a warm hand-off with consent item by item", () => {
  let handoff: string;

  it("the companion offers legal aid; the victim is asked about each item in a new encrypted room", async () => {
    const reply = await stack.ops(mina.account, "POST", `/cases/${caseId}/referrals`, { partner_id: legalAid, items: ["contact", "summary", "category"], summary: SUMMARY });
    expect(reply.body.referral).toMatchObject({ status: "offered", items_offered: ["category", "summary", "contact"], items_consented: [] });
    handoff = await joinNewReferralRoom();
    const offer = await waitForText(victim, handoff, stack.referralBot, "Legal Aid Corporation");
    expect(offer.body).toContain("Free legal advice");
    const first = await nextPrompt(victim, handoff, stack.referralBot);
    expect(first.id).toMatch(/^r-[0-9a-z]{6}\.category$/);
  });

  it("consent to the category and contact but not the summary: the partner is invited and sees only those", async () => {
    const afterCategory = await answer(handoff, undefined, "yes");
    const summaryQuestion = await nextPrompt(victim, handoff, stack.referralBot, afterCategory);
    expect(messages(victim, handoff).find((m) => m.event.getId() === summaryQuestion.eventId)!.content.body).toContain(SUMMARY);
    await answer(handoff, afterCategory, "no");
    await answer(handoff, summaryQuestion.eventId, "yes");
    await pat.waitForRoom(handoff, "invite");
    // The status is recorded once the hand-off is out, just after the invite.
    await eventually(referrals, (list) => list[0].status === "consented", "the referral consented");
    expect((await referrals())[0]).toMatchObject({ items_consented: ["category", "contact"] });

    await pat.client.joinRoom(handoff);
    const handed = await waitForText(pat, handoff, stack.referralBot, "only what the person agreed to share");
    expect(handed.body).toContain("Kind of harm");
    // Posted with the invite: the first thing the partner reads.
    expect(handed["org.onsafe.referral"]).toMatchObject({ stage: "handoff", items: ["category", "contact"] });
    expect(handed.body).not.toContain(SUMMARY);
    expect((await referrals())[0].status).toBe("accepted");
    // History from joining only: the offer and the questions (with the summary) are not there for the partner.
    expect(messages(pat, handoff).some((m) => String(m.content.body).includes(SUMMARY))).toBe(false);
    expect(messages(pat, handoff).some((m) => String(m.content.body).includes("Free legal advice"))).toBe(false);
    const offerId = messages(victim, handoff).find((m) => m.content["org.onsafe.referral"]?.stage === "offer")!.event.getId()!;
    const fetched = await stack.hs.request("GET", `/_matrix/client/v3/rooms/${encodeURIComponent(handoff)}/event/${encodeURIComponent(offerId)}`, { token: patAccount.token });
    expect(fetched.status).toBe(404);
    // The control: the hand-off, sent after the partner joined, is theirs to fetch.
    const handedId = messages(pat, handoff).find((m) => String(m.content.body).includes("only what the person agreed"))!.event.getId()!;
    expect((await stack.hs.request("GET", `/_matrix/client/v3/rooms/${encodeURIComponent(handoff)}/event/${encodeURIComponent(handedId)}`, { token: patAccount.token })).status).toBe(200);
  });

  it("the partner's first message is the first contact", async () => {
    await pat.sendText(handoff, "Hello, I am Pat from legal aid. How can I help?");
    await victim.waitForMessage(handoff, "Hello, I am Pat from legal aid. How can I help?");
    await eventually(referrals, (list) => list[0].status === "first_contact", "first contact");
  });

  it("the partner sees no other room or case", async () => {
    expect(pat.client.getRooms().map((r) => r.roomId)).toEqual([handoff]);
    expect((await stack.hs.request("GET", `/_matrix/client/v3/rooms/${encodeURIComponent(counselling)}/messages?dir=b`, { token: patAccount.token })).status).toBe(403);
    expect((await stack.hs.request("POST", `/_matrix/client/v3/join/${encodeURIComponent(counselling)}`, { token: patAccount.token, body: {} })).status).toBe(403);
    expect((await stack.ops(patAccount, "GET", `/cases/${caseId}`)).status).toBe(403);
    expect((await stack.ops(patAccount, "GET", "/queue")).status).toBe(403);
  });

  it("the victim withdraws consent: the partner is removed from the room", async () => {
    const withdraw = messages(victim, handoff).filter((m) => m.content["org.onsafe.prompt"]?.id?.endsWith(".withdraw")).at(-1)!;
    await stack.say(victim, handoff, "Withdraw my consent", { prompt_id: withdraw.content["org.onsafe.prompt"].id, option_id: "withdraw" });
    await waitForText(victim, handoff, stack.referralBot, "consent is withdrawn");
    await eventually(async () => victim.client.getRoom(handoff)?.getMember(patAccount.userId)?.membership, (m) => m === "leave", "the partner removed");
    await eventually(referrals, (list) => list[0].status === "withdrawn", "the referral withdrawn");
  });

  it("declining leaves no trace with the partner", async () => {
    await stack.ops(mina.account, "POST", `/cases/${caseId}/referrals`, { partner_id: legalAid, items: ["category", "contact"] });
    const room = await joinNewReferralRoom();
    await answer(room, undefined, "decline");
    await waitForText(victim, room, stack.referralBot, "Nothing was shared");
    await eventually(referrals, (list) => list.at(-1)!.status === "declined", "the referral declined");
    expect((await referrals()).at(-1)).toMatchObject({ items_consented: [] });
    // Give an invite time to arrive if one were sent.
    await new Promise((r) => setTimeout(r, 500));
    expect(pat.client.getRoom(room)).toBeNull();
  });

  it("a partner without an account: the victim gets a letter with only what they agreed to", async () => {
    await stack.ops(mina.account, "POST", `/cases/${caseId}/referrals`, { partner_id: deletion, items: ["category", "summary"], summary: SUMMARY });
    const room = await joinNewReferralRoom();
    const afterCategory = await answer(room, undefined, "yes");
    await answer(room, afterCategory, "yes");
    const letter = await waitForText(victim, room, stack.referralBot, "referral letter");
    expect(letter.body).toContain("02-735-8994");
    expect(letter.body).toContain(SUMMARY);
    expect(letter["org.onsafe.referral"]).toMatchObject({ stage: "letter", items: ["category", "summary"] });
    // Letter given once the PDF of the letter followed the text: nothing reached the partner, so not "accepted".
    await eventually(referrals, (list) => list.at(-1)!.status === "letter_given", "the letter given");
    expect((await referrals()).at(-1)).toMatchObject({ partner_id: deletion });
  });

  it("supervisor metrics count referrals by partner and status", async () => {
    const metrics = await stack.ops(boss.account, "GET", "/metrics");
    expect(metrics.body.referrals).toEqual(expect.arrayContaining([
      { partner_id: legalAid, partner_name: "Legal Aid Corporation", status: "withdrawn", count: 1 },
      { partner_id: legalAid, partner_name: "Legal Aid Corporation", status: "declined", count: 1 },
      { partner_id: deletion, partner_name: "Deletion support centre", status: "letter_given", count: 1 },
    ]));
    expect(metrics.body.referrals).toHaveLength(3);
  });

  it("a referral the partner does not accept in time: its companion is reminded once in the duty room", async () => {
    const reply = await stack.ops(mina.account, "POST", `/cases/${caseId}/referrals`, { partner_id: legalAid, items: ["contact"] });
    const id = reply.body.referral.id as string;
    const room = await joinNewReferralRoom();
    await answer(room, undefined, "yes");
    await pat.waitForRoom(room, "invite");
    const duty = await dutyRoomId(mina);
    await mina.client.joinRoom(duty);
    const reminders = () => messages(mina, duty).filter((m) => m.content["org.onsafe.alert"]?.kind === "referral_not_accepted" && m.content["org.onsafe.alert"].referral_id === id);
    await mina.waitFor(() => reminders().length === 1, "the referral reminder");
    expect(reminders()[0].content.body).toContain(caseId);
    expect(reminders()[0].content["m.mentions"].user_ids).toEqual([mina.userId]);
    await new Promise((r) => setTimeout(r, 500));
    expect(reminders()).toHaveLength(1);
  });

  it("bad input gets clear errors, and the summary is in no file of the data directory", async () => {
    expect(await stack.ops(mina.account, "POST", `/cases/${caseId}/referrals`, { partner_id: legalAid, items: ["summary"] })).toMatchObject({ status: 400, body: { errcode: "M_INVALID_PARAM" } });
    expect(await stack.ops(mina.account, "POST", `/cases/${caseId}/referrals`, { partner_id: legalAid, items: ["photos"] })).toMatchObject({ status: 400, body: { errcode: "M_INVALID_PARAM" } });
    expect(await stack.ops(mina.account, "POST", `/cases/${caseId}/referrals`, { partner_id: "p-000000", items: ["category"] })).toMatchObject({ status: 404, body: { errcode: "M_NOT_FOUND" } });
    expect(await stack.ops(boss.account, "POST", "/referrals/r-000000/complete")).toMatchObject({ status: 404, body: { errcode: "M_NOT_FOUND" } });
    for (const name of readdirSync(stack.config.dataDir, { recursive: true }) as string[]) {
      let bytes: Buffer;
      try { bytes = readFileSync(join(stack.config.dataDir, name)); } catch { continue; }
      expect(bytes.includes(Buffer.from(SUMMARY)), `the summary in ${name}`).toBe(false);
    }
  });
});
