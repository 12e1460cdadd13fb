/**
 * A bot's texts from a data file in `bots/content/` (so an operator can change
 * the words without touching code): `{ ko: {...}, en: {...} }` plus whatever
 * else the file holds, and `say` to fill in `{name}` placeholders.
 */
import { readFileSync } from "node:fs";
import type { Language } from "@onsafe/schema";
import type { OptionDef } from "../triage/bank.ts";
import { contentPath } from "./content-dir.ts";

export interface TextBook<T> {
  data: T & Record<Language, Record<string, string>>;
  say(lang: Language, key: string, values?: Record<string, string | number>): string;
  /** An answer option whose label in each language is the text `id`; `aliases` are other ways people type it. */
  option(id: string, aliases?: string[]): OptionDef;
}

export function textBook<T>(fileName: string): TextBook<T> {
  const data = JSON.parse(readFileSync(contentPath(fileName), "utf8")) as T & Record<Language, Record<string, string>>;
  const book: TextBook<T> = {
    data,
    option: (id, aliases = []) => ({ id, label: { ko: book.say("ko", id), en: book.say("en", id) }, aliases }),
    say(lang, key, values = {}) {
      const template = data[lang][key];
      if (template === undefined) throw new Error(`no text "${key}" in ${fileName}`);
      return template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
    },
  };
  return book;
}
