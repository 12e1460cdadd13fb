/**
 * The words of the referral rooms (docs/REFERRALS.md), in Korean and English.
 * Kept apart from `strings.ts` so they load with the chat, not with the landing page.
 *
 * Not yet read by a counsellor or a native Korean speaker (issue 18): referrals.intro.
 */
import { translator } from "../../words/i18n.ts";
import type { Lang } from "../../words/strings.ts";

const ko = {
  "referrals.intro": "상담사가 더 도움받을 수 있는 곳을 알려 드려요. 동의하신 것만 전달되고, 언제든 철회할 수 있어요. 이 대화방도 당신과 당신을 돕는 사람만 읽을 수 있어요.",
  "referrals.choose": "연결할 곳",
  "referrals.unnamed": "연결 {n}",
  "referrals.log": "{partner} 연결 대화",
  "referral.staff": "{partner} 담당자",
  "letter.title": "의뢰서",
  "letter.hint": "{partner}에 연락하실 때 보여 주거나 읽어 주세요.",
  "letter.copy": "복사",
  "letter.copied": "복사했어요",
  "letter.save": "텍스트로 저장",
  "letter.savePdf": "PDF로 저장",
  "letter.pdfFailed": "PDF를 열지 못했어요. 텍스트로 저장하거나 복사해 주세요.",
  "letter.withdrawn": "동의를 철회했어요. 이 의뢰서는 쓰지 않으셔도 돼요.",
} as const;

export type ReferralKey = keyof typeof ko;

const en: Record<ReferralKey, string> = {
  "referrals.intro": "Your counsellor can connect you with more help. Only what you agree to is shared, and you can take it back at any time. Only you and the people helping you can read this chat too.",
  "referrals.choose": "Referral to",
  "referrals.unnamed": "Referral {n}",
  "referrals.log": "Referral to {partner}",
  "referral.staff": "{partner} staff",
  "letter.title": "Your referral letter",
  "letter.hint": "Show or read this when you contact {partner}.",
  "letter.copy": "Copy",
  "letter.copied": "Copied",
  "letter.save": "Save as text",
  "letter.savePdf": "Save as PDF",
  "letter.pdfFailed": "The PDF could not be opened. Please save the letter as text or copy it.",
  "letter.withdrawn": "You withdrew your consent. You don't need this letter.",
};

export const rt = translator<ReferralKey>({ ko, en } satisfies Record<Lang, Record<ReferralKey, string>>);
