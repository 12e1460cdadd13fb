/** The supervisor view's words, in Korean and English, and its translator `st`. */
import { translator } from "../i18n.ts";
import type { Lang } from "../strings.ts";

const ko = {
  "title": "관리자 현황",
  "updated": "10초마다 새로 고침",
  "error.metrics": "현황을 불러오지 못했어요. 잠시 후 다시 시도해 주세요.",
  "figures.title": "지금 상황",
  "figures.queue": "대기 중",
  "figures.waitMedian": "대기 시간 중앙값",
  "figures.waitMax": "가장 긴 대기",
  "figures.crisis": "진행 중인 위기 사례",
  "figures.expired": "만료된 배정 제안 (7일)",
  "figures.declined": "거절된 배정 제안 (7일)",
  "minutes": "{minutes}분",
  "none": "—",
  "staff.title": "상담사별 진행 중인 사례",
  "staff.name": "이름",
  "staff.shift": "근무",
  "staff.load": "진행 중 / 최대",
  "staff.onShift": "근무 중",
  "staff.offShift": "근무 중 아님",
  "staff.loadValue": "{active} / {capacity}",
  "handled.title": "하루에 마친 사례 (7일)",
  "handled.chart": "하루에 마친 사례, 최근 7일: {days}",
  "handled.day": "{month}/{day}",
  "handled.dayValue": "{day} {count}건",
  "reassign.title": "사례 재배정",
  "reassign.hint": "사례 ID를 넣고 근무 중인 상담사를 고르세요.",
  "reassign.caseId": "사례 ID",
  "reassign.to": "새 담당자",
  "reassign.choose": "고르세요",
  "reassign.submit": "재배정",
  "reassign.working": "재배정하는 중…",
  "reassign.invited": "{name}에게 재배정했어요. 대화방 초대를 보냈어요.",
  "reassign.notInvited": "{name}에게 재배정했어요. 아직 대화방에 초대되지 않았어요: 지금 대화방에 있는 상담사가 초대해야 해요.",
  "reassign.failed": "재배정하지 못했어요: {error} ({errcode})",
} as const;

export type SupervisorKey = keyof typeof ko;

const en: Record<SupervisorKey, string> = {
  "title": "Supervisor overview",
  "updated": "Refreshed every 10 seconds",
  "error.metrics": "Could not load the figures. Please try again in a moment.",
  "figures.title": "Right now",
  "figures.queue": "Waiting",
  "figures.waitMedian": "Median wait",
  "figures.waitMax": "Longest wait",
  "figures.crisis": "Open crisis cases",
  "figures.expired": "Offers expired (7 days)",
  "figures.declined": "Offers declined (7 days)",
  "minutes": "{minutes} min",
  "none": "—",
  "staff.title": "Active cases per companion",
  "staff.name": "Name",
  "staff.shift": "Shift",
  "staff.load": "Active / capacity",
  "staff.onShift": "On shift",
  "staff.offShift": "Off shift",
  "staff.loadValue": "{active} / {capacity}",
  "handled.title": "Handled per day (7 days)",
  "handled.chart": "Cases handled per day, last 7 days: {days}",
  "handled.day": "{month}/{day}",
  "handled.dayValue": "{day}: {count}",
  "reassign.title": "Reassign case",
  "reassign.hint": "Enter the case id and choose someone on shift.",
  "reassign.caseId": "Case id",
  "reassign.to": "Reassign to",
  "reassign.choose": "Choose…",
  "reassign.submit": "Reassign",
  "reassign.working": "Reassigning…",
  "reassign.invited": "Reassigned to {name}; they have been invited to the conversation.",
  "reassign.notInvited": "Reassigned to {name}. They are not invited yet: the companion now in the conversation must invite them.",
  "reassign.failed": "Could not reassign: {error} ({errcode})",
};

export const SUPERVISOR_STRINGS: Record<Lang, Record<SupervisorKey, string>> = { ko, en };

/** The supervisor view's translator. */
export const st = translator<SupervisorKey>(SUPERVISOR_STRINGS);
