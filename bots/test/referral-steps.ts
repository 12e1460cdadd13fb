/**
 * The victim's side of a referral in end-to-end tests (docs/REFERRALS.md): a
 * case taken by a companion, the referral bot's room joined, its questions
 * answered one by one, consent withdrawn. Real clients, as the victim app does it.
 */
import type { SdkClient } from "../../test-support/sdk-client.ts";
import { answerTriage, eventually, messages, nextPrompt, waitForInvite, waitForText } from "./conversation.ts";
import type { Stack } from "./stack.ts";

/**
 * A new victim asks for a person at once (in English unless `words` say it
 * otherwise), and `companion` (the one on shift with room for it) takes the case.
 */
export async function caseTakenBy(stack: Stack, companion: SdkClient, words = "I just want to talk to someone"): Promise<{ victim: SdkClient; roomId: string; caseId: string }> {
  const victim = await stack.visitor();
  const roomId = await stack.startConversation(victim);
  await answerTriage(victim, roomId, stack.triageBot, [["language", words]]);
  await companion.waitForRoom(roomId, "invite");
  await companion.client.joinRoom(roomId);
  const caseId = stack.bots.queue.cases.getByRoom(roomId)!.id;
  await eventually(() => stack.ops(companion.account, "GET", `/cases/${caseId}`), (r) => r.body.case?.status === "assigned", `the case to be ${companion.userId}'s`);
  return { victim, roomId, caseId };
}

/** The victim joins the referral room the referral bot invites them to next; returns it. */
export async function joinNewReferralRoom(stack: Stack, victim: SdkClient): Promise<string> {
  const room = await waitForInvite(victim, stack.referralBot);
  await victim.client.joinRoom(room);
  return room;
}

/**
 * Taps the answers to the bot's questions in order (`yes` or `no` per item;
 * `decline` ends the referral) and waits for the bot's word on the outcome.
 */
export async function answerItems(stack: Stack, victim: SdkClient, room: string, answers: readonly ("yes" | "no" | "decline")[]): Promise<void> {
  let after: string | undefined;
  for (const optionId of answers) {
    const prompt = await nextPrompt(victim, room, stack.referralBot, after);
    const option = prompt.options.find((o) => o.id === optionId)!;
    await stack.say(victim, room, option.label, { prompt_id: prompt.id, option_id: optionId });
    after = prompt.eventId;
  }
  await victim.waitFor(() => messages(victim, room).some((m) => m.sender === stack.referralBot
    && ["declined", "consented", "letter_given"].includes(String(m.content["org.onsafe.referral"]?.status))), "the referral bot's word on the answers");
}

/** The victim taps "Withdraw my consent"; resolves once the bot has confirmed it. */
export async function withdrawConsent(stack: Stack, victim: SdkClient, room: string): Promise<void> {
  const withdraw = messages(victim, room).filter((m) => m.content["org.onsafe.prompt"]?.id?.endsWith(".withdraw")).at(-1)!;
  await stack.say(victim, room, "Withdraw my consent", { prompt_id: withdraw.content["org.onsafe.prompt"].id, option_id: "withdraw" });
  await waitForText(victim, room, stack.referralBot, "consent is withdrawn");
}

/** A supervisor adds a partner (Seoul, Korean and English, office hours, no staff, unless `fields` say otherwise); returns its id. */
export async function addPartner(stack: Stack, supervisor: SdkClient, fields: Record<string, unknown>): Promise<string> {
  const reply = await stack.ops(supervisor.account, "POST", "/partners", {
    region: "Seoul", languages: ["ko", "en"], hours: "Mon–Fri 9–18", about: { ko: "무료 법률 상담", en: "Free legal advice" }, staff_ids: [], ...fields,
  });
  if (reply.status !== 200) throw new Error(`partner: ${JSON.stringify(reply.body)}`);
  return reply.body.partner.id as string;
}
