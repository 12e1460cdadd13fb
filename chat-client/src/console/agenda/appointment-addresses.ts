/**
 * The address the victim typed for a visit (issue 19), read where it lives: the scheduling bot's
 * confirmation (`org.onsafe.visit` `confirmed`, its `address`) in the case's encrypted appointments room,
 * decrypted by this console and kept in memory only; the ops API and the bots database never have it.
 * The companion is invited to each of their cases' appointments rooms; the console now joins them
 * (the room keys reach invited members, history being visible from the invite) and reads only the
 * confirmations there. They are no conversations: the workspace leaves them out (`isAppointmentsRoom`).
 */
import { isVisitContent, VISIT_FIELD } from "@onsafe/schema/scheduling";
import { ClientEvent, type MatrixClient, type MatrixEvent, MatrixEventEvent, type Room, RoomEvent } from "matrix-js-sdk";
import { createSignal } from "solid-js";
import { fetchPublicConfig } from "../../matrix/public-config.ts";
import { createdBy } from "../../matrix/room-view.ts";
import type { StaffSession } from "../shell/staff-session.ts";

const [rooms, setRooms] = createSignal<ReadonlySet<string>>(new Set());
const [version, setVersion] = createSignal(0);
let watched: MatrixClient | null = null;

/** Whether the room is an appointments room (the scheduling bot's), not a conversation. Reactive. */
export const isAppointmentsRoom = (roomId: string): boolean => rooms().has(roomId);
/** The appointments rooms known so far, for the workspace to look again when it grows. */
export const appointmentsRooms = rooms;

export type VisitAddress = { kind: "typed"; text: string } | { kind: "later" } | { kind: "unreadable" };

/**
 * The newest confirmation's address for the appointment: typed, or left to decide later; `unreadable`
 * when none was found and this device could not decrypt some of the appointments rooms' messages. Reactive.
 */
export function appointmentAddress(appointmentId: string): VisitAddress | null {
  version();
  let unreadable = false;
  for (const roomId of rooms()) {
    const room = watched?.getRoom(roomId);
    if (room?.getMyMembership() !== "join") continue;
    const events = room.getLiveTimeline().getEvents();
    for (let i = events.length - 1; i >= 0; i--) {
      if (events[i].isDecryptionFailure()) {
        unreadable = true;
        continue;
      }
      const visit: unknown = events[i].getContent()[VISIT_FIELD];
      if (isVisitContent(visit) && visit.appointment_id === appointmentId && visit.stage === "confirmed") {
        return visit.address ? { kind: "typed", text: visit.address } : { kind: "later" };
      }
    }
  }
  return unreadable ? { kind: "unreadable" } : null;
}

/** Joins the scheduling bot's invites and follows its rooms; returns the cleanup. */
export function watchAppointmentRooms(session: StaffSession): () => void {
  const client = session.client;
  watched = client;
  const me = client.getUserId();
  const joining = new Set<string>();
  let bot: string | null = null;
  const inviter = (room: Room) => (me ? room.getMember(me)?.events.member?.getSender() : undefined);

  const scan = () => {
    if (!bot) return;
    const found = new Set(rooms());
    for (const room of client.getRooms()) {
      const membership = room.getMyMembership();
      if (membership === "invite" && inviter(room) === bot) {
        // Marked before joining, so the workspace never lists it as a conversation.
        found.add(room.roomId);
        if (!joining.has(room.roomId)) {
          joining.add(room.roomId);
          void client.joinRoom(room.roomId).catch(() => undefined).finally(() => joining.delete(room.roomId));
        }
      } else if (membership === "join" && createdBy(room) === bot) {
        found.add(room.roomId);
      }
    }
    if (found.size !== rooms().size) setRooms(found);
    setVersion((v) => v + 1);
  };
  // Only the appointments rooms' events can change an address: a message in a conversation asks nothing again.
  const bump = (event: MatrixEvent) => { if (rooms().has(event.getRoomId() ?? "")) setVersion((v) => v + 1); };

  void fetchPublicConfig().then((config) => {
    bot = config.scheduling_bot;
    scan();
  }).catch(() => undefined);
  client.on(ClientEvent.Room, scan);
  client.on(RoomEvent.MyMembership, scan);
  client.on(RoomEvent.Timeline, bump);
  client.on(MatrixEventEvent.Decrypted, bump);
  return () => {
    client.off(ClientEvent.Room, scan);
    client.off(RoomEvent.MyMembership, scan);
    client.off(RoomEvent.Timeline, bump);
    client.off(MatrixEventEvent.Decrypted, bump);
    // Signed out: nothing of this account's rooms stays for the next one.
    watched = null;
    setRooms(new Set<string>());
  };
}
