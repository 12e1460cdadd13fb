/**
 * The triage conversation (DESIGN.md "Conversation flow" 3–4) as a pure state
 * machine: the caller persists the state, feeds in each message from the
 * victim and sends what comes back. The prompts and their order are data
 * (`bots/content/triage.json`); the step is always the first prompt not yet
 * answered whose conditions hold, so a crisis or an inferred language simply
 * makes later prompts fall away.
 *
 * The state is JSON of ids only, never the victim's words: it is stored in the
 * bots database. Text that is not an answer is reported as not consumed, so
 * the caller can keep its event id for the companion's summary.
 *
 * Free text while a prompt is open: the first line gets the options again, the
 * second a word that we are listening, later lines no reply (the victim may be
 * telling their story). Crisis words are watched for at every step and after
 * triage; a high-risk answer or crisis words show the crisis lines at once,
 * end the suicide-risk screen (risk is known) and let triage go on.
 */
import type { AnswerContent, Language } from "@onsafe/schema";
import { SKIP, applies, promptById, triagePrompts, type OptionDef, type PromptDef } from "./bank.ts";
import { crisisWordLanguage } from "./crisis-words.ts";
import { matchOption, scriptLanguage } from "./match.ts";
import { text, type MessageKey } from "./messages.ts";
import { crisisMessage } from "./notices.ts";
import { notice, type Outgoing } from "./outgoing.ts";
import { promptMessage } from "./prompt.ts";
import { riskLevel } from "./result.ts";

export const DONE = "done";

export interface TriageState {
  /** Id of the prompt waiting for an answer, or "done". */
  step: string;
  language: Language | null;
  /** Prompt id -> option id. */
  answers: Record<string, string>;
  crisis: boolean;
  skipped: boolean;
  /** Lines of the victim's own words since the current prompt was shown. */
  unanswered: number;
}

export interface IncomingMessage {
  body: string;
  /** The message's `org.onsafe.answer`, when the victim pressed a button. */
  answer?: AnswerContent;
}

export interface TriageStep {
  state: TriageState;
  say: Outgoing[];
  /** false when the text was the victim's own words, not an answer: keep its event id for the hand-off summary. */
  consumed: boolean;
  /** This message made it a crisis (a high-risk answer or crisis words): page on-shift staff. */
  crisisNow: boolean;
  /** Triage ended with this message (answered through, or the victim asked for a person). */
  done: boolean;
}

/** The greeting and the first, bilingual prompt (language). */
export function startTriage(): { state: TriageState; say: Outgoing[] } {
  const first = triagePrompts()[0];
  const state: TriageState = { step: first.id, language: null, answers: {}, crisis: false, skipped: false, unanswered: 0 };
  return { state, say: [notice(text(null, "greeting")), promptMessage(first, null)] };
}

export function handleMessage(previous: TriageState, msg: IncomingMessage): TriageStep {
  const state: TriageState = { ...previous, answers: { ...previous.answers } };
  // A state saved before the question bank changed resumes at the first open prompt.
  if (state.step !== DONE && !promptById(state.step)) state.step = nextPrompt(state)?.id ?? DONE;
  const prompt = promptById(state.step);
  if (!prompt) return afterTriage(state, msg);
  const choice = chosen(prompt, msg);
  if (choice === "earlier prompt") return reply(state, [promptMessage(prompt, state.language)], { consumed: true });
  if (choice) return answered(state, prompt, choice, msg);
  return ownWords(state, prompt, msg.body);
}

/** A button for this prompt (or "skip" on any), else the typed text; a button on an earlier prompt changes nothing. */
function chosen(prompt: PromptDef, msg: IncomingMessage): OptionDef | "earlier prompt" | null {
  if (msg.answer) {
    const { prompt_id, option_id } = msg.answer;
    const option = prompt.options.find((o) => o.id === option_id && (o.id === SKIP || prompt_id === prompt.id));
    if (option) return option;
    if (prompt_id !== prompt.id && promptById(prompt_id)) return "earlier prompt";
  }
  return matchOption(prompt, msg.body);
}

function answered(state: TriageState, prompt: PromptDef, option: OptionDef, msg: IncomingMessage): TriageStep {
  if (option.id === SKIP) {
    // Typed at the bilingual first prompt, the words tell the language; a button's label does not.
    if (state.language === null && !msg.answer) state.language = scriptLanguage(msg.body);
    state.skipped = true;
    state.step = DONE;
    state.unanswered = 0;
    return reply(state, [notice(text(state.language, "skipped"))], { consumed: true, done: true });
  }
  state.answers[prompt.id] = option.id;
  if (prompt.id === "language") state.language = option.id as Language;
  if (option.risk === "high" && !state.crisis) {
    state.crisis = true;
    return advance(state, [crisisMessage(state.language)], { consumed: true, crisisNow: true, intro: "crisisContinue" });
  }
  return advance(state, [], { consumed: true, intro: prompt.id === "category" ? "afterCategory" : undefined });
}

function ownWords(state: TriageState, prompt: PromptDef, body: string): TriageStep {
  const crisisIn = state.crisis ? null : crisisWordLanguage(body);
  if (crisisIn) {
    state.crisis = true;
    if (state.language === null) chooseLanguage(state, crisisIn);
    return advance(state, [crisisMessage(state.language)], { consumed: false, crisisNow: true, intro: "crisisContinue" });
  }
  // Someone who starts writing in Korean at the bilingual first prompt has chosen Korean.
  if (prompt.id === "language" && scriptLanguage(body) === "ko") {
    chooseLanguage(state, "ko");
    return advance(state, [], { consumed: false, intro: "notUnderstood" });
  }
  state.unanswered += 1;
  if (state.unanswered === 1) return reply(state, [promptMessage(prompt, state.language, text(state.language, "notUnderstood"))], {});
  if (state.unanswered === 2) return reply(state, [notice(text(state.language, "listening"))], {});
  return reply(state, [], {});
}

/** After triage only crisis words matter; everything else waits for the companion. */
function afterTriage(state: TriageState, msg: IncomingMessage): TriageStep {
  const crisisIn = state.crisis || msg.answer ? null : crisisWordLanguage(msg.body);
  if (!crisisIn) return reply(state, [], { consumed: msg.answer !== undefined });
  state.crisis = true;
  state.language ??= crisisIn;
  return reply(state, [crisisMessage(state.language)], { crisisNow: true });
}

function chooseLanguage(state: TriageState, lang: Language): void {
  state.language = lang;
  state.answers.language = lang;
}

/** Moves to the next open prompt, or ends triage. */
function advance(state: TriageState, say: Outgoing[], how: { consumed: boolean; crisisNow?: boolean; intro?: MessageKey }): TriageStep {
  const next = nextPrompt(state);
  state.unanswered = 0;
  if (next) {
    state.step = next.id;
    say.push(promptMessage(next, state.language, how.intro && text(state.language, how.intro)));
    return reply(state, say, how);
  }
  state.step = DONE;
  const risk = riskLevel(state);
  const closing = risk === "low" || risk === "moderate" ? [text(state.language, "riskSupport"), text(state.language, "done")] : [text(state.language, "done")];
  say.push(notice(closing.join("\n\n")));
  return reply(state, say, { ...how, done: true });
}

function nextPrompt(state: TriageState): PromptDef | undefined {
  return triagePrompts().find((p) => state.answers[p.id] === undefined && applies(p, state.answers) && !(p.riskScreen && state.crisis));
}

function reply(state: TriageState, say: Outgoing[], flags: { consumed?: boolean; crisisNow?: boolean; done?: boolean }): TriageStep {
  return { state, say, consumed: flags.consumed ?? false, crisisNow: flags.crisisNow ?? false, done: flags.done ?? false };
}
