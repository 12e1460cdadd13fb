/**
 * The triage summary as the companion reads it, from the bot's
 * `org.onsafe.triage_summary` field. The message's readable body says only
 * that the answers were passed on, since the victim sees it too, maybe with
 * someone looking over their shoulder (issue 18); the field has the rest.
 */
import type { TriageSummaryContent } from "@onsafe/schema/events";
import type { ConsoleKey } from "../shell/console-strings.ts";
import { ct } from "../shell/ct.ts";

export function summaryText(s: TriageSummaryContent): string {
  const word = (key: string) => ct(key as ConsoleKey);
  const lines = [
    ...(s.crisis ? [ct("summary.crisis")] : []),
    ...(s.skipped ? [ct("summary.skipped")] : []),
    ct("summary.category", { value: word(`category.${s.category ?? "unknown"}`) }),
    ...(s.images ? [ct("summary.images", { value: word(`images.${s.images}`) })] : []),
    ...(s.deadline ? [ct("summary.deadline", { value: word(`deadline.${s.deadline}`) })] : []),
    ct("summary.minor", { value: word(s.minor === null ? "answer.unanswered" : s.minor ? "answer.yes" : "answer.no") }),
    ct("summary.risk", { value: word(`risk.${s.risk}`) }),
    ct("summary.language", { value: s.language ?? "?" }),
  ];
  if (s.notes.length > 0) lines.push("", ct("summary.notes"), ...s.notes.map((n) => `> ${n.body.replace(/\n/g, "\n> ")}`));
  return lines.join("\n");
}
