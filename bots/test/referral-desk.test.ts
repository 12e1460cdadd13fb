/**
 * Starting a referral from any Matrix client (docs/REFERRALS.md, "Starting
 * from any Matrix client"): the companion invites the referral bot into the
 * case's room; it leaves at once and asks the companion, in a private
 * encrypted desk room, for the partner, the items and the summary; "Send"
 * offers the referral to the victim exactly as the console does. Our
 * homeserver, the bots service, real matrix-js-sdk clients with encryption.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SdkClient } from "../../test-support/sdk-client.ts";
import { eventually, messages, nextPrompt, pendingInvite, pendingInvites, readableBy, waitForInvite, waitForText } from "./conversation.ts";
import { addPartner, caseTakenBy } from "./referral-steps.ts";
import { Stack } from "./stack.ts";

const SUMMARY = "Edited photos posted on a forum since March; she wants them taken down first.";

let stack: Stack;
let mina: SdkClient;
let victim: SdkClient;
let counselling: string;
let caseId: string;
let legalAid: string;
let desk: string;

/** Taps `optionId` on the desk's newest question after `after`; returns that question's event id. */
async function tap(after: string | undefined, optionId: string): Promise<string> {
  const prompt = await nextPrompt(mina, desk, stack.referralBot, after);
  const option = prompt.options.find((o) => o.id === optionId);
  if (!option) throw new Error(`no option ${optionId} in ${JSON.stringify(prompt.options)}`);
  await stack.say(mina, desk, option.label, { prompt_id: prompt.id, option_id: optionId });
  return prompt.eventId;
}

/** Types `words` as the answer to the desk's newest question after `after`; returns that question's event id. */
async function type(after: string | undefined, words: string): Promise<string> {
  const prompt = await nextPrompt(mina, desk, stack.referralBot, after);
  await mina.sendText(desk, words);
  return prompt.eventId;
}

const referrals = async () => (await stack.ops(mina.account, "GET", `/cases/${caseId}/referrals`)).body.referrals as { id: string; status: string; items_offered: string[]; partner_id: string }[];

beforeAll(async () => {
  stack = await Stack.start();
  // English first: the desk speaks the companion's first language.
  mina = await stack.staff("mina", { languages: ["en", "ko"] });
  const boss = await stack.staff("boss", { kind: "supervisor", onShift: false });
  legalAid = await addPartner(stack, boss, { kind: "legal_aid", name: { ko: "법률구조공단", en: "Legal Aid Corporation" }, contact: "132" });
  await addPartner(stack, boss, { kind: "content_deletion", name: { ko: "삭제지원센터", en: "Deletion support centre" }, contact: "02-735-8994" });
  ({ victim, roomId: counselling, caseId } = await caseTakenBy(stack, mina));
}, 90_000);
afterAll(async () => { await stack?.close(); });

describe("a referral started by inviting the bot", () => {
  it("the bot says where it will ask, leaves the case's room, and invites the companion to a private desk room", async () => {
    await mina.client.invite(counselling, stack.referralBot);
    await waitForText(victim, counselling, stack.referralBot, "separate chat with you");
    await mina.waitFor(() => mina.client.getRoom(counselling)?.getMember(stack.referralBot)?.membership === "leave", "the referral bot to leave");
    desk = await waitForInvite(mina, stack.referralBot);
    await mina.client.joinRoom(desk);
    const room = mina.client.getRoom(desk)!;
    expect(room.hasEncryptionStateEvent()).toBe(true);
    expect(room.currentState.getStateEvents("m.room.name", "")).toBeNull();
    // Nobody but the bot and the companion: the victim has no invite to it.
    expect(room.getMembers().map((m) => m.userId).sort()).toEqual([mina.userId, stack.referralBot].sort());
    expect(victim.client.getRoom(desk)).toBeNull();
  });

  it("having left, the bot cannot read what the companion writes in the case's room next", async () => {
    await mina.sendText(counselling, "Between us: how are you sleeping?");
    await victim.waitForMessage(counselling, "Between us: how are you sleeping?");
    const sent = messages(victim, counselling).find((m) => m.content.body === "Between us: how are you sleeping?")!.event;
    expect(await readableBy(stack.bots.referral.client, sent)).toBe(false);
    // The control: the desk's own question is readable by the bot.
    const question = await nextPrompt(mina, desk, stack.referralBot);
    expect(await readableBy(stack.bots.referral.client, messages(mina, desk).find((m) => m.event.getId() === question.eventId)!.event)).toBe(true);
  });

  it("the companion chooses the partner and items, writes the summary, and sends: the victim is asked", async () => {
    const partnerQuestion = await nextPrompt(mina, desk, stack.referralBot);
    const body = messages(mina, desk).find((m) => m.event.getId() === partnerQuestion.eventId)!.content.body as string;
    expect(body).toContain(caseId);
    expect(body).toContain("Legal Aid Corporation (legal aid, Seoul)");
    expect(partnerQuestion.options.map((o) => o.id)).toEqual([expect.stringMatching(/^p-/), legalAid, "cancel"]);

    const afterPartner = await type(undefined, "Legal Aid Corporation");
    const afterCategory = await tap(afterPartner, "yes");
    const afterSummary = await type(afterCategory, "yes");
    // The summary, typed freely (a number or "cancel" here would be the summary too).
    const afterText = await type(afterSummary, SUMMARY);
    // Legal aid has no account here: contact in a chat is not asked; the confirmation says a letter is given.
    const confirm = await nextPrompt(mina, desk, stack.referralBot, afterText);
    const confirmBody = messages(mina, desk).find((m) => m.event.getId() === confirm.eventId)!.content.body as string;
    expect(confirmBody).toContain("Legal Aid Corporation");
    expect(confirmBody).toContain(SUMMARY);
    expect(confirmBody).toContain("no contact in a chat is offered");
    expect(confirm.options.map((o) => o.id)).toEqual(["send", "cancel"]);
    await tap(afterText, "send");
    await waitForText(mina, desk, stack.referralBot, "Sent.");

    const [referral] = await referrals();
    expect(referral).toMatchObject({ status: "offered", partner_id: legalAid, items_offered: ["category", "summary"] });
    const room = await waitForInvite(victim, stack.referralBot);
    await victim.client.joinRoom(room);
    await waitForText(victim, room, stack.referralBot, "Legal Aid Corporation");
    const afterOfferCategory = await nextPrompt(victim, room, stack.referralBot);
    await stack.say(victim, room, "Yes, share it", { prompt_id: afterOfferCategory.id, option_id: "yes" });
    // The companion's summary reached the victim's question, from the bot's encrypted offer.
    const summaryQuestion = await nextPrompt(victim, room, stack.referralBot, afterOfferCategory.eventId);
    expect(messages(victim, room).find((m) => m.event.getId() === summaryQuestion.eventId)!.content.body).toContain(SUMMARY);
  });

  it("a second invite starts again in the same desk room; Cancel sends nothing", async () => {
    const before = (await referrals()).length;
    const invitesFromBot = () => pendingInvites(mina, stack.referralBot).map((r) => r.roomId);
    const invitesBefore = invitesFromBot();
    const lastBefore = messages(mina, desk).at(-1)!.event.getId();
    await mina.client.invite(counselling, stack.referralBot);
    await eventually(async () => messages(mina, desk).at(-1)!.event.getId(), (id) => id !== lastBefore, "a new question in the same desk room");
    // Said again in the case's room: each visit is its own notice.
    await victim.waitFor(() => messages(victim, counselling).filter((m) => String(m.content.body).includes("separate chat with you")).length === 2, "the second notice");
    // An old button (the first conversation's partner question) asks the open question again.
    const stale = messages(mina, desk).find((m) => m.content["org.onsafe.prompt"]?.id?.endsWith(".1.partner"))!.content["org.onsafe.prompt"];
    const open = await nextPrompt(mina, desk, stack.referralBot, lastBefore);
    expect(open.id).toMatch(/\.2\.partner$/);
    await stack.say(mina, desk, "Legal Aid Corporation", { prompt_id: stale.id, option_id: legalAid });
    const again = await nextPrompt(mina, desk, stack.referralBot, open.eventId);
    expect(again.id).toBe(open.id);
    await tap(open.eventId, "cancel");
    await waitForText(mina, desk, stack.referralBot, "Nothing was sent");
    expect(await referrals()).toHaveLength(before);
    // The same desk room again, not a second one.
    expect(invitesFromBot()).toEqual(invitesBefore);
  });

  it("outside a case's room the bot declines, and opens no desk", async () => {
    const jun = await stack.staff("jun", { languages: ["en"], onShift: false });
    const { room_id: own } = await jun.client.createRoom({ invite: [stack.referralBot] });
    await eventually(async () => jun.client.getRoom(own)?.getMember(stack.referralBot)?.membership, (m) => m === "leave", "the bot to decline");
    await new Promise((r) => setTimeout(r, 500));
    expect(pendingInvite(jun, stack.referralBot)).toBeUndefined();
  });

  it("the summary is in no file of the data directory", async () => {
    for (const name of readdirSync(stack.config.dataDir, { recursive: true }) as string[]) {
      let bytes: Buffer;
      try { bytes = readFileSync(join(stack.config.dataDir, name)); } catch { continue; }
      expect(bytes.includes(Buffer.from(SUMMARY)), `the summary in ${name}`).toBe(false);
    }
  });
});
