/**
 * The agenda's own words (issue 19: the length a waiting visit needs), in Korean and English, and their
 * translator `at`. Older agenda words are still in shell/console-strings.ts.
 * Not yet read by a counsellor or a native Korean speaker (issue 19): every entry.
 */
import { translator } from "../../words/i18n.ts";
import type { Lang } from "../../words/strings.ts";

const ko = {
  "needsSlot": "{minutes}분짜리 빈 시간이 필요해요: 피해자에게는 상담사가 시간을 추가한다고 안내했어요",
  "tooShort": "기다리는 {kind}에는 짧아요 ({minutes}분 필요)",
  "needed": "시간을 기다리는 약속: {waiting}.",
  "neededItem": "{kind} (사례 {id}), {minutes}분",
  "address.typed": "피해자가 적은 주소: {address}",
  "address.later": "주소: 피해자와 나중에 정하기로 했어요",
  "address.unreadable": "주소: 약속 대화방에 있지만 이 기기에서는 읽을 수 없어요",
  "kindInText.counselling_visit": "상담 방문",
  "kindInText.police_interview": "경찰 조사 동행",
  "kindInText.court_hearing": "법원 동행",
  "kindInText.statement_prep": "고소장·진술 준비",
} as const;

export type AgendaKey = keyof typeof ko;

const en: Record<AgendaKey, string> = {
  "needsSlot": "Needs a {minutes}-minute slot: the victim was told you will add times",
  "tooShort": "Too short for the {kind} waiting (needs {minutes} min)",
  "needed": "Waiting for times: {waiting}.",
  "neededItem": "{kind} (case {id}), {minutes} minutes",
  "address.typed": "Address the victim typed: {address}",
  "address.later": "Address: to be decided with the victim",
  "address.unreadable": "Address: in the Appointments chat, which this device cannot read",
  "kindInText.counselling_visit": "counselling visit",
  "kindInText.police_interview": "police interview",
  "kindInText.court_hearing": "court hearing",
  "kindInText.statement_prep": "statement preparation",
};

/** The agenda's translator. */
export const at = translator<AgendaKey>({ ko, en } satisfies Record<Lang, Record<AgendaKey, string>>);
