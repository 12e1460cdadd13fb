/**
 * The current language as a signal, and translators over a table of strings
 * in both languages: `t()` for the victim app; the console makes its own.
 */
import { createSignal } from "solid-js";
import { LANGS, STRINGS, type Lang, type StringKey } from "./strings.ts";

export function isLang(value: unknown): value is Lang {
  return typeof value === "string" && (LANGS as readonly string[]).includes(value);
}

/** Korean unless the browser prefers English first. */
export function browserLang(languages: readonly string[] = navigator.languages): Lang {
  for (const tag of languages) {
    const base = tag.toLowerCase().split("-")[0];
    if (isLang(base)) return base;
  }
  return "ko";
}

const [lang, setLangSignal] = createSignal<Lang>(browserLang());
export { lang };

export function setLang(next: Lang): void {
  setLangSignal(next);
  document.documentElement.lang = next;
}

/** A lookup in `table` for the current language, with `{placeholders}` filled in. */
export function translator<K extends string>(table: Record<Lang, Record<K, string>>) {
  return (key: K, vars: Record<string, string | number> = {}): string =>
    table[lang()][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export const t = translator<StringKey>(STRINGS);
