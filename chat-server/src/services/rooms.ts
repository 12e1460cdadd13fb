/**
 * Rooms: creation, membership changes, messages and state, each checked
 * against account-kind policy, membership and power levels before anything
 * is written. One write per request, so a refused request changes nothing.
 */
import type { Store } from "../storage/database.ts";
import { RoomsStore } from "../storage/rooms.ts";
import type { WriteContext, Writer } from "../storage/writer.ts";
import type { Session } from "./accounts.ts";
import type { Accounts } from "./accounts.ts";
import { type EventRow, Events, type NewEvent } from "./events.ts";
import type { Memberships } from "./memberships.ts";
import { assertPowerLevelChange, PowerLevels } from "./power-levels.ts";
import type { Typing } from "./typing.ts";
import { assertMayGiveReason, assertMayInvite, assertMaySetState, mayJoinUninvited } from "./policy.ts";
import { assertVisitorState } from "./visitor-state.ts";
import { forbidden, isObject, type JsonObject, MatrixError, notFound, randomToken } from "@onsafe/matrix-basics";

export const ROOM_VERSION = "10";
/** Redactions go through `/redact`, which also prunes the target. */
const SEND_REFUSED_TYPES = new Set(["m.room.redaction"]);
/** Events over 64 KiB are refused, as the spec limits PDUs. */
const MAX_EVENT_BYTES = 65_536;

export type MembershipAction = "invite" | "join" | "leave" | "kick" | "ban" | "unban";

export class Rooms {
  private readonly rows: RoomsStore;

  constructor(
    store: Store,
    private readonly writer: Writer,
    readonly events: Events,
    private readonly memberships: Memberships,
    private readonly accounts: Accounts,
    private readonly typing: Typing,
    private readonly serverName: string,
  ) {
    this.rows = new RoomsStore(store);
  }

  exists(roomId: string): boolean {
    return this.rows.exists(roomId);
  }

  creatorOf(roomId: string): string {
    return this.rows.creatorOf(roomId) ?? "";
  }

  powerLevels(roomId: string): PowerLevels {
    return new PowerLevels(this.events.stateContent(roomId, "m.room.power_levels", ""), this.creatorOf(roomId));
  }

  /** Throws unless the user is joined; M_NOT_FOUND for unknown rooms. */
  assertJoined(roomId: string, userId: string): void {
    if (!this.exists(roomId)) throw notFound("Unknown room");
    if (this.memberships.membershipOf(roomId, userId) !== "join") throw forbidden("You are not joined to this room");
  }

  /** Creates a room from already validated parts (see api/rooms.ts) in one transaction. */
  /** `maxCreated`: refuse (M_LIMIT_EXCEEDED) when `creator` has created that many rooms already; checked in the same transaction. */
  async create(creator: string, initial: Omit<NewEvent, "roomId" | "sender">[], invites: { userId: string; content: JsonObject }[], maxCreated?: number): Promise<string> {
    const roomId = `!${randomToken(18)}:${this.serverName}`;
    return this.writer.write((ctx) => {
      if (maxCreated !== undefined) {
        if (this.rows.countCreatedBy(creator) >= maxCreated) throw new MatrixError(429, "M_LIMIT_EXCEEDED", `A visitor may start at most ${maxCreated} conversations`);
      }
      this.rows.insert({ room_id: roomId, creator, room_version: ROOM_VERSION, created_ts: Date.now() });
      for (const event of initial) this.events.insert(ctx, { ...event, roomId, sender: creator });
      for (const invite of invites) {
        this.events.insert(ctx, { roomId, sender: creator, type: "m.room.member", stateKey: invite.userId, content: invite.content });
      }
      return roomId;
    });
  }

  async send(session: Session, roomId: string, type: string, txnId: string, content: JsonObject): Promise<string> {
    assertEventSize(content);
    return this.writer.write((ctx) => {
      const txn = { deviceId: session.deviceId, txnId, scope: `send/${type}` };
      const earlier = this.events.byTxn(session.userId, roomId, txn);
      if (earlier) return earlier.event_id;
      this.assertJoined(roomId, session.userId);
      if (SEND_REFUSED_TYPES.has(type)) throw forbidden("Use /redact to redact events");
      // Anything but ciphertext in an encrypted room would be plaintext at rest.
      if (type !== "m.room.encrypted" && this.events.stateRow(roomId, "m.room.encryption", "")) {
        throw forbidden("This room is end-to-end encrypted: send m.room.encrypted events");
      }
      if (!this.powerLevels(roomId).canSend(session.userId, type, false)) throw forbidden("Insufficient power level to send this event");
      return this.events.insert(ctx, { roomId, type, sender: session.userId, content, txn }).event_id;
    });
  }

  async setState(session: Session, roomId: string, type: string, stateKey: string, content: JsonObject): Promise<string> {
    assertEventSize(content);
    return this.writer.write((ctx) => {
      this.assertJoined(roomId, session.userId);
      if (type === "m.room.create") throw forbidden("The create event cannot be changed");
      if (type === "m.room.member") this.assertOwnProfileUpdate(session.userId, stateKey, content);
      else if (stateKey.startsWith("@") && stateKey !== session.userId) throw forbidden("This state key belongs to another user");
      assertMaySetState(session.kind, type);
      // A visitor's room stays invite-only and encrypted, and its state carries no free text (services/visitor-state.ts).
      if (session.kind === "visitor") assertVisitorState(type, stateKey, content, this.nameableUsers(roomId));
      const levels = this.powerLevels(roomId);
      if (!levels.canSend(session.userId, type, true)) throw forbidden("Insufficient power level to set this state");
      if (type === "m.room.encryption") this.assertEncryptionKept(roomId, content);
      if (type === "m.room.power_levels") assertPowerLevelChange(this.events.stateContent(roomId, "m.room.power_levels", ""), levels.userLevel(session.userId), session.userId, content);
      const current = this.events.stateRow(roomId, type, stateKey);
      if (current) {
        const currentEvent = this.events.byId(current.event_id);
        if (currentEvent && currentEvent.content === JSON.stringify(content) && currentEvent.sender === session.userId) return current.event_id;
      }
      return this.events.insert(ctx, { roomId, type, stateKey, sender: session.userId, content }).event_id;
    });
  }

  /** The accounts a visitor's power levels may name: the room's members and those its levels already name. */
  private nameableUsers(roomId: string): Set<string> {
    const levels = this.events.stateContent(roomId, "m.room.power_levels", "");
    const named = levels && isObject(levels.users) ? Object.keys(levels.users) : [];
    return new Set([...this.memberships.presentIn(roomId), ...named]);
  }

  /** Once a room is encrypted, its algorithm stays: clients ignore a change, so the server refuses it. */
  private assertEncryptionKept(roomId: string, content: JsonObject): void {
    const current = this.events.stateContent(roomId, "m.room.encryption", "");
    if (current && current.algorithm !== content.algorithm) throw forbidden("A room's encryption algorithm cannot be changed");
  }

  private assertOwnProfileUpdate(userId: string, stateKey: string, content: JsonObject): void {
    if (stateKey !== userId || content.membership !== "join") {
      throw forbidden("Use the membership endpoints to change membership");
    }
  }

  /** Invite, join, leave, kick, ban or unban, with the same checks as a server's auth rules. */
  async membership(session: Session, roomId: string, action: MembershipAction, target: string, reason?: string): Promise<void> {
    if (reason !== undefined) assertMayGiveReason(session.kind);
    const targetKind = action === "invite" ? this.accounts.kindOf(target) : undefined;
    if (action === "invite") {
      if (!targetKind) throw notFound("Unknown user");
      assertMayInvite(session.kind, target, targetKind);
    }
    await this.writer.write((ctx) => {
      if (!this.exists(roomId)) throw notFound("Unknown room");
      const content = this.membershipContent(session, roomId, action, target);
      if (!content) return;
      if (reason !== undefined) content.reason = reason;
      this.events.insert(ctx, { roomId, type: "m.room.member", stateKey: target, sender: session.userId, content });
      // Whoever is no longer in the room stops typing there at once (before the wake-up, so syncs see both).
      if (content.membership === "leave" || content.membership === "ban") this.typing.set(roomId, target, false, 0);
    });
  }

  /** The member event content to write, `undefined` when nothing needs to change. */
  private membershipContent(session: Session, roomId: string, action: MembershipAction, target: string): JsonObject | undefined {
    const actor = session.userId;
    const own = this.memberships.membershipOf(roomId, actor);
    const theirs = this.memberships.membershipOf(roomId, target);
    const levels = this.powerLevels(roomId);
    const profile = () => this.accounts.profile(target);
    switch (action) {
      case "join": {
        if (own === "join") return undefined;
        if (own === "ban") throw forbidden("You are banned from this room");
        const joinRule = this.events.stateContent(roomId, "m.room.join_rules", "")?.join_rule;
        const open = joinRule === "public" && mayJoinUninvited(session.kind);
        if (own !== "invite" && !open) throw forbidden("You are not invited to this room");
        return { membership: "join", ...profile() };
      }
      case "leave":
        if (own !== "join" && own !== "invite") throw forbidden("You are not in this room");
        return { membership: "leave" };
      case "invite": {
        if (own !== "join") throw forbidden("You are not joined to this room");
        if (theirs === "join") throw forbidden(`${target} is already in the room`);
        if (theirs === "ban") throw forbidden(`${target} is banned from the room`);
        if (theirs === "invite") return undefined;
        if (levels.userLevel(actor) < levels.actionLevel("invite")) throw forbidden("Insufficient power level to invite");
        return { membership: "invite", ...profile() };
      }
      case "kick":
      case "ban": {
        if (own !== "join") throw forbidden("You are not joined to this room");
        if (action === "kick" && theirs !== "join" && theirs !== "invite") throw forbidden(`${target} is not in the room`);
        if (levels.userLevel(actor) < levels.actionLevel(action) || (target !== actor && levels.userLevel(actor) <= levels.userLevel(target))) {
          throw forbidden(`Insufficient power level to ${action}`);
        }
        return { membership: action === "kick" ? "leave" : "ban" };
      }
      case "unban":
        if (own !== "join") throw forbidden("You are not joined to this room");
        if (theirs !== "ban") throw forbidden(`${target} is not banned`);
        if (levels.userLevel(actor) < levels.actionLevel("ban")) throw forbidden("Insufficient power level to unban");
        return { membership: "leave" };
    }
  }

  /** Re-sends the user's member event in every joined room after a profile change. */
  updateProfileInRooms(ctx: WriteContext, userId: string, profile: JsonObject): void {
    for (const roomId of this.memberships.roomsOf(userId, ["join"])) {
      this.events.insert(ctx, { roomId, type: "m.room.member", stateKey: userId, sender: userId, content: { membership: "join", ...profile } });
    }
  }

  /**
   * `/forget` (spec: the user can no longer retrieve the room's history): the
   * window of history they may see is closed, by moving its start past their
   * leave. A later invite or join opens a new window as usual. Forgetting a
   * room one was never in changes nothing.
   */
  async forget(session: Session, roomId: string): Promise<void> {
    const membership = this.memberships.membershipOf(roomId, session.userId);
    if (membership === "join" || membership === "invite") throw new MatrixError(400, "M_BAD_JSON", "You must leave the room before forgetting it");
    if (membership === undefined) return;
    await this.writer.write(() => this.memberships.rows.closeHistoryWindow(roomId, session.userId));
  }

  visibleEvent(eventId: string, userId: string): EventRow {
    const event = this.events.byId(eventId);
    if (!event || !this.canSee(event.room_id, event.stream_pos, userId)) throw notFound("Event not found");
    return event;
  }

  /** Whether `userId` may see an event at `pos` in `roomId` under the room's history visibility. */
  canSee(roomId: string, pos: number, userId: string): boolean {
    const m = this.memberships.get(roomId, userId);
    if (!m || pos < m.visible_from) return false;
    if (m.membership === "join") return true;
    return (m.membership === "leave" || m.membership === "ban") && pos <= (m.visible_to ?? m.stream_pos);
  }
}

function assertEventSize(content: JsonObject): void {
  if (Buffer.byteLength(JSON.stringify(content)) > MAX_EVENT_BYTES) throw new MatrixError(413, "M_TOO_LARGE", "Event too large");
}
