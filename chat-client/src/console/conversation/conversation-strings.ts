/** The conversation's own words (issue 19 on), in Korean and English, and its translator `cvt`. */
import { translator } from "../../words/i18n.ts";
import type { Lang } from "../../words/strings.ts";

// review: unreviewed wording (issue 19)
const ko = {
  "reading.newMessages": "새 메시지",
} as const;

export type ConversationKey = keyof typeof ko;

// review: unreviewed wording (issue 19)
const en: Record<ConversationKey, string> = {
  "reading.newMessages": "New messages",
};

/** The conversation's translator. */
export const cvt = translator<ConversationKey>({ ko, en } satisfies Record<Lang, Record<ConversationKey, string>>);
