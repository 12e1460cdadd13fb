/**
 * The bot's texts (`bots/content/messages.json`) in Korean and English, with
 * the crisis lines (`crisis-lines.json`) filled in, so every number shown comes
 * from the one data file an operator keeps up to date.
 */
import { readFileSync } from "node:fs";
import type { CallLine, Language } from "@onsafe/schema";
import { contentPath } from "../content/content-dir.ts";
import { loadCrisisLines, type CrisisLine, type CrisisLines } from "../content/crisis-lines.ts";

export const MESSAGE_KEYS = [
  "greeting",
  "appGreeting",
  "afterCategory",
  "keptForCounsellor",
  "queued",
  "crisis",
  "crisisClosed",
  "crisisContinue",
  "threatSteps",
  "threatStepsClosed",
  "riskSupport",
  "finished",
  "skipped",
  "skippedClosed",
  "queue.next",
  "queue.position",
  "queue.wait",
  "queue.waitUnknown",
  "queue.meanwhile",
  "wait.minute",
  "wait.minutes",
  "wait.hour",
  "wait.hours",
  "closedNote",
  "dangerLines",
  "handoff",
  "unreadable",
  "summary.passed",
  "chatClosed",
  "returningLinked",
  "returningFresh",
] as const;
export type MessageKey = (typeof MESSAGE_KEYS)[number];

/** Which call buttons go beside a message: a crisis, or a threat due within 24 hours. */
export type CallKind = "crisis" | "threat";

type Catalogue = Record<Language, Record<string, string>> & { calls: Record<CallKind, string[]> };

export function loadMessages(path = contentPath("messages.json"), lines = loadCrisisLines()): Catalogue {
  const raw = JSON.parse(readFileSync(path, "utf8")) as Partial<Catalogue>;
  for (const lang of ["ko", "en"] as const) {
    for (const key of MESSAGE_KEYS) {
      if (typeof raw[lang]?.[key] !== "string") throw new Error(`messages.json: "${key}" missing in ${lang}`);
    }
  }
  for (const kind of ["crisis", "threat"] as const) {
    const ids = raw.calls?.[kind];
    if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => !lines.lines.some((l) => l.id === id))) {
      throw new Error(`messages.json: calls.${kind} must name lines of crisis-lines.json`);
    }
  }
  return raw as Catalogue;
}

let loaded: { messages: Catalogue; lines: CrisisLines } | undefined;
function content(): { messages: Catalogue; lines: CrisisLines } {
  if (!loaded) {
    const lines = loadCrisisLines();
    loaded = { messages: loadMessages(undefined, lines), lines };
  }
  return loaded;
}

/** The lines to show as call buttons (`org.onsafe.call`), labelled in `lang` (Korean before a language is known). */
export function callLines(kind: CallKind, lang: Language | null): CallLine[] {
  const { messages, lines } = content();
  return messages.calls[kind].map((id) => {
    const line = lines.lines.find((l) => l.id === id)!;
    return { number: line.number, label: lineName(lang ?? "ko", line) };
  });
}

/**
 * One text with its placeholders filled. Before the victim has chosen a
 * language (`null`) it is given in both, Korean first.
 */
export function text(lang: Language | null, key: MessageKey, vars: Record<string, string | number> = {}): string {
  if (lang === null) return `${text("ko", key, vars)}\n\n${text("en", key, vars)}`;
  return content().messages[lang][key].replace(/\{([a-zA-Z]+)(?::([^}]+))?\}/g, (whole, name: string, id?: string) => {
    if (name === "crisisLines") return content().lines.lines.map((line) => `• ${lineText(lang, line)}`).join("\n");
    if (name === "line" || name === "number") {
      const line = content().lines.lines.find((l) => l.id === id);
      if (!line) throw new Error(`messages.json: no crisis line "${id}"`);
      return name === "number" ? line.number : lineText(lang, line);
    }
    return name in vars ? String(vars[name]) : whole;
  });
}

/** "자살예방상담전화 109 · 24시간". */
function lineText(lang: Language, line: CrisisLine): string {
  return `${lineName(lang, line)} · ${content().messages[lang][`lineHours.${line.hours}`] ?? line.hours}`;
}

/** "자살예방상담전화 109", "경찰 112": the name already holds short numbers, so they are not repeated. */
function lineName(lang: Language, line: CrisisLine): string {
  return line.name[lang].includes(line.number) ? line.name[lang] : `${line.name[lang]} ${line.number}`;
}
