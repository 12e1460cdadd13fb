/**
 * The summary the bot posts when a counsellor joins (DESIGN.md "Conversation
 * flow" 6): the triage result and what the victim wrote, as
 * `org.onsafe.triage_summary` for the console. The victim is in the room and
 * sees the readable body too, maybe with someone looking over their
 * shoulder, so the body only says their answers were passed on (issue 18).
 */
import { TRIAGE_SUMMARY_FIELD, type Language, type TriageResult, type TriageSummaryContent } from "@onsafe/schema";
import { text } from "./messages.ts";
import { notice, type Outgoing } from "../runtime/outgoing-message.ts";

export interface TriageNote {
  /** What the victim wrote while triage ran or while waiting. */
  body: string;
  /** origin_server_ts of their message. */
  at: number;
}

export function triageSummary(result: TriageResult, notes: TriageNote[], lang: Language): Outgoing {
  const field: TriageSummaryContent = { ...result, notes: notes.map((n) => ({ body: n.body, at: n.at })) };
  return notice(text(lang, "summary.passed"), { [TRIAGE_SUMMARY_FIELD]: field });
}
