/**
 * Korean phone numbers in a message's text, so the chat can make them `tel:`
 * links: short public lines (109, 112, 1366, 1377), area and mobile numbers
 * (02-735-8994, 010-1234-5678) and nationwide numbers (1577-1366). Dates,
 * times, amounts and case numbers (2026-12-07, 10:30, 2024-1234) stay text.
 */
import { telHref } from "../words/content.ts";

export type TextPart = { text: string } | { text: string; tel: string };

/**
 * - `1\d\d` and `13\d\d`: the three-digit emergency and service lines and the
 *   13xx public counselling lines (1366, 1377, 1388); other four-digit numbers
 *   are more often years or amounts than lines.
 * - `0\d{1,2}-\d{3,4}-\d{4}`: area codes (02, 031…) and mobiles (010).
 * - `1[5-9]\d\d-\d{4}`: nationwide representative numbers (1577-, 1588-, 1899-).
 * Around a number: no digit, letter, dash, dot, colon, slash or comma-digit, so
 * a number inside a date, time, case number or amount never matches.
 */
const PHONE = /(?<![\p{L}\d\-./:#+])(0\d{1,2}-\d{3,4}-\d{4}|1[5-9]\d\d-\d{4}|13\d\d|1\d\d)(?![\d\-/:%]|[.,]\d|[A-Za-z])/gu;

export function phoneParts(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let from = 0;
  for (const match of text.matchAll(PHONE)) {
    if (match.index > from) parts.push({ text: text.slice(from, match.index) });
    parts.push({ text: match[0], tel: telHref(match[0]) });
    from = match.index + match[0].length;
  }
  if (from < text.length) parts.push({ text: text.slice(from) });
  return parts;
}
