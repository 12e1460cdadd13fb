/** A person's message as a bot reads it: the words, and the button tapped if any (`org.onsafe.answer`). */
import { ANSWER_FIELD, type AnswerContent, isAnswerContent } from "@onsafe/schema";
import type { MatrixEvent } from "matrix-js-sdk";

export interface IncomingMessage {
  roomId: string;
  sender: string;
  eventId: string;
  /** origin_server_ts, for the bot's read mark. */
  ts: number;
  body: string;
  /** The tapped button, if any. */
  answer?: AnswerContent;
}

/** The readable message in `event` (an `m.room.message` decrypted, with a text body), or null. */
export function incomingMessage(roomId: string, event: MatrixEvent): IncomingMessage | null {
  if (event.getType() !== "m.room.message" || event.isDecryptionFailure()) return null;
  const content = event.getContent();
  if (typeof content.body !== "string") return null;
  const answer: unknown = content[ANSWER_FIELD];
  return { roomId, sender: event.getSender()!, eventId: event.getId()!, ts: event.getTs(), body: content.body, answer: isAnswerContent(answer) ? answer : undefined };
}
