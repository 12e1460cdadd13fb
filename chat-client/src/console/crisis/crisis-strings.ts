/**
 * The crisis alert's words in the console (docs/CRISIS.md "The console"): the banner, the
 * browser notification, on call and crisis pages on this device, in Korean and English, and
 * their translator `crt`. Fixed words only: a case id and minutes, never anything a victim wrote.
 * review: unreviewed wording (issue 22): every entry here, Korean and English.
 */
import { translator } from "../../words/i18n.ts";
import type { Lang } from "../../words/strings.ts";

const ko = {
  "banner.label": "위기 알림",
  "banner.title": "위기 알림",
  "banner.case": "사례 {id}에 지금 응답이 필요해요.",
  "banner.waitedNow": "방금 올라왔어요",
  "banner.waited": "{n}분째 기다려요",
  "banner.ack": "제가 맡을게요",
  "banner.acking": "알리는 중…",
  "banner.accept": "배정 수락하고 열기",
  "banner.open": "대화 열기",
  "banner.ackFailed": "응답을 알리지 못했어요. 다시 눌러 주세요.",
  "banner.soundHeld": "브라우저가 경보음을 막고 있어요.",
  "banner.soundOn": "경보음 켜기",
  "banner.answered": "{name}님이 사례 {id}를 맡았어요.",
  "banner.answeredYou": "내가 사례 {id}를 맡았어요.",
  "banner.answeredSomeone": "사례 {id}에 누군가 응답했어요.",
  "notify.title": "onsafe 위기 알림",
  "notify.body": "사례 {id}에 지금 응답이 필요해요.",
  "device.title": "위기 알림",
  "onCall.toggle": "비상 대기",
  "onCall.hint": "근무 중이 아닐 때도 아무도 응답하지 않은 위기 알림을 받아요.",
  "alerts.allow": "이 컴퓨터에서 알림 허용",
  "alerts.allowed": "이 컴퓨터에서 알림이 허용됐어요.",
  "alerts.blocked": "브라우저가 이 사이트의 알림을 막았어요. 브라우저 설정에서 허용해 주세요.",
  "pages.get": "이 기기에서 위기 호출 받기",
  "pages.working": "설정하는 중…",
  "pages.on": "이 기기에서 위기 호출을 받아요.",
  "pages.unsupported": "이 브라우저는 위기 호출(푸시 알림)을 받을 수 없어요.",
  "pages.blocked": "알림이 막혀 있어 위기 호출을 받을 수 없어요. 브라우저 설정에서 이 사이트의 알림을 허용해 주세요.",
  "pages.failed": "위기 호출을 켜지 못했어요. 다시 시도해 주세요.",
} as const;

export type CrisisKey = keyof typeof ko;

const en: Record<CrisisKey, string> = {
  "banner.label": "Crisis alerts",
  "banner.title": "Crisis alert",
  "banner.case": "Case {id} needs someone now.",
  "banner.waitedNow": "just raised",
  "banner.waited": "waiting {n} min",
  "banner.ack": "I'm on it",
  "banner.acking": "Telling the others…",
  "banner.accept": "Accept and open the case",
  "banner.open": "Open the conversation",
  "banner.ackFailed": "Could not tell the others. Press again.",
  "banner.soundHeld": "The browser is holding the alarm's sound back.",
  "banner.soundOn": "Turn the sound on",
  "banner.answered": "{name} is on case {id}.",
  "banner.answeredYou": "You are on case {id}.",
  "banner.answeredSomeone": "Someone answered case {id}.",
  "notify.title": "onsafe crisis alert",
  "notify.body": "Case {id} needs someone now.",
  "device.title": "Crisis alerts",
  "onCall.toggle": "On call",
  "onCall.hint": "Off shift, you still get crisis alerts nobody has answered.",
  "alerts.allow": "Allow alerts on this computer",
  "alerts.allowed": "Alerts are allowed on this computer.",
  "alerts.blocked": "The browser blocks alerts from this site. Allow them in the browser's settings.",
  "pages.get": "Get crisis pages on this device",
  "pages.working": "Setting up…",
  "pages.on": "Crisis pages come to this device.",
  "pages.unsupported": "This browser cannot receive crisis pages (push notifications).",
  "pages.blocked": "Notifications are blocked, so crisis pages cannot come here. Allow notifications for this site in the browser's settings.",
  "pages.failed": "Could not turn on crisis pages. Please try again.",
};

export const CRISIS_STRINGS: Record<Lang, Record<CrisisKey, string>> = { ko, en };

/** The crisis alert's translator. */
export const crt = translator<CrisisKey>(CRISIS_STRINGS);
