/** The transfer's words (docs/SHIFT.md "Transfer"), in Korean and English: the console's translator `tt`, and the notice the victim reads. */
import type { Language } from "@onsafe/schema/triage";
import { translator } from "../../words/i18n.ts";
import type { Lang } from "../../words/strings.ts";

// review: unreviewed wording (issue 19)
const ko = {
  "title": "다른 상담사에게 넘기기",
  "to": "근무 중인 동료",
  "pick": "동료 고르기…",
  "colleague": "{name} ({languages}; {load}/{capacity})",
  "note": "동료에게 남길 메모 (동료만 읽어요)",
  "noteHint": "메모는 동료의 콘솔로 암호화해서 보내요. 피해자의 대화방에는 절대 올라가지 않아요.",
  "victimMessage": "피해자에게 보낼 말 (피해자가 읽어요, 선택)",
  "submit": "넘기기 제안",
  "pending": "{colleague} 상담사의 수락을 기다리는 중 ({seconds}초 남음). 그때까지 사례는 내 담당이에요.",
  "undo": "되돌리기",
  "handing": "{colleague} 상담사가 수락했어요. 이전 대화를 넘기는 중이니 이 창을 닫지 마세요.",
  "declined": "{colleague} 상담사가 거절했어요. 사례는 계속 내 담당이에요.",
  "expired": "{colleague} 상담사가 시간 안에 수락하지 않았어요. 사례는 계속 내 담당이에요.",
  "withdrawn": "넘기기를 되돌렸어요. 사례는 계속 내 담당이에요.",
  "failed": "넘기지 못했어요: {error}",
  "retry": "다시 넘기기",
  "received": "{colleague} 상담사가 넘긴 사례예요.",
  "receivedNote": "동료의 메모: {note}",
  "receivedNoKeys": "이전 대화를 넘겨받지 못했어요. {colleague} 상담사에게 물어보세요.",
};

const en: Record<keyof typeof ko, string> = {
  "title": "Transfer to a colleague",
  "to": "Colleague on shift",
  "pick": "Choose a colleague…",
  "colleague": "{name} ({languages}; {load}/{capacity})",
  "note": "Note for your colleague (only they will read it)",
  "noteHint": "The note goes encrypted to your colleague's console. It never goes into the victim's chat.",
  "victimMessage": "Message to the victim (they will read this), optional",
  "submit": "Offer the case",
  "pending": "Waiting for {colleague} to accept ({seconds} s left). The case stays with you until then.",
  "undo": "Take it back",
  "handing": "{colleague} accepted. Passing on the conversation: keep this window open.",
  "declined": "{colleague} declined. The case stays with you.",
  "expired": "{colleague} did not accept in time. The case stays with you.",
  "withdrawn": "You took the transfer back. The case stays with you.",
  "failed": "The transfer did not go through: {error}",
  "retry": "Pass it on again",
  "received": "Transferred to you by {colleague}.",
  "receivedNote": "Their note: {note}",
  "receivedNoKeys": "The earlier conversation could not be passed on. Ask {colleague}.",
};

export type TransferKey = keyof typeof ko;

export const TRANSFER_STRINGS: Record<Lang, Record<TransferKey, string>> = { ko, en };

/** The transfer's translator (the console's language). */
export const tt = translator<TransferKey>(TRANSFER_STRINGS);

// review: unreviewed wording (issue 19)
const VICTIM_NOTICE: Record<Language, string> = {
  ko: "대화가 다른 상담사에게 전달되었어요. 새 상담사도 지금까지의 대화를 읽을 수 있어요.",
  en: "Your conversation was passed to another counsellor, who can read the earlier messages.",
};

/** What the room says when the history was shared, in the victim's language (both when it is unknown). */
export function victimNotice(language: Language | null): string {
  return language ? VICTIM_NOTICE[language] : `${VICTIM_NOTICE.ko}\n${VICTIM_NOTICE.en}`;
}
