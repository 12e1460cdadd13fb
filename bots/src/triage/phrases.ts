/**
 * Spotting crisis words (`bots/content/crisis-words.json`) anywhere in what a
 * victim writes, at any point of the conversation.
 */
import { readFileSync } from "node:fs";
import { LANGUAGES, type Language } from "@onsafe/schema";
import { contentPath } from "../content/content-dir.ts";
import { normalise } from "./match.ts";

export function loadCrisisWords(path = contentPath("crisis-words.json")): Record<Language, string[]> {
  const raw = JSON.parse(readFileSync(path, "utf8")) as Partial<Record<Language, unknown>>;
  const words = {} as Record<Language, string[]>;
  for (const lang of LANGUAGES) {
    const list = raw[lang];
    if (!Array.isArray(list) || list.some((w) => typeof w !== "string" || normalise(w) === "")) throw new Error(`crisis-words.json: "${lang}" must list words`);
    words[lang] = list.map(normalise);
  }
  return words;
}

let words: Record<Language, string[]> | undefined;

/** The language of the first crisis word found in the text, or null when there is none. */
export function crisisWordLanguage(body: string): Language | null {
  const known = (words ??= loadCrisisWords());
  const typed = normalise(body);
  return LANGUAGES.find((lang) => known[lang].some((w) => typed.includes(w))) ?? null;
}
