/**
 * What each account kind may do (DESIGN.md "Accounts and policy"). The rules
 * are plain functions so every endpoint asks the same question the same way.
 */
import { type AccountKind, BOT_LOCALPARTS } from "@onsafe/schema";
import { forbidden } from "../http/errors.ts";
import { localpartOf } from "../http/ids.ts";

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

/** Visitors see only themselves; staff may look up others. */
export function assertMayLookUpUsers(kind: AccountKind): void {
  if (kind === "visitor") throw forbidden("Visitors may not look up other users");
}

