/** Drives a triage conversation in tests: each reply as text, prompt and flags. */
import { PROMPT_FIELD, isPromptContent, type PromptContent } from "@onsafe/schema";
import { handleMessage, startTriage, type IncomingMessage, type TriageState, type TriageStep } from "./machine.ts";
import type { Outgoing } from "./outgoing.ts";

export function promptIn(say: Outgoing[]): PromptContent | undefined {
  const field = say.map((o) => o.content[PROMPT_FIELD]).findLast((f) => f !== undefined);
  if (field !== undefined && !isPromptContent(field)) throw new Error("malformed prompt");
  return field;
}

export function bodies(say: Outgoing[]): string {
  return say.map((o) => String(o.content.body)).join("\n---\n");
}

export class Conversation {
  state: TriageState;
  last: { say: Outgoing[] } & Partial<TriageStep>;
  /** Prompt ids in the order they were shown. */
  asked: string[] = [];

  constructor() {
    const start = startTriage();
    this.state = start.state;
    this.last = start;
    this.note(start.say);
  }

  send(message: string | IncomingMessage): TriageStep {
    const step = handleMessage(this.state, typeof message === "string" ? { body: message } : message);
    this.state = step.state;
    this.last = step;
    this.note(step.say);
    return step;
  }

  /** Presses the button of the open prompt whose option has this id. */
  press(optionId: string): TriageStep {
    const prompt = promptIn(this.last.say);
    const label = prompt?.options.find((o) => o.id === optionId)?.label ?? optionId;
    return this.send({ body: label, answer: { prompt_id: this.state.step, option_id: optionId } });
  }

  private note(say: Outgoing[]): void {
    const prompt = promptIn(say);
    if (prompt && this.asked.at(-1) !== prompt.id) this.asked.push(prompt.id);
  }
}
