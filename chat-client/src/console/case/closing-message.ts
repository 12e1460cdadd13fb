/**
 * The closing message the victim reads when a case is closed (docs/SHIFT.md
 * "Closing"), prepared in the case's language with the crisis lines of
 * `crisis-lines.json`; the companion edits it before it is sent.
 */
import type { Language } from "@onsafe/schema/triage";
import { CRISIS_LINES } from "../../words/content.ts";

// review: unreviewed wording (issue 19)
const MESSAGE: Record<Language, string> = {
  ko: "오늘 이야기해 주셔서 고마워요. 이제 이 상담을 마칠게요.\n다시 이야기하고 싶을 때 언제든 여기에 적어 주세요. 상담사가 답할게요.\n위험하거나 바로 이야기할 곳이 필요하면, 밤낮없이 받는 곳이에요:\n{crisisLines}",
  en: "Thank you for talking with me today. I'm closing this chat now.\nWhenever you want to talk again, write here and a counsellor will answer.\nIf you are in danger or need someone right away, these lines answer day and night:\n{crisisLines}",
};

/** The prepared closing message in `lang`, with the crisis lines of `crisis-lines.json`. */
export function closingMessage(lang: Language): string {
  const lines = CRISIS_LINES.lines.map((line) => `- ${line.name[lang].includes(line.number) ? line.name[lang] : `${line.name[lang]}: ${line.number}`}`);
  return MESSAGE[lang].replace("{crisisLines}", lines.join("\n"));
}
