/** A prompt as a message: readable numbered text for any client, plus `org.onsafe.prompt` for buttons. */
import { PROMPT_FIELD, type Language, type PromptContent } from "@onsafe/schema";
import type { OptionDef, PromptDef } from "./bank.ts";
import { notice, type Outgoing } from "../runtime/outgoing-message.ts";

/** Before a language is chosen (`null`) the prompt is bilingual, Korean first. */
export function promptMessage(prompt: PromptDef, lang: Language | null, intro?: string): Outgoing {
  const options = prompt.options.map((o) => ({ id: o.id, label: label(o, lang) }));
  const question = lang === null ? `${prompt.text.ko}\n${prompt.text.en}` : prompt.text[lang];
  const list = options.map((o, i) => `${i + 1}. ${o.label}`).join("\n");
  const body = [intro, question, list].filter((part) => part !== undefined).join("\n\n");
  const field: PromptContent = { id: prompt.id, options };
  return notice(body, { [PROMPT_FIELD]: field });
}

function label(option: OptionDef, lang: Language | null): string {
  if (lang !== null) return option.label[lang];
  return option.label.ko === option.label.en ? option.label.ko : `${option.label.ko} / ${option.label.en}`;
}

/** A helper bot's question: its prompt id, and options labelled in both languages (typing either works). */
export interface Question {
  id: string;
  options: OptionDef[];
}

/** A question as a message in `lang`: the text, the options numbered, `org.onsafe.prompt`, and `fields` beside them. */
export function questionMessage(question: Question, text: string, lang: Language, fields: Record<string, unknown> = {}): Outgoing {
  const options = question.options.map((o) => ({ id: o.id, label: o.label[lang] }));
  const body = `${text}\n\n${options.map((o, i) => `${i + 1}. ${o.label}`).join("\n")}`;
  const field: PromptContent = { id: question.id, options };
  return notice(body, { [PROMPT_FIELD]: field, ...fields });
}
