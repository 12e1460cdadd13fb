/**
 * The pager room and the duty room (docs/CRISIS.md): rooms of the triage bot with one staff member
 * (pages, which the homeserver pushes to this person's devices) or with all of them (notices).
 * Neither is a conversation: the workspace never lists them (`isStaffRoom`). The console joins the
 * triage bot's invite to a pager room by itself, so the pages that follow are this member's to push.
 */
import { ClientEvent, type Room, RoomEvent } from "matrix-js-sdk";
import { fetchPublicConfig } from "../../matrix/public-config.ts";
import type { StaffSession } from "../shell/staff-session.ts";

/** `m.room.create` content marking the pager room (bots/src/crisis/page.ts). */
const ROOM_KIND_FIELD = "org.onsafe.room";
const DUTY_ROOM_NAME = "onsafe duty";

export function isPagerRoom(room: Room): boolean {
  return room.currentState.getStateEvents("m.room.create", "")?.getContent()[ROOM_KIND_FIELD] === "pager";
}

/**
 * Whether a room is the pager or the duty room, by its marks alone: hiding a room from the list
 * costs nothing, so no check of who made it (joining one is another matter, below).
 */
export function isStaffRoom(room: Room): boolean {
  return isPagerRoom(room) || room.currentState.getStateEvents("m.room.name", "")?.getContent().name === DUTY_ROOM_NAME;
}

/** Joins the triage bot's pager room invites as they come; returns the cleanup. */
export function joinPagerRooms(session: StaffSession): () => void {
  const client = session.client;
  const me = session.login.userId;
  const joining = new Set<string>();
  let bot: string | null = null;
  const inviter = (room: Room) => room.getMember(me)?.events.member?.getSender();
  const creator = (room: Room) => room.currentState.getStateEvents("m.room.create", "")?.getSender();

  const scan = async () => {
    // Asked again at the next event if it failed (public-config.ts forgets a failed answer).
    bot ??= await fetchPublicConfig().then((config) => config.triage_bot, () => null);
    if (!bot) return;
    for (const room of client.getRooms()) {
      if (room.getMyMembership() !== "invite" || joining.has(room.roomId)) continue;
      // Only the triage bot's own pager room: anyone else's invite marked so is left alone.
      if (!isPagerRoom(room) || inviter(room) !== bot || creator(room) !== bot) continue;
      joining.add(room.roomId);
      void client.joinRoom(room.roomId).catch(() => undefined).finally(() => joining.delete(room.roomId));
    }
  };
  const onChange = () => void scan();
  onChange();
  client.on(ClientEvent.Room, onChange);
  client.on(RoomEvent.MyMembership, onChange);
  return () => {
    client.off(ClientEvent.Room, onChange);
    client.off(RoomEvent.MyMembership, onChange);
  };
}
