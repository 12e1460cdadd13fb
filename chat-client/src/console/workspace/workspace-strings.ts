/**
 * The workspace's words (views, the offers banner, the conversation list, the composer's
 * addressee, keys), in Korean and English, and its translator `wt`.
 * review: unreviewed wording (issue 19): every entry here, Korean and English.
 */
import { translator } from "../../words/i18n.ts";
import type { Lang } from "../../words/strings.ts";

const ko = {
  "nav.label": "화면",
  "nav.conversations": "대화",
  "nav.conversationsUnread": "대화 (안 읽음 {count})",
  "nav.agenda": "일정",
  "nav.supervisor": "관리자",
  "nav.partners": "협력 기관",
  "offer.left": "{time} 안에 수락",
  "offer.expiring": "곧 만료돼요",
  "offer.transferFrom": "{name}님이 넘긴 사례",
  "offer.count": "배정 제안 {count}건이 기다려요",
  "queue.case": "사례 {id}",
  "badge.reopened": "종료 후 다시 연락",
  "badge.deadline": "기한 24시간 안",
  "badge.deadlineWeek": "기한 일주일 안",
  "badge.minor": "미성년자",
  "badge.waiting": "답장을 기다려요",
  "list.last": "마지막 메시지 {ago}",
  "list.noMessages": "아직 메시지 없음",
  "ago.now": "방금",
  "ago.minutes": "{n}분 전",
  "ago.hours": "{n}시간 전",
  "empty.title": "열린 대화가 없어요",
  "empty.choose": "왼쪽에서 대화를 고르거나 배정을 수락하세요.",
  "empty.left": "사례 {id}는 이제 내 목록에 없어요. 다른 대화는 저절로 열리지 않아요: 다음 대화를 직접 고르세요.",
  "header.case": "사례 {id}",
  "composer.to": "받는 사람: 피해자, 사례 {id}, {category}",
  "panel.title": "사례",
  "panel.show": "사례 정보와 조치",
  "panel.back": "대화로 돌아가기",
  "keys.title": "단축키",
  "keys.switch": "이전 / 다음 대화",
  "keys.compose": "열린 대화에 쓰기",
  "sound": "배정과 메시지 알림음 (근무 중)",
  "settings": "설정",
} as const;

export type WorkspaceKey = keyof typeof ko;

const en: Record<WorkspaceKey, string> = {
  "nav.label": "Views",
  "nav.conversations": "Conversations",
  "nav.conversationsUnread": "Conversations ({count} unread)",
  "nav.agenda": "Agenda",
  "nav.supervisor": "Supervisor",
  "nav.partners": "Partners",
  "offer.left": "{time} left to accept",
  "offer.expiring": "Expiring now",
  "offer.transferFrom": "Transfer from {name}",
  "offer.count": "Offers waiting for you: {count}",
  "queue.case": "Case {id}",
  "badge.reopened": "Back after closing",
  "badge.deadline": "Deadline within 24 h",
  "badge.deadlineWeek": "Deadline this week",
  "badge.minor": "Minor",
  "badge.waiting": "Waiting for your reply",
  "list.last": "last message {ago}",
  "list.noMessages": "no messages yet",
  "ago.now": "just now",
  "ago.minutes": "{n} min ago",
  "ago.hours": "{n} h ago",
  "empty.title": "No conversation open",
  "empty.choose": "Choose a conversation on the left, or accept an offer.",
  "empty.left": "Case {id} is no longer with you. No other conversation was opened: choose the next one yourself.",
  "header.case": "Case {id}",
  "composer.to": "To: victim, case {id}, {category}",
  "panel.title": "Case",
  "panel.show": "Case details and actions",
  "panel.back": "Back to the conversation",
  "keys.title": "Keys",
  "keys.switch": "previous / next conversation",
  "keys.compose": "write in the open conversation",
  "sound": "Sound for offers and messages (on shift)",
  "settings": "Settings",
};

export const WORKSPACE_STRINGS: Record<Lang, Record<WorkspaceKey, string>> = { ko, en };

/** The workspace's translator. */
export const wt = translator<WorkspaceKey>(WORKSPACE_STRINGS);
