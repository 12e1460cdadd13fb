/**
 * The question bank (`bots/content/triage.json`): prompts in the order they are
 * asked, checked on load against the shared triage constants so a typo in the
 * data fails at start, not in a victim's conversation.
 */
import { readFileSync } from "node:fs";
import {
  HARM_CATEGORIES,
  IMAGE_STATES,
  LANGUAGES,
  RISK_LEVELS,
  THREAT_DEADLINES,
  isOneOf,
  type Language,
  type RiskLevel,
} from "@onsafe/schema";
import { contentPath } from "../content/content-dir.ts";

/** Added to every prompt as its last option: ends triage and goes to a person. */
export const SKIP = "skip";

export interface OptionDef {
  id: string;
  label: Record<Language, string>;
  /** Other ways people type this answer, in either language. */
  aliases: string[];
  /** Set on the suicide-risk screen's options (C-SSRS screener levels). */
  risk?: RiskLevel;
}

export interface PromptDef {
  id: string;
  text: Record<Language, string>;
  /** Asked only when each named earlier prompt was answered with one of these options. */
  askIf: Record<string, string[]>;
  options: OptionDef[];
  /** Part of the suicide-risk screen, which stops once a crisis is known. */
  riskScreen: boolean;
  /** Asked once the case is in the queue, never before it (these come last in the bank). */
  whileWaiting: boolean;
}

/** Prompts whose answers become fields of the triage result, with the ids those fields allow. */
const RESULT_OPTIONS: Record<string, readonly string[]> = {
  language: LANGUAGES,
  category: HARM_CATEGORIES,
  images: IMAGE_STATES,
  deadline: THREAT_DEADLINES,
  minor: ["yes", "no", "rather_not_say"],
};

interface RawOption {
  id: string;
  label?: Record<Language, string>;
  aliases?: string[];
  risk?: string;
}
interface RawBank {
  commonOptions: Record<string, { label: Record<Language, string>; aliases?: string[] }>;
  returning: { id: string; text: Record<Language, string>; options: (RawOption | string)[] };
  prompts: { id: string; whileWaiting?: boolean; text: Record<Language, string>; askIf?: Record<string, string[]>; options: (RawOption | string)[] }[];
}

export function loadTriageBank(path = contentPath("triage.json")): PromptDef[] {
  return loadBank(path).prompts;
}

/** The whole file: the triage prompts, and the returning victim's question (asked apart from them). */
function loadBank(path: string): { prompts: PromptDef[]; returning: PromptDef } {
  const raw = JSON.parse(readFileSync(path, "utf8")) as RawBank;
  const fail = (what: string): never => {
    throw new Error(`triage.json: ${what}`);
  };
  const option = (entry: RawOption | string): OptionDef => {
    const own = typeof entry === "string" ? { id: entry } : entry;
    const common = raw.commonOptions[own.id];
    const label = own.label ?? common?.label ?? fail(`option "${own.id}" has no label`);
    if (own.risk !== undefined && !isOneOf(RISK_LEVELS, own.risk)) fail(`option "${own.id}" has unknown risk "${own.risk}"`);
    return {
      id: own.id,
      label,
      aliases: [...(common?.aliases ?? []), ...(own.aliases ?? [])],
      ...(own.risk === undefined ? {} : { risk: own.risk as RiskLevel }),
    };
  };
  const prompts: PromptDef[] = [];
  for (const p of raw.prompts) {
    const options = [...p.options.map(option), option(SKIP)];
    const prompt: PromptDef = {
      id: p.id,
      text: p.text,
      askIf: p.askIf ?? {},
      options,
      riskScreen: options.some((o) => o.risk !== undefined),
      whileWaiting: p.whileWaiting === true,
    };
    checkPrompt(prompt, prompts, fail);
    prompts.push(prompt);
  }
  if (prompts[0]?.id !== "language") fail(`the first prompt must be "language"`);
  for (const id of Object.keys(RESULT_OPTIONS)) if (!prompts.some((p) => p.id === id)) fail(`prompt "${id}" is missing`);
  const r = raw.returning ?? fail(`"returning" is missing`);
  // No skip here: it only asks what the new counsellor may know.
  const returning: PromptDef = { id: r.id, text: r.text, askIf: {}, options: r.options.map(option), riskScreen: false, whileWaiting: false };
  checkPrompt(returning, [], fail);
  if (prompts.some((p) => p.id === returning.id)) fail(`"returning" repeats the prompt id "${returning.id}"`);
  if (returning.options.map((o) => o.id).join() !== "yes,no") fail(`"returning" must have the options yes and no`);
  return { prompts, returning };
}

function checkPrompt(prompt: PromptDef, earlier: PromptDef[], fail: (what: string) => never): void {
  if (prompt.id === "done" || earlier.some((p) => p.id === prompt.id)) fail(`prompt id "${prompt.id}" is reserved or repeated`);
  const ids = prompt.options.map((o) => o.id);
  if (new Set(ids).size !== ids.length) fail(`prompt "${prompt.id}" repeats an option`);
  for (const lang of LANGUAGES) {
    if (!prompt.text?.[lang]) fail(`prompt "${prompt.id}" lacks its ${lang} text`);
    for (const o of prompt.options) if (!o.label[lang]) fail(`option "${prompt.id}.${o.id}" lacks its ${lang} label`);
  }
  const allowed = RESULT_OPTIONS[prompt.id];
  for (const id of ids) if (allowed && id !== SKIP && !allowed.includes(id)) fail(`prompt "${prompt.id}" has unknown option "${id}"`);
  if (!prompt.whileWaiting && earlier.some((p) => p.whileWaiting)) fail(`prompt "${prompt.id}" comes after a prompt asked while waiting, so it would be asked while waiting too`);
  if (prompt.riskScreen && prompt.options.some((o) => o.id !== SKIP && o.risk === undefined)) fail(`risk prompt "${prompt.id}" has an option without a risk level`);
  for (const [on, values] of Object.entries(prompt.askIf)) {
    const before = earlier.find((p) => p.id === on) ?? fail(`prompt "${prompt.id}" asks after unknown or later prompt "${on}"`);
    for (const v of values) if (!before.options.some((o) => o.id === v)) fail(`prompt "${prompt.id}" depends on unknown option "${on}.${v}"`);
  }
}

let bank: { prompts: PromptDef[]; returning: PromptDef } | undefined;

/** The bank, loaded once. */
export function triagePrompts(): PromptDef[] {
  bank ??= loadBank(contentPath("triage.json"));
  return bank.prompts;
}

/** The question for a returning victim (docs/CRISIS.md "Returning victims"): may the new counsellor know about the earlier chat? */
export function returningPrompt(): PromptDef {
  bank ??= loadBank(contentPath("triage.json"));
  return bank.returning;
}

export function promptById(id: string): PromptDef | undefined {
  return triagePrompts().find((p) => p.id === id);
}

/** Whether the prompt's conditions on earlier answers hold. */
export function applies(prompt: PromptDef, answers: Record<string, string>): boolean {
  return Object.entries(prompt.askIf).every(([on, values]) => values.includes(answers[on]));
}
