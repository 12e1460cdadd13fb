/**
 * What the triage bot keeps about a conversation in the case row
 * (`triage_state`): the triage machine's state (ids only) and how far into
 * the room's timeline it has read, so after a restart it answers what came
 * while it was away, and nothing twice.
 */
import { type ReadMark } from "../storage/read-mark.ts";
import { DONE, returningQuestion, startTriage, type TriageState } from "../triage/index.ts";

export { alreadyRead, markRead, type ReadMark } from "../storage/read-mark.ts";

export interface Conversation {
  machine: TriageState;
  read: ReadMark;
  /**
   * A returning victim was asked whether the new counsellor may know of the earlier
   * chat (docs/CRISIS.md "Returning victims") and has not answered: "latest" while it
   * is the newest question (typed words can answer it), "open" once triage asked on
   * (only its buttons can). Gone once answered: a no leaves nothing.
   */
  returning?: "latest" | "open";
}

/** `returning`: the visitor has an earlier closed case, so its question comes first. */
export function newConversation(opening?: Parameters<typeof startTriage>[0], returning = false): { conversation: Conversation; say: ReturnType<typeof startTriage>["say"] } {
  const { state, say } = startTriage(opening, returning ? returningQuestion(null) : undefined);
  return { conversation: { machine: state, read: { ts: 0, ids: [] }, ...(returning ? { returning: "latest" as const } : {}) }, say };
}

/**
 * The conversation of a case that reopened (docs/QUEUE.md "After closing"):
 * the answers stay, no question is asked again (whatever was left unasked at
 * the hand-off), words are kept for the next counsellor and still watched for
 * a crisis, and after hours the victim is told once more when someone is back.
 */
export function reopenedConversation(conversation: Conversation): Conversation {
  return { ...conversation, machine: { ...conversation.machine, step: DONE, queued: true, toldClosed: false } };
}

export function isConversation(value: unknown): value is Conversation {
  const v = value as Conversation | null;
  return typeof v === "object" && v !== null && typeof v.machine === "object" && typeof v.read?.ts === "number" && Array.isArray(v.read.ids);
}
