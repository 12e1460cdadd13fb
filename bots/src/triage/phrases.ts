/**
 * Spotting phrases anywhere in what a victim writes, at any point of the
 * conversation: crisis words (`bots/content/crisis-words.json`) and requests
 * for a person (`person-words.json`). Both lists are matched the same way, on
 * normalised text, so one entry covers its spacing and punctuation variants.
 */
import { readFileSync } from "node:fs";
import { LANGUAGES, type Language } from "@onsafe/schema";
import { contentPath } from "../content/content-dir.ts";
import { normalise } from "./match.ts";

type PhraseList = Record<Language, string[]>;

export function loadPhrases(name: string, path = contentPath(name)): PhraseList {
  const raw = JSON.parse(readFileSync(path, "utf8")) as Partial<Record<Language, unknown>>;
  const phrases = {} as PhraseList;
  for (const lang of LANGUAGES) {
    const list = raw[lang];
    if (!Array.isArray(list) || list.some((w) => typeof w !== "string" || normalise(w) === "")) throw new Error(`${name}: "${lang}" must list phrases`);
    phrases[lang] = list.map(normalise);
  }
  return phrases;
}

const loaded = new Map<string, PhraseList>();

/** The language of the first phrase of the list found in the text, or null when there is none. */
function phraseLanguage(name: string, body: string): Language | null {
  let known = loaded.get(name);
  if (!known) loaded.set(name, (known = loadPhrases(name)));
  const typed = normalise(body);
  return LANGUAGES.find((lang) => known[lang].some((w) => typed.includes(w))) ?? null;
}

/** Words that show the victim may be thinking of ending their life or hurting themselves. */
export function crisisWordLanguage(body: string): Language | null {
  return phraseLanguage("crisis-words.json", body);
}

/** A request for a person ("can I just talk to a real person", "상담사랑 얘기하고 싶어요"). */
export function personRequestLanguage(body: string): Language | null {
  return phraseLanguage("person-words.json", body);
}
