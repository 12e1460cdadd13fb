/**
 * What the workspace knows and does, apart from how it is laid out: me and my shift, the
 * queue and my offers (polled every 5 s, and at once on an invite or a join), my cases, my
 * joined rooms with their unread counts, last message and whether the victim waits for a
 * reply, and taking a case (accept, claim) or declining one.
 */
import { VISITOR_LOCALPART_PREFIX } from "@onsafe/schema/account-kinds";
import type { CaseJson, QueueEntryJson, StaffJson } from "@onsafe/schema/ops-api";
import { ClientEvent, RoomEvent, type Room } from "matrix-js-sdk";
import { createEffect, createSignal, on, onCleanup, onMount } from "solid-js";
import { onRoomChanges } from "../../matrix/room-changes.ts";
import { unreadCount } from "../../matrix/room-view.ts";
import { senderKind } from "../../matrix/timeline.ts";
import { appointmentsRooms, isAppointmentsRoom } from "../agenda/appointment-addresses.ts";
import { createCaseEndings } from "../case/case-endings.ts";
import { isStaffRoom } from "../crisis/pager-rooms.ts";
import { resumeHandOvers } from "../case/outgoing-transfers.ts";
import { acceptTransfer, declineTransfer } from "../case/transfer-accept.ts";
import { setOnShift } from "../shell/announcer.ts";
import type { StaffSession } from "../shell/staff-session.ts";
import { waitingSince } from "./urgency.ts";

const REFRESH_MS = 5000;

/** What the conversation list shows of a room, from its decrypted timeline; never the words. */
export interface RoomFacts {
  unread: number;
  /** When the last message (anyone's, bots' too) was sent, ms. */
  lastAt: number | null;
  waitingSince: number | null;
}

function roomFacts(room: Room, me: string): RoomFacts {
  const messages = room.getLiveTimeline().getEvents()
    .filter((e) => e.getType() === "m.room.message" || e.isEncrypted())
    .map((e) => {
      const sender = e.getSender() ?? "";
      return { ts: e.getTs(), fromBot: senderKind(sender, me) === "bot", fromVictim: sender.startsWith(`@${VISITOR_LOCALPART_PREFIX}`) };
    });
  return { unread: unreadCount(room, me), lastAt: messages.at(-1)?.ts ?? null, waitingSince: waitingSince(messages) };
}

export type Workspace = ReturnType<typeof createWorkspace>;

export function createWorkspace(session: StaffSession, o: { onOpened: (roomId: string) => void }) {
  const me = session.login.userId;
  const [staff, setStaff] = createSignal<StaffJson | null>(null);
  const [queue, setQueue] = createSignal<{ open: boolean; cases: QueueEntryJson[] }>({ open: false, cases: [] });
  const [joined, setJoined] = createSignal<string[]>([]);
  // Null until `me/cases` first answered.
  const [cases, setCases] = createSignal<Map<string, CaseJson> | null>(null);
  const [error, setError] = createSignal(false);
  const [facts, setFacts] = createSignal<Record<string, RoomFacts>>({});

  const refresh = async () => {
    try {
      const [mine, waiting, myCases] = await Promise.all([session.ops.me(), session.ops.queue(), session.ops.myCases()]);
      setStaff(mine);
      setQueue(waiting);
      setCases(new Map(myCases.map((c) => [c.room_id, c])));
      setError(false);
      endings.check();
    } catch {
      setError(true);
    }
  };
  const endings = createCaseEndings(session, cases, () => void refresh());
  // An offer (invite) or a case just taken (join): ask the ops API at once instead of at the next poll.
  const onMembership = (_room: unknown, membership: string) => { if (membership === "invite" || membership === "join") void refresh(); };
  // Appointments rooms are joined to read a visit's address (agenda/appointment-addresses.ts), the pager and duty rooms
  // carry crisis pages and notices (crisis/pager-rooms.ts): no conversations.
  const refreshRooms = () => setJoined(session.client.getRooms()
    .filter((r) => r.getMyMembership() === "join" && !isAppointmentsRoom(r.roomId) && !isStaffRoom(r)).map((r) => r.roomId));
  const countFacts = () => {
    const next: Record<string, RoomFacts> = {};
    for (const roomId of joined()) {
      const room = session.client.getRoom(roomId);
      next[roomId] = room ? roomFacts(room, me) : { unread: 0, lastAt: null, waitingSince: null };
    }
    setFacts(next);
  };

  onMount(() => {
    void refresh();
    // A transfer accepted while this console was closed: finish handing it over (case/outgoing-transfers.ts).
    void resumeHandOvers(session);
    refreshRooms();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    session.client.on(ClientEvent.Room, refreshRooms);
    session.client.on(RoomEvent.MyMembership, refreshRooms);
    session.client.on(RoomEvent.MyMembership, onMembership);
    onCleanup(() => {
      clearInterval(timer);
      session.client.off(ClientEvent.Room, refreshRooms);
      session.client.off(RoomEvent.MyMembership, refreshRooms);
      session.client.off(RoomEvent.MyMembership, onMembership);
    });
  });
  onCleanup(onRoomChanges(session.client, countFacts));
  createEffect(on(joined, countFacts));
  createEffect(on(appointmentsRooms, refreshRooms, { defer: true }));
  createEffect(() => setOnShift(staff()?.on_shift === true));

  /** Offers to me, from the queue or (with `transfer_from`) from a colleague. */
  const offers = () => queue().cases.filter((c) => c.offered_to === me);
  /** Everyone else waiting; a colleague's transfer offered to someone else is theirs, not the queue's. */
  const waiting = () => queue().cases.filter((c) => c.offered_to !== me && !(c.transfer_from && c.offered_to));

  /** Joins the case's room once the bot's invite has arrived, and opens it: what the companion types next goes to this victim. */
  const join = async (caseId: string) => {
    const { room_id: roomId } = await session.ops.caseById(caseId);
    await session.joinWhenInvited(roomId);
    refreshRooms();
    o.onOpened(roomId);
    await refresh();
  };
  /** A colleague's transfer is taken through the ops API and comes with the earlier conversation's keys (case/transfer-accept.ts). */
  const acceptTransferred = async (entry: QueueEntryJson) => {
    const { case: taken } = await acceptTransfer(session, entry);
    refreshRooms();
    o.onOpened(taken.room_id);
    await refresh();
  };
  const accept = (entry: QueueEntryJson) => (entry.transfer_from ? acceptTransferred(entry) : join(entry.id)).catch(() => setError(true));
  const decline = async (entry: QueueEntryJson) => {
    if (entry.transfer_from) {
      await declineTransfer(session, entry).catch(() => setError(true));
    } else {
      const { room_id: roomId } = await session.ops.caseById(entry.id);
      await session.client.leave(roomId).catch(() => setError(true));
    }
    await refresh();
  };
  const claim = async (entry: QueueEntryJson) => {
    try {
      await session.ops.claim(entry.id);
      await join(entry.id);
    } catch {
      setError(true);
      await refresh();
    }
  };
  const setShift = async (onShift: boolean) => {
    try {
      setStaff(await session.ops.setShift(onShift));
      await refresh();
    } catch {
      setError(true);
    }
  };
  const setOnCall = async (onCall: boolean) => {
    try {
      setStaff(await session.ops.setOnCall(onCall));
    } catch {
      setError(true);
    }
  };
  /** The case of a room: from `me/cases`, or the one this console closed when its victim left. */
  const caseOf = (roomId: string) => cases()?.get(roomId) ?? endings.closedCase(roomId);
  const unreadTotal = () => Object.values(facts()).reduce((sum, f) => sum + f.unread, 0);

  return {
    staff, queue, joined, error, facts, offers, waiting, caseOf, unreadTotal, endings,
    accept, decline, claim, setShift, setOnCall, refresh,
    /** A room was left (closed, transferred, put away): forget it in the list, and ask the ops API again. */
    left: () => { refreshRooms(); void refresh(); },
  };
}
