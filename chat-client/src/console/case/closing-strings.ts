/**
 * Closing a case (docs/SHIFT.md "Closing"): the console's words in Korean and
 * English, translator `cs`. The message the victim reads is `closing-message.ts`.
 */
import { translator } from "../../words/i18n.ts";
import type { Lang } from "../../words/strings.ts";

// review: unreviewed wording (issue 19)
const ko = {
  "title": "상담 종료",
  "outcome": "결과",
  "message": "피해자에게 보낼 마무리 메시지 (고칠 수 있어요)",
  "messageHint": "{language}로 준비했어요. 내 이름으로 대화방에 보낸 뒤 사례를 종료하고 대화방에서 나가요. 피해자가 다시 적으면 사례가 대기열로 돌아와요.",
  "language.ko": "한국어",
  "language.en": "영어",
  "submit": "종료하기…",
  "confirm": "이 메시지를 피해자에게 보내고 사례 {caseId}를 종료할까요?",
  "confirmYes": "보내고 종료",
  "confirmNo": "계속 상담하기",
  "working": "종료하는 중…",
  "failedSend": "메시지를 보내지 못했어요. 사례는 아직 진행 중이에요: {error}",
  "failedClose": "메시지는 보냈지만 사례를 아직 종료하지 못했어요: {error}",
  "failedGuide": "사례는 종료했지만 안내 봇이 대화방에 돌아오지 못했어요. 이대로면 피해자가 다시 적어도 아무도 받지 못해요. 대화방에 남아 있으니 다시 시도해 주세요: {error}",
  "retry": "다시 시도",
};

export type ClosingKey = keyof typeof ko;

// review: unreviewed wording (issue 19)
const en: Record<ClosingKey, string> = {
  "title": "Close the case",
  "outcome": "Outcome",
  "message": "Closing message to the victim (you can edit it)",
  "messageHint": "Prepared in {language}. It is sent in the conversation as you; then the case closes and you leave the conversation. If the victim writes again, the case comes back to the queue.",
  "language.ko": "Korean",
  "language.en": "English",
  "submit": "Close…",
  "confirm": "Send this message to the victim and close case {caseId}?",
  "confirmYes": "Send and close",
  "confirmNo": "Keep talking",
  "working": "Closing…",
  "failedSend": "The message was not sent, and the case is still open: {error}",
  "failedClose": "The message was sent, but the case is not closed yet: {error}",
  "failedGuide": "The case is closed, but the onsafe guide could not come back into the conversation, so a new message from the victim would reach nobody. You are still in the conversation: please try again. ({error})",
  "retry": "Try again",
};

export const cs = translator<ClosingKey>({ ko, en } satisfies Record<Lang, Record<ClosingKey, string>>);
