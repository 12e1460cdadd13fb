/**
 * What each account kind may do (DESIGN.md "Accounts and policy"). The rules
 * are plain functions so every endpoint asks the same question the same way.
 */
import { type AccountKind, BOT_LOCALPARTS } from "@onsafe/schema";
import { forbidden, localpartOf } from "@onsafe/matrix-basics";

const CHAT_STAFF: readonly AccountKind[] = ["companion", "supervisor", "admin"];

export function isTriageBot(userId: string, kind: AccountKind | undefined): boolean {
  return kind === "bot" && localpartOf(userId) === BOT_LOCALPARTS.triage;
}

/** Throws M_FORBIDDEN unless `inviterKind` may invite a user of `inviteeKind`. */
export function assertMayInvite(inviterKind: AccountKind, invitee: string, inviteeKind: AccountKind | undefined): void {
  if (inviterKind === "visitor") {
    if (!isTriageBot(invitee, inviteeKind)) throw forbidden("Visitors may only invite the onsafe triage bot");
    return;
  }
  if (inviterKind === "bot") return;
  if (CHAT_STAFF.includes(inviterKind)) {
    if (inviteeKind === "visitor") throw forbidden("Only bots may invite visitors");
    return;
  }
  throw forbidden("This account may not invite users");
}

export function assertMayCreateRoom(kind: AccountKind): void {
  if (kind === "partner") throw forbidden("Partner accounts may not create rooms");
}

/**
 * Who may join a public room without an invite: staff and bots. DESIGN.md
 * lets a visitor into rooms they are invited to or create, and a partner only
 * into the hand-off rooms they are invited to after the victim consents.
 */
export function mayJoinUninvited(kind: AccountKind): boolean {
  return kind !== "visitor" && kind !== "partner";
}

/** Visitors see only themselves; staff may look up others. */
export function assertMayLookUpUsers(kind: AccountKind): void {
  if (kind === "visitor") throw forbidden("Visitors may not look up other users");
}

/**
 * State events are not end-to-end encrypted, so a visitor may set only the
 * state that makes their room private and encrypted: no names, topics or
 * avatars in which a frightened person might write who they are.
 */
const VISITOR_STATE_TYPES = new Set([
  "m.room.encryption", "m.room.history_visibility", "m.room.join_rules", "m.room.guest_access", "m.room.power_levels",
]);

export function assertMaySetState(kind: AccountKind, type: string): void {
  if (kind === "visitor" && !VISITOR_STATE_TYPES.has(type)) {
    throw forbidden(`Visitors may not set ${type.slice(0, 100)}: room state is not encrypted`);
  }
}

/** Visitors stay anonymous: no display name or avatar, which would be stored in the clear. */
export function maySetProfile(kind: AccountKind): boolean {
  return kind !== "visitor";
}

export function assertMaySetProfile(kind: AccountKind): void {
  if (!maySetProfile(kind)) throw forbidden("Visitors stay anonymous: profiles cannot be set");
}

/** A device's display name is stored in the clear and shown to everyone who fetches its keys, as a profile would be. */
export function mayNameDevices(kind: AccountKind): boolean {
  return kind !== "visitor";
}

export function assertMayNameDevices(kind: AccountKind): void {
  if (!mayNameDevices(kind)) throw forbidden("Visitors stay anonymous: devices cannot be renamed");
}

/** A membership reason is stored in the clear in the member event. */
export function assertMayGiveReason(kind: AccountKind): void {
  if (kind === "visitor") throw forbidden("Visitors may not give a reason: membership events are not encrypted");
}
