/**
 * What triage finds out about a case (DESIGN.md "Conversation flow" 4). These
 * are ids, never the victim's words; the bots database stores only these.
 */
export const LANGUAGES = ["ko", "en"] as const;
export type Language = (typeof LANGUAGES)[number];

export const HARM_CATEGORIES = [
  "illegal_filming",
  "distribution",
  "sextortion",
  "deepfake",
  "harassment",
  "grooming",
  "other",
] as const;
export type HarmCategory = (typeof HARM_CATEGORIES)[number];

/** Whether images are already out, or only feared. */
export const IMAGE_STATES = ["spread", "feared", "none", "unknown"] as const;
export type ImageState = (typeof IMAGE_STATES)[number];

/** A deadline set in a threat. */
export const THREAT_DEADLINES = ["within_24h", "within_week", "later", "none", "unknown"] as const;
export type ThreatDeadline = (typeof THREAT_DEADLINES)[number];

/** Suicide risk from the C-SSRS-style screen. */
export const RISK_LEVELS = ["none", "low", "moderate", "high", "unknown"] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const CASE_STATUSES = ["triage", "waiting", "offered", "assigned", "closed"] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_OUTCOMES = ["supported", "referred", "reported_to_police", "no_response", "victim_left", "other"] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];

export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === "string" && (list as readonly string[]).includes(value);
}
