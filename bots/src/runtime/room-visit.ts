/**
 * How a helper bot answers an invite into a room it must not stay in (a case's
 * counselling room): when the caller admits the inviter (the rule is the
 * caller's: for a case room, queue/case-companion.ts), it joins, says one thing
 * and leaves at once, before anyone speaks, so from then on no room key of that
 * room is shared with it (DESIGN.md "Conversation flow" 7). Otherwise it
 * declines.
 */
import type { MatrixClient, Room } from "matrix-js-sdk";
import { sendAll } from "./send.ts";
import type { Outgoing } from "./outgoing-message.ts";
import { roomSynced } from "./room-synced.ts";

/**
 * What `admit` made of the inviter (null when it declined, and the bot left),
 * and the id of the bot's join: a fresh key for transaction ids, since the
 * invite itself comes as stripped state, without one.
 */
export async function visitRoom<T extends object>(
  client: MatrixClient,
  room: Room,
  admit: (inviterId: string, roomId: string) => T | undefined,
  say: (admitted: T) => Outgoing,
): Promise<(T & { joinId: string }) | null> {
  const inviteEvent = room.getMember(client.getUserId()!)?.events.member;
  const admitted = admit(inviteEvent?.getSender() ?? "", room.roomId);
  if (!admitted) {
    await client.leave(room.roomId);
    return null;
  }
  await client.joinRoom(room.roomId);
  const me = client.getUserId()!;
  const joined = await roomSynced(client, room.roomId, (r) => r.hasEncryptionStateEvent() && r.getMember(me)?.events.member?.getId() !== undefined);
  const joinId = client.getRoom(room.roomId)?.getMember(me)?.events.member?.getId() ?? `${room.roomId} ${Date.now()}`;
  if (joined) await sendAll(client, room.roomId, [say(admitted)], `visit ${joinId}`);
  await client.leave(room.roomId);
  return { ...admitted, joinId };
}
