/**
 * The words of the chat's tabs and the appointments room, in Korean and
 * English. Kept apart from `strings.ts` so they load with the chat, not with
 * the landing page.
 *
 * Not yet read by a counsellor or a native Korean speaker (issue 18):
 * appointments.intro, visit.addressLater (en).
 */
import { translator } from "../../words/i18n.ts";
import type { Lang } from "../../words/strings.ts";

const ko = {
  "tabs.label": "대화방",
  "tabs.chat": "대화",
  "tabs.appointments": "약속",
  "tabs.referrals": "연결",
  "tabs.new": "새 메시지",
  "appointments.intro": "상담사와 만날 약속을 여기서 정해요. 이 대화방도 당신과 당신을 돕는 사람만 읽을 수 있어요.",
  "appointments.composer": "약속 대화방에 메시지",
  "visit.confirmed": "약속이 정해졌어요",
  "visit.reminder": "약속 알림",
  "visit.cancelled": "약속이 취소되었어요",
  "visit.what": "무엇",
  "visit.when": "언제",
  "visit.where": "어디",
  "visit.bring": "준비물",
  "visit.kind.counselling_visit": "직접 만나서 상담",
  "visit.kind.police_interview": "경찰 조사 동행",
  "visit.kind.court_hearing": "법원 동행",
  "visit.kind.statement_prep": "고소장·진술 준비",
  "visit.place.centre": "지원센터",
  "visit.place.police_station": "경찰서",
  "visit.place.court": "법원",
  "visit.place.public_place": "조용한 공공장소",
  "visit.addressLater": "상담사와 정하기로 했어요",
  "visit.changed": "시간이 바뀌었어요. 아래 새 약속을 보세요.",
  "visit.wasCancelled": "이 약속은 취소되었어요.",
  "visit.calendar": "캘린더에 추가",
  "visit.calendarHint": "캘린더에는 ‘약속’이라고만 보여요.",
  "visit.calendarFailed": "캘린더 파일을 열지 못했어요. 다시 눌러 주세요.",
} as const;

export type AppointmentKey = keyof typeof ko;

const en: Record<AppointmentKey, string> = {
  "tabs.label": "Your chats",
  "tabs.chat": "Chat",
  "tabs.appointments": "Appointments",
  "tabs.referrals": "Referrals",
  "tabs.new": "new messages",
  "appointments.intro": "Here you can arrange to meet your counsellor. Only you and the people helping you can read this chat too.",
  "appointments.composer": "Message about appointments",
  "visit.confirmed": "Your appointment is set",
  "visit.reminder": "Reminder",
  "visit.cancelled": "Appointment cancelled",
  "visit.what": "What",
  "visit.when": "When",
  "visit.where": "Where",
  "visit.bring": "Bring",
  "visit.kind.counselling_visit": "Meeting in person",
  "visit.kind.police_interview": "Going with you to a police interview",
  "visit.kind.court_hearing": "Going with you to court",
  "visit.kind.statement_prep": "Preparing a complaint or statement",
  "visit.place.centre": "The support centre",
  "visit.place.police_station": "A police station",
  "visit.place.court": "A court",
  "visit.place.public_place": "A quiet public place",
  "visit.addressLater": "To be decided with your counsellor",
  "visit.changed": "The time has changed. See the new appointment below.",
  "visit.wasCancelled": "This appointment was cancelled.",
  "visit.calendar": "Add to calendar",
  "visit.calendarHint": "Your calendar shows it only as “Appointment”.",
  "visit.calendarFailed": "We couldn't open the calendar file. Please try again.",
};

/** The translator for these words. */
export const at = translator<AppointmentKey>({ ko, en } satisfies Record<Lang, Record<AppointmentKey, string>>);
