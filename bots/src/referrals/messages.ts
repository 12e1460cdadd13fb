/**
 * What the referral bot says (texts in `bots/content/referrals.json`): the
 * offer, one yes/no question per item (ids `<referral>.<item>`), the
 * hand-off and the letter, with `org.onsafe.referral` for apps.
 */
import { type HarmCategory, type Language, REFERRAL_FIELD, type ReferralContent, type ReferralItem } from "@onsafe/schema";
import { textBook } from "../content/text-book.ts";
import type { Referral } from "../storage/index.ts";
import { notice, type Outgoing } from "../runtime/outgoing-message.ts";
import { type Question, questionMessage } from "../triage/prompt.ts";

export type { Question };

type Bilingual = Record<Language, string>;
const book = textBook<{ categories: Record<HarmCategory, Bilingual> }>("referrals.json");
export const say = book.say;

export const categoryWords = (category: HarmCategory | null, lang: Language) => book.data.categories[category ?? "other"][lang];

/** How people type yes and no, in either language: the referral bot's questions to victims and to companions alike. */
export const YES_ALIASES = ["네", "예", "yes", "ok"];
export const NO_ALIASES = ["아니요", "아니오", "no"];

export const YES = "yes";
export const NO = "no";
export const DECLINE = "decline";
export const WITHDRAW = "withdraw";

export function itemQuestion(r: Referral, item: ReferralItem): Question {
  return { id: `${r.id}.${item}`, options: [book.option(YES, YES_ALIASES), book.option(NO, NO_ALIASES), book.option(DECLINE, ["거절", "decline"])] };
}

export function withdrawQuestion(r: Referral): Question {
  return { id: `${r.id}.withdraw`, options: [book.option(WITHDRAW, ["철회", "withdraw"])] };
}

export function ask(question: Question, text: string, lang: Language, referral: ReferralContent): Outgoing {
  return questionMessage(question, text, lang, { [REFERRAL_FIELD]: referral });
}

export function referralField(r: Referral, stage: ReferralContent["stage"], extra: Partial<ReferralContent> = {}): ReferralContent {
  return { stage, referral_id: r.id, partner_id: r.partnerId, ...extra };
}

/** "the kind of harm, your counsellor's summary". */
export function itemNames(items: ReferralItem[], lang: Language): string {
  return items.map((i) => say(lang, `items.${i}`)).join(lang === "ko" ? ", " : ", ");
}

export { notice };
