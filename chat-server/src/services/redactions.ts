/**
 * Redaction (`PUT /rooms/{roomId}/redact/{eventId}/{txnId}`): the redaction
 * event goes into the stream and the target's content is pruned in the
 * database by the spec's redaction algorithm (room versions 10 and 11), so
 * its ciphertext is gone from the server, not only hidden.
 */
import type { Store } from "../storage/database.ts";
import { RedactionsStore } from "../storage/redactions.ts";
import type { Writer } from "../storage/writer.ts";
import type { Session } from "./accounts.ts";
import type { Events } from "./events.ts";
import { assertMayGiveReason } from "./policy.ts";
import type { Rooms } from "./rooms.ts";
import { forbidden, type JsonObject, notFound } from "@onsafe/matrix-basics";

/** Content keys a redacted event keeps, by event type (Client-Server API, "Redactions"). */
const KEPT_KEYS: Record<string, string[]> = {
  "m.room.member": ["membership", "join_authorised_via_users_server"],
  "m.room.create": ["creator", "room_version", "m.federate", "predecessor", "type"],
  "m.room.join_rules": ["join_rule", "allow"],
  "m.room.power_levels": ["ban", "events", "events_default", "invite", "kick", "redact", "state_default", "users", "users_default"],
  "m.room.history_visibility": ["history_visibility"],
  "m.room.redaction": ["redacts"],
};

export function prune(type: string, content: JsonObject): JsonObject {
  const kept = KEPT_KEYS[type] ?? [];
  return Object.fromEntries(Object.entries(content).filter(([key]) => kept.includes(key)));
}

export class Redactions {
  private readonly rows: RedactionsStore;

  constructor(private readonly store: Store, private readonly writer: Writer, private readonly events: Events, private readonly rooms: Rooms) {
    this.rows = new RedactionsStore(store);
  }

  async redact(session: Session, roomId: string, eventId: string, txnId: string, reason?: string): Promise<string> {
    if (reason !== undefined) assertMayGiveReason(session.kind);
    const redactionId = await this.writer.write((ctx) => {
      const txn = { deviceId: session.deviceId, txnId, scope: `redact/${eventId}` };
      const earlier = this.events.byTxn(session.userId, roomId, txn);
      if (earlier) return earlier.event_id;
      this.rooms.assertJoined(roomId, session.userId);
      const target = this.rooms.visibleEvent(eventId, session.userId);
      if (target.room_id !== roomId) throw notFound("Event not found");
      const levels = this.rooms.powerLevels(roomId);
      const mayRedact = target.sender === session.userId
        ? levels.canSend(session.userId, "m.room.redaction", false)
        : levels.userLevel(session.userId) >= levels.actionLevel("redact");
      if (!mayRedact) throw forbidden("Insufficient power level to redact this event");
      const content: JsonObject = { redacts: eventId, ...(reason !== undefined ? { reason } : {}) };
      const redaction = this.events.insert(ctx, { roomId, type: "m.room.redaction", sender: session.userId, content, txn });
      if (!target.redacted_by) {
        const pruned = JSON.stringify(prune(target.type, JSON.parse(target.content) as JsonObject));
        this.rows.prune(eventId, pruned, redaction.event_id);
      }
      return redaction.event_id;
    });
    this.store.truncateWal();
    return redactionId;
  }
}
