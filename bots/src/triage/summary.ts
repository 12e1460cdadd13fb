/**
 * The summary the bot posts when a companion joins (DESIGN.md "Conversation
 * flow" 6): the triage result as `org.onsafe.triage_summary`, and a readable
 * body in the case's language. The victim is in the room and sees it too, so
 * the body only restates their answers, in plain words; the priority stays
 * in the structured field for the console.
 */
import { TRIAGE_SUMMARY_FIELD, type Language, type TriageResult, type TriageSummaryContent } from "@onsafe/schema";
import { triagePrompts } from "./bank.ts";
import { text } from "./messages.ts";
import { notice, type Outgoing } from "./outgoing.ts";

export interface TriageNote {
  /** What the victim wrote while triage ran or while waiting. */
  body: string;
  /** origin_server_ts of their message. */
  at: number;
}

export function triageSummary(result: TriageResult, notes: TriageNote[], lang: Language): Outgoing {
  const answers = triagePrompts().flatMap((prompt) => {
    const option = prompt.options.find((o) => o.id === result.answers[prompt.id]);
    return option ? [`${prompt.title[lang]}: ${option.label[lang]}`] : [];
  });
  const lines = [
    text(lang, "summary.title"),
    ...(result.crisis ? [text(lang, "summary.crisis")] : []),
    ...(result.skipped ? [text(lang, "summary.skipped")] : []),
    "",
    ...answers,
    `${text(lang, "summary.risk")}: ${text(lang, `risk.${result.risk}`)}`,
  ];
  if (notes.length > 0) lines.push("", `${text(lang, "summary.notes")}:`, ...notes.map((n) => `> ${n.body.replace(/\n/g, "\n> ")}`));
  const field: TriageSummaryContent = { ...result, notes: notes.map((n) => ({ body: n.body, at: n.at })) };
  return notice(lines.join("\n"), { [TRIAGE_SUMMARY_FIELD]: field });
}
