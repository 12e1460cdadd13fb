/**
 * `org.onsafe.*` fields carried inside encrypted `m.room.message` content next
 * to a readable `body` (DESIGN.md "Custom events"), with runtime validators.
 * Validators accept unknown extra keys, as Matrix clients do.
 */
import {
  HARM_CATEGORIES,
  IMAGE_STATES,
  LANGUAGES,
  RISK_LEVELS,
  THREAT_DEADLINES,
  isOneOf,
  type HarmCategory,
  type ImageState,
  type Language,
  type RiskLevel,
  type ThreatDeadline,
} from "./triage.ts";

export const PROMPT_FIELD = "org.onsafe.prompt";
export const ANSWER_FIELD = "org.onsafe.answer";
export const TRIAGE_SUMMARY_FIELD = "org.onsafe.triage_summary";
export const QUEUE_FIELD = "org.onsafe.queue";
/** On a victim's message: the language the app shows; the bot answers in it and never asks for it (docs/FIRST-MINUTES.md). */
export const LANGUAGE_FIELD = "org.onsafe.language";
/** On a bot's message: phone lines to show as large call buttons (a crisis, a threat due today). */
export const CALL_FIELD = "org.onsafe.call";
/**
 * On the triage bot's notice when a counsellor has closed the case (docs/SHIFT.md
 * "Closing"): the chat has ended, and writing in it again brings a counsellor back.
 * Its value is an object (`ChatClosedContent`), empty for now; ids stay out of the room.
 */
export const CHAT_CLOSED_FIELD = "org.onsafe.chat_closed";
/**
 * In `m.room.create`'s content (`creation_content`) of a room the onsafe app
 * opened: the app showed the greeting and the first question (`first_prompt`)
 * itself, so the triage bot greets nothing and waits for that answer.
 * Holds no personal data: every visitor of the web app sets the same value.
 */
export const APP_OPENING_FIELD = "org.onsafe.app_opening";

/** `creation_content[APP_OPENING_FIELD]`: the prompt the app already showed. */
export interface AppOpeningContent {
  first_prompt: string;
}

/** One line to call: `number` is what the phone dials (`tel:`), `label` what the button says. */
export interface CallLine {
  number: string;
  label: string;
}

/** A question from a bot; `body` beside it lists the same options numbered. */
export interface PromptContent {
  id: string;
  options: { id: string; label: string }[];
}

/** The victim's choice (a button); `body` beside it holds the label or number. */
export interface AnswerContent {
  prompt_id: string;
  option_id: string;
}

/** What triage found out: ids and flags only, never the victim's words. */
export interface TriageResult {
  /** null when the victim went to a person before choosing one. */
  language: Language | null;
  category: HarmCategory | null;
  /** null when not asked (not relevant to the category) or not reached. */
  images: ImageState | null;
  deadline: ThreatDeadline | null;
  /** Under 19; null when not answered. */
  minor: boolean | null;
  risk: RiskLevel;
  crisis: boolean;
  /** The victim chose to talk to someone before triage ended. */
  skipped: boolean;
  /** Higher is more urgent (rule in bots/src/triage/result.ts). */
  priority: number;
  /** Prompt id -> option id, for the companion to see each answer. */
  answers: Record<string, string>;
}

/** Posted to the companion when they join: the triage result plus what the victim wrote meanwhile. */
export interface TriageSummaryContent extends TriageResult {
  notes: { body: string; at: number }[];
}

/** `content[CHAT_CLOSED_FIELD]`: nothing but the fact; unknown keys are allowed, as everywhere. */
export type ChatClosedContent = Record<string, unknown>;

/** Where the victim is in the queue. */
export interface QueueContent {
  /** 1 = next. */
  position: number;
  expected_wait_minutes: number | null;
}

export function isAppOpeningContent(value: unknown): value is AppOpeningContent {
  return isRecord(value) && isId(value.first_prompt);
}

/** A non-empty list of lines whose numbers hold digits, dashes and a leading + only. */
export function isCallLines(value: unknown): value is CallLine[] {
  return Array.isArray(value) && value.length > 0 && value.length <= 8
    && value.every((line) => isRecord(line) && typeof line.number === "string" && /^\+?[0-9][0-9-]{1,19}$/.test(line.number) && isText(line.label));
}

export function isPromptContent(value: unknown): value is PromptContent {
  if (!isRecord(value) || !isId(value.id) || !Array.isArray(value.options) || value.options.length === 0) return false;
  const ids = new Set<string>();
  for (const option of value.options) {
    if (!isRecord(option) || !isId(option.id) || !isText(option.label) || ids.has(option.id)) return false;
    ids.add(option.id);
  }
  return true;
}

export function isAnswerContent(value: unknown): value is AnswerContent {
  return isRecord(value) && isId(value.prompt_id) && isId(value.option_id);
}

export function isTriageResult(value: unknown): value is TriageResult {
  return (
    isRecord(value) &&
    (value.language === null || isOneOf(LANGUAGES, value.language)) &&
    (value.category === null || isOneOf(HARM_CATEGORIES, value.category)) &&
    (value.images === null || isOneOf(IMAGE_STATES, value.images)) &&
    (value.deadline === null || isOneOf(THREAT_DEADLINES, value.deadline)) &&
    (value.minor === null || typeof value.minor === "boolean") &&
    isOneOf(RISK_LEVELS, value.risk) &&
    typeof value.crisis === "boolean" &&
    typeof value.skipped === "boolean" &&
    Number.isSafeInteger(value.priority) &&
    (value.priority as number) >= 0 &&
    isRecord(value.answers) &&
    Object.entries(value.answers).every(([prompt, option]) => isId(prompt) && isId(option))
  );
}

export function isTriageSummaryContent(value: unknown): value is TriageSummaryContent {
  if (!isTriageResult(value)) return false;
  const notes: unknown = (value as unknown as Record<string, unknown>).notes;
  return Array.isArray(notes) && notes.every((n) => isRecord(n) && typeof n.body === "string" && Number.isFinite(n.at));
}

export function isChatClosedContent(value: unknown): value is ChatClosedContent {
  return isRecord(value);
}

export function isQueueContent(value: unknown): value is QueueContent {
  return (
    isRecord(value) &&
    Number.isSafeInteger(value.position) &&
    (value.position as number) >= 1 &&
    (value.expected_wait_minutes === null ||
      (Number.isFinite(value.expected_wait_minutes) && (value.expected_wait_minutes as number) >= 0))
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Ids are short machine names (`risk_wish`, `within_24h`, `2026-12-01T10:00`), never text to show. */
function isId(value: unknown): value is string {
  return typeof value === "string" && /^[A-Za-z0-9._:-]{1,128}$/.test(value);
}

function isText(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "";
}
