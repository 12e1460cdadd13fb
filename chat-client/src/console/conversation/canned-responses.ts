/** The prepared texts of `chat-client/content/canned-responses.json`, with the crisis lines filled in. */
import data from "../../../content/canned-responses.json";
import { CRISIS_LINES } from "../../words/content.ts";
import type { Lang } from "../../words/strings.ts";

export interface CannedResponse {
  id: string;
  title: Record<Lang, string>;
  text: Record<Lang, string>;
}

export const CANNED_RESPONSES: CannedResponse[] = data.responses;

export function cannedText(response: CannedResponse, lang: Lang): string {
  const lines = CRISIS_LINES.lines.map((line) => `- ${line.name[lang]}: ${line.number}`).join("\n");
  return response.text[lang].replace("{crisisLines}", lines);
}
