/**
 * A bot's texts from a data file in `bots/content/` (so an operator can change
 * the words without touching code): `{ ko: {...}, en: {...} }` plus whatever
 * else the file holds, and `say` to fill in `{name}` placeholders.
 */
import { readFileSync } from "node:fs";
import type { Language } from "@onsafe/schema";
import { contentPath } from "./content-dir.ts";

export interface TextBook<T> {
  data: T & Record<Language, Record<string, string>>;
  say(lang: Language, key: string, values?: Record<string, string | number>): string;
}

export function textBook<T>(fileName: string): TextBook<T> {
  const data = JSON.parse(readFileSync(contentPath(fileName), "utf8")) as T & Record<Language, Record<string, string>>;
  return {
    data,
    say(lang, key, values = {}) {
      const template = data[lang][key];
      if (template === undefined) throw new Error(`no text "${key}" in ${fileName}`);
      return template.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? `{${name}}`));
    },
  };
}
