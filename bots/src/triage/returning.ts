/**
 * A returning victim's question (docs/CRISIS.md "Returning victims"): asked
 * first when the visitor has an earlier closed case, apart from the triage
 * questions (its answer is no triage result, and only a yes is kept, by the
 * caller, as the case's link). Pure: the bot carries it to Matrix and the queue.
 */
import type { Language } from "@onsafe/schema";
import { promptById, returningPrompt } from "./bank.ts";
import { DONE, type TriageInput, type TriageState } from "./machine.ts";
import { matchOption } from "./match.ts";
import { text } from "./messages.ts";
import { notice, type Outgoing } from "../runtime/outgoing-message.ts";
import { promptMessage } from "./prompt.ts";

export type ReturningAnswer = "yes" | "no";

/** The question; bilingual until the language is known (`null`), as the first prompts are. */
export function returningQuestion(lang: Language | null): Outgoing {
  return promptMessage(returningPrompt(), lang);
}

/**
 * The victim's answer, or null when the message is something else (then it goes to
 * triage as usual). Its buttons count at any time before the hand-off; typed words
 * only while it is the latest question (`latest`), as "yes" could answer another.
 */
export function readReturningAnswer(msg: TriageInput, latest: boolean): ReturningAnswer | null {
  const prompt = returningPrompt();
  const pressed = msg.answer?.prompt_id === prompt.id ? msg.answer.option_id : !msg.answer && latest ? matchOption(prompt, msg.body)?.id : undefined;
  return pressed === "yes" || pressed === "no" ? pressed : null;
}

/**
 * What the bot says to an answer: thanks, then the triage question that is
 * open again (the returning question took the place of the first one, or
 * made the app's own first question's buttons go), or just the thanks when
 * none is left.
 */
export function afterReturningAnswer(state: TriageState, answer: ReturningAnswer): Outgoing[] {
  const thanks = text(state.language, answer === "yes" ? "returningLinked" : "returningFresh");
  const open = state.step === DONE ? undefined : promptById(state.step);
  return [open ? promptMessage(open, state.language, thanks) : notice(thanks)];
}
