/**
 * The triage conversation (DESIGN.md "Conversation flow" 3–4, FIRST-MINUTES.md)
 * as a pure state machine: the caller persists the state, feeds in each
 * message from the victim and sends what comes back. The prompts and their
 * order are data (`bots/content/triage.json`); the step is always the first
 * prompt not yet answered or passed whose conditions hold, so a crisis or a
 * known language simply makes later prompts fall away.
 *
 * Two things run side by side: the questions, and the case's place in the
 * queue. The case is queued (`queued`; the caller enqueues) as soon as enough
 * is known to route it: at once on a crisis, a threat due within 24 hours or a
 * request for a person, otherwise when the next question is one asked while
 * waiting (the suicide-risk screen) or none is left. Questions left then go on
 * while the victim waits; a request for a person ends them.
 *
 * The state is JSON of ids only, never the victim's words: it is stored in the
 * bots database. Text that is not an answer is reported as not consumed, so
 * the caller can keep its event id for the counsellor's summary; it is
 * something said to a person, so the bot thanks, counts the open question as
 * passed and moves on, never asking for a number.
 */
import type { AnswerContent, Language } from "@onsafe/schema";
import { SKIP, applies, promptById, triagePrompts, type OptionDef, type PromptDef } from "./bank.ts";
import { matchOption, scriptLanguage } from "./match.ts";
import { text, type MessageKey } from "./messages.ts";
import { afterHours, crisisMessage, type NextOpening, threatSteps } from "./notices.ts";
import { notice, type Outgoing } from "../runtime/outgoing-message.ts";
import { crisisWordLanguage, personRequestLanguage } from "./phrases.ts";
import { promptMessage } from "./prompt.ts";
import { riskLevel } from "./result.ts";

export const DONE = "done";

export interface TriageState {
  /** Id of the prompt waiting for an answer, or "done" when no question is left. */
  step: string;
  language: Language | null;
  /** Prompt id -> option id. */
  answers: Record<string, string>;
  /** Prompts the victim wrote their own words to instead of answering: not asked again. */
  passed: string[];
  crisis: boolean;
  skipped: boolean;
  /** The case belongs in the queue now (enqueueing twice changes nothing). */
  queued: boolean;
  /** The victim has been told that nobody is on shift: once is enough. */
  toldClosed: boolean;
}

/**
 * What the machine reads of one of the victim's messages (the bot takes it from
 * the Matrix event, runtime/incoming-message.ts `IncomingMessage`).
 */
export interface TriageInput {
  body: string;
  /** The message's `org.onsafe.answer`, when the victim pressed a button. */
  answer?: AnswerContent;
  /** The message's `org.onsafe.language`: the language the victim's app shows. */
  language?: Language;
}

/** The service as it is when the message is handled. */
export interface ServiceNow {
  /** Someone is on shift. */
  open: boolean;
  nextOpening: NextOpening;
}

export interface TriageStep {
  state: TriageState;
  say: Outgoing[];
  /** false when the text was the victim's own words, not an answer: keep its event id for the hand-off summary. */
  consumed: boolean;
  /** This message made it a crisis (a high-risk answer or crisis words): page on-shift staff. */
  crisisNow: boolean;
}

/**
 * A new conversation. Opened by our app (`opening`), which showed the greeting
 * and the prompt `firstPrompt` itself: nothing is said, the answer is awaited.
 * Otherwise the greeting and the first, bilingual prompt (language).
 */
export function startTriage(opening?: { firstPrompt: string }, askFirst?: Outgoing): { state: TriageState; say: Outgoing[] } {
  const shown = opening && promptById(opening.firstPrompt);
  const first = shown ?? triagePrompts()[0];
  const state: TriageState = { step: first.id, language: null, answers: {}, passed: [], crisis: false, skipped: false, queued: false, toldClosed: false };
  // `askFirst` (a returning victim's question) comes before the first prompt, which is asked after its answer.
  const ask = askFirst ?? (shown ? undefined : promptMessage(first, null));
  return { state, say: [...(shown ? [] : [notice(text(null, "greeting"))]), ...(ask ? [ask] : [])] };
}

export function handleMessage(previous: TriageState, msg: TriageInput, now: ServiceNow): TriageStep {
  const state = copy(previous);
  if (msg.language) chooseLanguage(state, msg.language);
  // A state saved before the question bank changed, or a language the app told, moves to the first open prompt.
  if (state.step !== DONE && (!promptById(state.step) || state.answers[state.step] !== undefined)) state.step = nextPrompt(state)?.id ?? DONE;
  const prompt = promptById(state.step);
  const typed = msg.answer ? null : msg.body;

  if (prompt && msg.answer) {
    const pressed = button(prompt, msg.answer);
    if (pressed === "earlier prompt") return reply(state, [promptMessage(prompt, state.language)], { consumed: true });
    if (pressed) return answered(state, prompt, pressed, typed, now);
  }
  const crisisIn = typed !== null && !state.crisis ? crisisWordLanguage(typed) : null;
  if (crisisIn) {
    // Words said to a person, like any others: the question they came at counts as passed.
    if (prompt) pass(state, prompt);
    return crisis(state, crisisIn, now, false);
  }
  if (!prompt) return reply(state, [], { consumed: msg.answer !== undefined });
  const option = matchOption(prompt, msg.body);
  if (option) return answered(state, prompt, option, typed, now);
  // A sentence asking for a person is more than the skip button: it is kept for the counsellor too.
  if (typed !== null && personRequestLanguage(typed)) return skip(state, scriptLanguage(typed), now, false);
  return ownWords(state, prompt, msg.body, now);
}

/**
 * The state once a message outside triage (a returning victim's answer) told the
 * app's language: the language prompt falls away, as with any message that tells it.
 */
export function languageTold(previous: TriageState, lang: Language | undefined): TriageState {
  const state = copy(previous);
  if (!lang) return state;
  chooseLanguage(state, lang);
  if (state.step !== DONE && state.answers[state.step] !== undefined) state.step = nextPrompt(state)?.id ?? DONE;
  return state;
}

/** A button for this prompt (or "skip" on any); a button of an earlier prompt changes nothing. */
function button(prompt: PromptDef, answer: AnswerContent): OptionDef | "earlier prompt" | null {
  const option = prompt.options.find((o) => o.id === answer.option_id && (o.id === SKIP || answer.prompt_id === prompt.id));
  if (option) return option;
  return answer.prompt_id !== prompt.id && promptById(answer.prompt_id) ? "earlier prompt" : null;
}

function answered(state: TriageState, prompt: PromptDef, option: OptionDef, typed: string | null, now: ServiceNow): TriageStep {
  // Typed at the bilingual first prompt, the words tell the language; a button's label does not.
  if (option.id === SKIP) return skip(state, typed === null ? null : scriptLanguage(typed), now, true);
  state.answers[prompt.id] = option.id;
  if (prompt.id === "language") state.language = option.id as Language;
  if (option.risk === "high" && !state.crisis) return crisis(state, state.language, now, true);
  if (prompt.id === "deadline" && option.id === "within_24h") {
    // Due today: what to do right now comes first, and the case goes to the queue with it.
    const steps = threatSteps(state.language, now.open ? undefined : { nextOpening: now.nextOpening });
    state.queued = true;
    state.toldClosed ||= !now.open;
    return advance(state, [steps], now, { consumed: true });
  }
  return advance(state, [], now, { consumed: true, intro: prompt.id === "category" ? "afterCategory" : undefined });
}

/**
 * Crisis words or a high-risk answer: the crisis lines at once, and the case
 * queued at once. While someone is on shift the questions left go on gently;
 * after hours this one message is all, and nothing more is asked.
 */
function crisis(state: TriageState, lang: Language | null, now: ServiceNow, consumed: boolean): TriageStep {
  state.crisis = true;
  if (state.language === null && lang !== null) chooseLanguage(state, lang);
  state.queued = true;
  if (now.open) return advance(state, [crisisMessage(state.language)], now, { consumed, crisisNow: true, intro: "crisisContinue" });
  const message = crisisMessage(state.language, { nextOpening: state.toldClosed ? null : now.nextOpening });
  state.toldClosed = true;
  state.step = DONE;
  return reply(state, [message], { consumed, crisisNow: true });
}

/** "I just want to talk to a counsellor", by button or in a sentence: no more questions, into the queue. */
function skip(state: TriageState, typedLanguage: Language | null, now: ServiceNow, consumed: boolean): TriageStep {
  state.language ??= typedLanguage;
  state.skipped = true;
  state.step = DONE;
  state.queued = true;
  if (now.open) return reply(state, [notice(text(state.language, "skipped"))], { consumed });
  if (state.toldClosed) return reply(state, [notice(text(state.language, "skippedClosed"))], { consumed });
  state.toldClosed = true;
  return reply(state, [afterHours(state.language, now.nextOpening)], { consumed });
}

/** Words said to a person: kept for the counsellor (not consumed); the open prompt counts as passed. */
function ownWords(state: TriageState, prompt: PromptDef, body: string, now: ServiceNow): TriageStep {
  if (state.language === null) {
    const lang = scriptLanguage(body);
    if (lang) chooseLanguage(state, lang);
  }
  pass(state, prompt);
  return advance(state, [], now, { consumed: false, intro: "keptForCounsellor" });
}

function pass(state: TriageState, prompt: PromptDef): void {
  if (state.answers[prompt.id] === undefined && !state.passed.includes(prompt.id)) state.passed.push(prompt.id);
}

function chooseLanguage(state: TriageState, lang: Language): void {
  state.language = lang;
  state.answers.language = lang;
}

/** Queues the case when it is time, then asks the next open prompt, or closes the questions. */
function advance(state: TriageState, say: Outgoing[], now: ServiceNow, how: { consumed: boolean; crisisNow?: boolean; intro?: MessageKey }): TriageStep {
  const next = nextPrompt(state);
  const lang = state.language;
  const intro = how.intro ? [text(lang, how.intro)] : [];
  const wasQueued = state.queued;
  if (!state.queued && (!next || next.whileWaiting)) {
    state.queued = true;
    if (now.open) intro.push(text(lang, "queued"));
    else if (!state.toldClosed) {
      say.push(afterHours(lang, now.nextOpening));
      state.toldClosed = true;
    }
  }
  if (next) {
    state.step = next.id;
    say.push(promptMessage(next, lang, intro.length > 0 ? intro.join(" ") : undefined));
    return reply(state, say, how);
  }
  state.step = DONE;
  // After a crisis its message said all; the last answer of the questions asked while waiting gets a thank-you.
  const risk = riskLevel(state);
  const closing = how.crisisNow ? [] : wasQueued ? [...(risk === "low" || risk === "moderate" ? [text(lang, "riskSupport")] : []), text(lang, "finished")] : intro;
  if (closing.length > 0) say.push(notice(closing.join("\n\n")));
  return reply(state, say, how);
}

/** The first prompt still to ask; none once the victim asked for a person. */
function nextPrompt(state: TriageState): PromptDef | undefined {
  if (state.skipped) return undefined;
  return triagePrompts().find((p) => state.answers[p.id] === undefined && !state.passed.includes(p.id) && applies(p, state.answers) && !(p.riskScreen && state.crisis));
}

/** A copy to change; states saved before issue 18 lack the newer fields (a case past triage was queued then). */
function copy(previous: TriageState): TriageState {
  const old = previous as Partial<TriageState> & Pick<TriageState, "step">;
  return {
    step: old.step,
    language: old.language ?? null,
    answers: { ...old.answers },
    passed: [...(old.passed ?? [])],
    crisis: old.crisis ?? false,
    skipped: old.skipped ?? false,
    queued: old.queued ?? old.step === DONE,
    toldClosed: old.toldClosed ?? false,
  };
}

function reply(state: TriageState, say: Outgoing[], flags: { consumed?: boolean; crisisNow?: boolean }): TriageStep {
  return { state, say, consumed: flags.consumed ?? false, crisisNow: flags.crisisNow ?? false };
}
