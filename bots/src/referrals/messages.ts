/**
 * What the referral bot says (texts in `bots/content/referrals.json`): the
 * offer, one yes/no question per item (ids `<referral>.<item>`), the
 * hand-off and the letter, with `org.onsafe.referral` for apps.
 */
import { type HarmCategory, type Language, REFERRAL_FIELD, type ReferralContent, type ReferralItem } from "@onsafe/schema";
import { textBook } from "../content/text-book.ts";
import type { Referral } from "../storage/index.ts";
import type { OptionDef } from "../triage/bank.ts";
import { notice, type Outgoing } from "../triage/outgoing.ts";
import { type Question, questionMessage } from "../triage/prompt.ts";

export type { Question };

type Bilingual = Record<Language, string>;
const book = textBook<{ categories: Record<HarmCategory, Bilingual> }>("referrals.json");
export const say = book.say;

export const categoryWords = (category: HarmCategory | null, lang: Language) => book.data.categories[category ?? "other"][lang];


const option = (id: string, aliases: string[] = []): OptionDef => ({ id, label: { ko: say("ko", id), en: say("en", id) }, aliases });

export const YES = "yes";
export const NO = "no";
export const DECLINE = "decline";
export const WITHDRAW = "withdraw";

export function itemQuestion(r: Referral, item: ReferralItem): Question {
  return { id: `${r.id}.${item}`, options: [option(YES, ["네", "예", "yes", "ok"]), option(NO, ["아니요", "아니오", "no"]), option(DECLINE, ["거절", "decline"])] };
}

export function withdrawQuestion(r: Referral): Question {
  return { id: `${r.id}.withdraw`, options: [option(WITHDRAW, ["철회", "withdraw"])] };
}

export function ask(question: Question, text: string, lang: Language, referral: ReferralContent): Outgoing {
  return questionMessage(question, text, lang, { [REFERRAL_FIELD]: referral });
}

export function referralField(r: Referral, stage: ReferralContent["stage"], extra: Partial<ReferralContent> = {}): ReferralContent {
  return { stage, referral_id: r.id, partner_id: r.partnerId, ...extra };
}

/** "the kind of harm, your companion's summary". */
export function itemNames(items: ReferralItem[], lang: Language): string {
  return items.map((i) => say(lang, `items.${i}`)).join(lang === "ko" ? ", " : ", ");
}

export { notice };
