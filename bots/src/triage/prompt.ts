/** A prompt as a message: readable numbered text for any client, plus `org.onsafe.prompt` for buttons. */
import { PROMPT_FIELD, type Language, type PromptContent } from "@onsafe/schema";
import type { OptionDef, PromptDef } from "./bank.ts";
import { notice, type Outgoing } from "./outgoing.ts";

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
