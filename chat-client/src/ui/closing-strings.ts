/**
 * The victim's words for a chat a counsellor has closed (docs/SHIFT.md
 * "Closing"), in Korean and English, loaded with the chat.
 */
import { translator } from "../words/i18n.ts";
import type { Lang } from "../words/strings.ts";

// review: unreviewed wording (issue 19)
const ko = {
  "closed.title": "상담이 끝났어요",
  "closed.body": "상담사가 이 대화를 마쳤어요. 다시 이야기하고 싶을 때 언제든 여기에 적어 주세요. 상담사가 답할게요.",
  "closed.lines": "지금 바로 이야기할 곳이 필요하면 전화하세요. 밤낮없이 받아요:",
} as const;

export type ClosingKey = keyof typeof ko;

// review: unreviewed wording (issue 19)
const en: Record<ClosingKey, string> = {
  "closed.title": "This chat has ended",
  "closed.body": "The counsellor closed this chat. Write here any time to talk again, and a counsellor will answer.",
  "closed.lines": "If you need someone right now, call. They answer day and night:",
};

export const closingT = translator<ClosingKey>({ ko, en } satisfies Record<Lang, Record<ClosingKey, string>>);
