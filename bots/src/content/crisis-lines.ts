/** The crisis lines of CONTENT.md, kept as data (`bots/content/crisis-lines.json`) so an operator can update them. */
import { readFileSync } from "node:fs";
import type { Language } from "@onsafe/schema";
import { contentPath } from "./content-dir.ts";

export interface CrisisLine {
  id: string;
  number: string;
  hours: string;
  name: Record<Language, string>;
}

export interface CrisisLines {
  /** When the numbers were last checked against public sources; shown to staff. */
  checkedOn: string;
  lines: CrisisLine[];
}

export function loadCrisisLines(path = contentPath("crisis-lines.json")): CrisisLines {
  return JSON.parse(readFileSync(path, "utf8")) as CrisisLines;
}
