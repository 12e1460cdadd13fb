/** The console's words for a returning victim's case (docs/CRISIS.md "Returning victims"), in Korean and English. */
import { translator } from "../../words/i18n.ts";
import type { Lang } from "../../words/strings.ts";

// review: unreviewed wording (issue 22)
const ko = {
  "cameBack": "다시 찾아온 분: 이전 대화 {date} 종료, 담당 {name} ({outcome})",
  "cameBack.noOutcome": "결과 없음",
} as const;

export type ReturningKey = keyof typeof ko;

// review: unreviewed wording (issue 22)
const en: Record<ReturningKey, string> = {
  "cameBack": "Came back: earlier chat closed {date} with {name} ({outcome})",
  "cameBack.noOutcome": "no outcome",
};

export const rt = translator<ReturningKey>({ ko, en } satisfies Record<Lang, Record<ReturningKey, string>>);
