/**
 * The referrals' own words in the console (statuses, the letter-only partner's note), in Korean and
 * English, and their translator `rft`. Older referral words are still in shell/console-strings.ts.
 */
import type { ReferralStatus } from "@onsafe/schema/referrals";
import { translator } from "../../words/i18n.ts";
import type { Lang } from "../../words/strings.ts";

const ko = {
  "status.offered": "제안함 (피해자에게 묻는 중)",
  "status.consented": "동의함",
  "status.accepted": "기관이 받음",
  // review: unreviewed wording (issue 19)
  "status.letter_given": "의뢰서 전달함: 피해자가 기관에 직접 연락",
  "status.first_contact": "기관이 첫 연락함",
  "status.completed": "완료",
  "status.declined": "거절함",
  "status.withdrawn": "동의 철회함",
  // review: unreviewed wording (issue 19)
  "refer.letterOnly": "{partner}에는 이 서비스의 계정이 없어요. 피해자가 동의하면 연락처가 적힌 의뢰서를 받고 직접 연락해요. 대화방 연락은 제안하지 않아요.",
} as const;

export type ReferralKey = keyof typeof ko;

const en: Record<ReferralKey, string> = {
  "status.offered": "Offered (the victim is being asked)",
  "status.consented": "Consented",
  "status.accepted": "Accepted by the partner",
  "status.letter_given": "Letter given: the victim contacts the partner",
  "status.first_contact": "First contact made",
  "status.completed": "Completed",
  "status.declined": "Declined",
  "status.withdrawn": "Consent withdrawn",
  "refer.letterOnly": "{partner} has no account here: if the victim agrees, they get a letter with its contact details and contact it themselves. No chat contact is offered.",
};

/** The referrals' translator. */
export const rft = translator<ReferralKey>({ ko, en } satisfies Record<Lang, Record<ReferralKey, string>>);

/** A referral's status in words: a letter is never "accepted by the partner", since nothing reached them. */
export const referralStatusWords = (status: ReferralStatus): string => rft(`status.${status}`);
