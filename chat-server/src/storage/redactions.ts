/** Redaction's one write of its own: the target event's content replaced by its pruned content, in the `events` table. */
import type { Store } from "./database.ts";

export class RedactionsStore {
  constructor(private readonly store: Store) {}

  /** Replaces the event's content with `prunedContent` (JSON text) and records the redaction that did it. */
  prune(eventId: string, prunedContent: string, redactedBy: string): void {
    this.store.run(this.store.q.updateTable("events").set({ content: prunedContent, redacted_by: redactedBy }).where("event_id", "=", eventId));
  }
}
