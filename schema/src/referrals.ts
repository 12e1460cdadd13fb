/**
 * Referrals (docs/REFERRALS.md): consent-based hand-offs to partner
 * organisations. The bots database keeps partners (organisations, public
 * facts) and referral statuses and ids; never the shared items' text.
 */
import { isOneOf } from "./triage.ts";

export const PARTNER_KINDS = ["treatment", "legal_aid", "content_deletion", "police_cyber", "medical", "other"] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];

/** What a referral may share, each only with the victim's consent. */
export const REFERRAL_ITEMS = ["category", "summary", "contact"] as const;
export type ReferralItem = (typeof REFERRAL_ITEMS)[number];

/**
 * `offered`: the victim is being asked; `consented`: the victim agreed to at
 * least one item and the hand-off is under way; `accepted`: the partner joined
 * the hand-off room; `letter_given`: nobody was invited (the partner has no
 * account here, or the victim did not agree to contact in a chat), the victim
 * has a letter and contacts the partner directly, so nothing reached the partner;
 * `first_contact`: the partner wrote to the victim; `completed`, `declined`
 * (by the victim), `withdrawn` (the victim took consent back; the partner was
 * removed).
 */
export const REFERRAL_STATUSES = ["offered", "consented", "accepted", "letter_given", "first_contact", "completed", "declined", "withdrawn"] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/**
 * The statuses a referral handed off to a partner's staff can have (they see
 * only those, in `GET me/referrals`): a declined one never reached them, and
 * one still `offered` has not yet.
 */
export const HANDED_OFF_STATUSES = ["consented", "accepted", "first_contact", "completed", "withdrawn"] as const;
export type HandedOffStatus = (typeof HANDED_OFF_STATUSES)[number];

export const REFERRAL_FIELD = "org.onsafe.referral";

/** `handoff`: the agreed items, for the partner's staff (posted when they are invited, read once they join). */
export const REFERRAL_STAGES = ["offer", "consent", "handoff", "status", "letter"] as const;
export type ReferralStage = (typeof REFERRAL_STAGES)[number];

/** A referral bot message's machine-readable side (texts stay in `body` and only in the encrypted room). */
export interface ReferralContent {
  stage: ReferralStage;
  referral_id: string;
  partner_id: string;
  /** The partner's name in the conversation's language, for apps to show. */
  partner_name?: string;
  /** Offer: the items proposed; consent: the items agreed to so far. */
  items?: ReferralItem[];
  status?: ReferralStatus;
}

export function isReferralContent(value: unknown): value is ReferralContent {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return (
    isOneOf(REFERRAL_STAGES, v.stage) &&
    typeof v.referral_id === "string" && /^r-[0-9a-z]{6}$/.test(v.referral_id) &&
    typeof v.partner_id === "string" && /^p-[0-9a-z]{6}$/.test(v.partner_id) &&
    (v.partner_name === undefined || typeof v.partner_name === "string") &&
    (v.items === undefined || (Array.isArray(v.items) && v.items.every((i) => isOneOf(REFERRAL_ITEMS, i)))) &&
    (v.status === undefined || isOneOf(REFERRAL_STATUSES, v.status))
  );
}
