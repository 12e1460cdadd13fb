/**
 * How a helper bot answers an invite into a case's counselling room: only the
 * case's companion may bring it (queue/case-companion.ts), and then it joins, says one
 * thing and leaves at once, before anyone speaks, so from then on no room key
 * of that room is shared with it (DESIGN.md "Conversation flow" 7).
 */
import type { MatrixClient, Room } from "matrix-js-sdk";
import { isCaseCompanion } from "../queue/case-companion.ts";
import type { BotsTables, CaseRow, StaffMember } from "../storage/index.ts";
import { sendAll } from "../triage-bot/send.ts";
import type { Outgoing } from "../triage/outgoing.ts";
import { roomSynced } from "./room-synced.ts";

/**
 * The case and the staff member behind an invite of the bot, when they may
 * bring it (else it declines), and the id of the bot's join: a fresh key for
 * transaction ids, since the invite itself comes as stripped state, without one.
 */
export async function visitCaseRoom(
  client: MatrixClient,
  t: BotsTables,
  room: Room,
  say: (c: CaseRow) => Outgoing,
): Promise<{ c: CaseRow; staff: StaffMember; joinId: string } | null> {
  const inviteEvent = room.getMember(client.getUserId()!)?.events.member;
  const staff = t.staff.get(inviteEvent?.getSender() ?? "");
  const c = t.cases.byRoom(room.roomId);
  const allowed = staff && c && isCaseCompanion(c, staff.userId);
  if (!allowed) {
    await client.leave(room.roomId);
    return null;
  }
  await client.joinRoom(room.roomId);
  const me = client.getUserId()!;
  const joined = await roomSynced(client, room.roomId, (r) => r.hasEncryptionStateEvent() && r.getMember(me)?.events.member?.getId() !== undefined);
  const joinId = client.getRoom(room.roomId)?.getMember(me)?.events.member?.getId() ?? `${room.roomId} ${Date.now()}`;
  if (joined) await sendAll(client, room.roomId, [say(c)], `visit ${joinId}`);
  await client.leave(room.roomId);
  return { c, staff, joinId };
}
