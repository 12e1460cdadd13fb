/** The partner view's words, in Korean and English, and its translator `pt` (docs/CONSOLE.md "Partner view"). */
import { translator } from "../../words/i18n.ts";
import type { Lang } from "../../words/strings.ts";

const ko = {
  "role": "협력 기관 담당자",
  "referrals.title": "우리 기관으로 온 의뢰",
  "referrals.intro": "당사자가 전달에 동의한 내용만 여기에 와요. 당사자는 언제든 동의를 철회할 수 있고, 그러면 대화방에서 나가게 돼요.",
  "referrals.none": "아직 받은 의뢰가 없어요.",
  "referral.name": "의뢰 {id}",
  "referral.handedOff": "전달된 때: {when}",
  "referral.withdrawn": "당사자가 동의를 철회했어요. 대화방은 닫혔고 더는 볼 수 없어요.",
  "referral.accept": "수락",
  "referral.acceptLabel": "의뢰 {id} 수락하고 대화방 들어가기",
  "referral.open": "열기",
  "referral.openLabel": "의뢰 {id} 대화 열기",
  "referral.joining": "들어가는 중…",
  "referral.notInvited": "대화방 초대가 아직 오지 않았어요. 잠시 후 다시 해 보세요.",
  "status.consented": "수락을 기다려요",
  "status.accepted": "수락함",
  "status.first_contact": "연락 중",
  "status.completed": "완료",
  "status.withdrawn": "동의 철회됨",
  "conversation.title": "의뢰 {id} 대화",
  "conversation.handoff": "당사자가 전달에 동의한 내용",
  "conversation.person": "당사자",
  "conversation.typing": "누군가 입력하고 있어요…",
  "conversation.close": "대화 닫기",
  "conversation.handoffUnreadable": "이 브라우저에서 로그인하기 전에 보낸 메시지는 여기서 읽을 수 없어요. 전달 내용도 그래요. 새 의뢰를 읽을 수 있도록 콘솔에 로그인한 상태로 두세요.",
  "notify.referral": "새 의뢰가 왔어요",
} as const;

export type PartnerKey = keyof typeof ko;

const en: Record<PartnerKey, string> = {
  "role": "Partner staff",
  "referrals.title": "Referrals to your organisation",
  "referrals.intro": "Only what the person agreed to share reaches you here. They can withdraw their consent at any time; you are then removed from the chat.",
  "referrals.none": "No referrals yet.",
  "referral.name": "Referral {id}",
  "referral.handedOff": "Handed off: {when}",
  "referral.withdrawn": "The person withdrew their consent. The chat is closed to you.",
  "referral.accept": "Accept",
  "referral.acceptLabel": "Accept referral {id} and join its chat",
  "referral.open": "Open",
  "referral.openLabel": "Open the chat of referral {id}",
  "referral.joining": "Joining…",
  "referral.notInvited": "The invitation to the chat has not arrived yet. Try again in a moment.",
  "status.consented": "Waiting for you to accept",
  "status.accepted": "Accepted",
  "status.first_contact": "In contact",
  "status.completed": "Completed",
  "status.withdrawn": "Consent withdrawn",
  "conversation.title": "Referral {id}: chat",
  "conversation.handoff": "What the person agreed to share",
  "conversation.person": "The person",
  "conversation.typing": "Someone is typing…",
  "conversation.close": "Close the chat",
  "conversation.handoffUnreadable": "Messages sent before this browser was signed in cannot be read here, the hand-off among them. Keep the console signed in, so that new referrals can be read.",
  "notify.referral": "New referral",
};

export const PARTNER_STRINGS: Record<Lang, Record<PartnerKey, string>> = { ko, en };

/** The partner view's translator. */
export const pt = translator<PartnerKey>(PARTNER_STRINGS);
