/** Drives a triage conversation in tests: each reply as text, prompt and flags. */
import { PROMPT_FIELD, isPromptContent, type Language, type PromptContent } from "@onsafe/schema";
import { handleMessage, type TriageInput, type ServiceNow, startTriage, type TriageState, type TriageStep } from "./machine.ts";
import type { Outgoing } from "../runtime/outgoing-message.ts";

export function promptIn(say: Outgoing[]): PromptContent | undefined {
  const field = say.map((o) => o.content[PROMPT_FIELD]).findLast((f) => f !== undefined);
  if (field !== undefined && !isPromptContent(field)) throw new Error("malformed prompt");
  return field;
}

export function bodies(say: Outgoing[]): string {
  return say.map((o) => String(o.content.body)).join("\n---\n");
}

const nextOpening = (lang: Language) => (lang === "ko" ? "월요일 09:00 (한국 시간)" : "Monday at 09:00 (Korea time)");
export const OPEN: ServiceNow = { open: true, nextOpening };
export const CLOSED: ServiceNow = { open: false, nextOpening };

export class Conversation {
  state: TriageState;
  last: { say: Outgoing[] } & Partial<TriageStep>;
  /** Prompt ids in the order they were shown. */
  asked: string[] = [];
  /** Everything the bot said, in order. */
  said: Outgoing[] = [];
  now: ServiceNow;
  /** Sent with every message, as the app does (`org.onsafe.language`). */
  private readonly language?: Language;

  /** `app`: a room our app opened, showing the category prompt itself, in that language. `closed`: nobody on shift. */
  constructor(o: { app?: Language; closed?: boolean } = {}) {
    const start = startTriage(o.app ? { firstPrompt: "category" } : undefined);
    this.language = o.app;
    this.now = o.closed ? CLOSED : OPEN;
    this.state = start.state;
    this.last = start;
    if (o.app) this.asked.push("category");
    this.note(start.say);
  }

  send(message: string | TriageInput): TriageStep {
    const msg = typeof message === "string" ? { body: message } : message;
    const step = handleMessage(this.state, { language: this.language, ...msg }, this.now);
    this.state = step.state;
    this.last = step;
    this.note(step.say);
    return step;
  }

  /** Presses the button of the open prompt whose option has this id. */
  press(optionId: string): TriageStep {
    return this.send({ body: optionId, answer: { prompt_id: this.state.step, option_id: optionId } });
  }

  private note(say: Outgoing[]): void {
    this.said.push(...say);
    const prompt = promptIn(say);
    if (prompt && this.asked.at(-1) !== prompt.id) this.asked.push(prompt.id);
  }
}
