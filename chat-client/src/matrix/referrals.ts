/**
 * What the victim app reads from the referral bot's messages (docs/REFERRALS.md):
 * the partner's name from the offer, the letter and the hand-off. Pure, like
 * `timeline.ts`.
 */
import { isReferralContent, REFERRAL_FIELD, type ReferralContent } from "@onsafe/schema/referrals";
import type { TimelineEvent } from "./timeline.ts";

export function referralOf(content: Record<string, unknown>): ReferralContent | undefined {
  const field = content[REFERRAL_FIELD];
  return isReferralContent(field) ? field : undefined;
}

/** The partner's name, as the bot's offer gives it. */
export function partnerName(events: TimelineEvent[], bot: (sender: string) => boolean): string | null {
  const offer = events.find((e) => e.content && bot(e.sender) && referralOf(e.content)?.stage === "offer");
  return (offer?.content && referralOf(offer.content)?.partner_name) || null;
}

/** The bot's hand-off to the partner: it adds to what the bot asked last, so "Withdraw my consent" stays. */
export function isHandoff(referral: ReferralContent | undefined): boolean {
  return referral?.stage === "handoff";
}

/**
 * The letter as the victim carries it: the bot's text without its first
 * paragraph (the line to the victim) and its last ("If you change your mind…").
 */
export function letterText(body: string): string {
  const blocks = body.split("\n\n");
  return (blocks.length > 2 ? blocks.slice(1, -1) : blocks).join("\n\n");
}
