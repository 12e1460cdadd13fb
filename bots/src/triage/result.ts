/**
 * What a finished (or skipped) triage says about the case, and its priority.
 *
 * Priority: a sum of flags, each worth more than all lower ones together, so
 * the order between them is strict and readable from the number (0–31):
 *   16  crisis (a high-risk answer on the suicide screen, or crisis words)
 *    8  a threat with a deadline within 24 hours
 *    4  the victim is under 19
 *    2  images are already spread
 *    1  moderate suicide risk (a method thought of, or an attempt longer ago)
 * Everything else is 0. The queue serves higher numbers first, then the
 * longest waiting.
 *
 * Suicide risk follows the C-SSRS screener: the highest level any answer shows;
 * a crisis is always "high"; with no sign at all it is "none" only when every
 * screen question that applied was answered, otherwise "unknown" (declined,
 * skipped, not reached).
 */
import {
  HARM_CATEGORIES,
  IMAGE_STATES,
  THREAT_DEADLINES,
  isOneOf,
  type RiskLevel,
  type TriageResult,
} from "@onsafe/schema";
import { applies, triagePrompts } from "./bank.ts";
import type { TriageState } from "./machine.ts";

export const PRIORITY = { crisis: 16, deadlineWithin24h: 8, minor: 4, imagesSpread: 2, moderateRisk: 1 } as const;

export function triageResult(state: TriageState): TriageResult {
  const a = state.answers;
  const result: Omit<TriageResult, "priority"> = {
    language: state.language,
    category: isOneOf(HARM_CATEGORIES, a.category) ? a.category : null,
    images: isOneOf(IMAGE_STATES, a.images) ? a.images : null,
    deadline: isOneOf(THREAT_DEADLINES, a.deadline) ? a.deadline : null,
    minor: a.minor === "yes" ? true : a.minor === "no" ? false : null,
    risk: riskLevel(state),
    crisis: state.crisis,
    skipped: state.skipped,
    answers: { ...a },
  };
  return { ...result, priority: priority(result) };
}

export function priority(r: Omit<TriageResult, "priority">): number {
  return (
    (r.crisis ? PRIORITY.crisis : 0) +
    (r.deadline === "within_24h" ? PRIORITY.deadlineWithin24h : 0) +
    (r.minor === true ? PRIORITY.minor : 0) +
    (r.images === "spread" ? PRIORITY.imagesSpread : 0) +
    (r.risk === "moderate" ? PRIORITY.moderateRisk : 0)
  );
}

const SIGNS: RiskLevel[] = ["high", "moderate", "low"];

export function riskLevel(state: Pick<TriageState, "answers" | "crisis">): RiskLevel {
  if (state.crisis) return "high";
  const screen = triagePrompts().filter((p) => p.riskScreen);
  const shown = screen.flatMap((p) => p.options.find((o) => o.id === state.answers[p.id])?.risk ?? []);
  const sign = SIGNS.find((level) => shown.includes(level));
  if (sign) return sign;
  const asked = screen.filter((p) => applies(p, state.answers));
  return asked.every((p) => state.answers[p.id] !== undefined) && shown.every((l) => l === "none") ? "none" : "unknown";
}
