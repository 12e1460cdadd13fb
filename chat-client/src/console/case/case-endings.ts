/**
 * A victim who leaves their room, or deletes their conversation (the victim
 * app leaves the room, then the account is erased), ends the case. Before the
 * hand-off the triage bot sees the leave and closes the case; after it the
 * bot is gone and only the companion's console, in the room, sees it. The
 * console then reports it (`POST cases/{id}/victim-left`: the ops API asks the
 * homeserver to confirm), which frees the companion's place for the next
 * waiting case, and tells the companion in plain words (docs/QUEUE.md
 * "Victim leaves after the hand-off"). Checked on every membership change and
 * after every poll of `me/cases`, so a leave while the console was closed is
 * caught when it opens again.
 */
import { VISITOR_LOCALPART_PREFIX } from "@onsafe/schema/account-kinds";
import type { CaseJson } from "@onsafe/schema/ops-api";
import { RoomStateEvent, type Room } from "matrix-js-sdk";
import { createSignal, onCleanup } from "solid-js";
import { announce } from "../shell/announcer.ts";
import { ct } from "../shell/ct.ts";
import type { StaffSession } from "../shell/staff-session.ts";

const LINES = 5;

export interface CaseEndings {
  /** Whether the conversation in `roomId` has ended (its victim left, its case closed). */
  ended: (roomId: string) => boolean;
  /** The closed case of an ended conversation, when this console closed it. */
  closedCase: (roomId: string) => CaseJson | null;
  /** One line per case this console closed, newest first. */
  news: () => string[];
  /** Looks at every joined room again (after a poll of `me/cases`). */
  check: () => void;
}

/** The victim (the room's visitor) was in the room and is no longer: left, or removed. */
export function victimGone(room: Room): boolean {
  const visitors = room.currentState.getMembers().filter((m) => m.userId.startsWith(`@${VISITOR_LOCALPART_PREFIX}`));
  return visitors.length > 0 && visitors.every((m) => m.membership === "leave" || m.membership === "ban");
}

/**
 * `openCases` are my open cases by room id, or null until `me/cases` first answered:
 * until then a room whose victim left may still be an open case to report.
 */
export function createCaseEndings(session: StaffSession, openCases: () => Map<string, CaseJson> | null, onClosed: () => void): CaseEndings {
  const client = session.client;
  const [ended, setEnded] = createSignal<ReadonlyMap<string, CaseJson | null>>(new Map());
  const [news, setNews] = createSignal<string[]>([]);
  const reporting = new Set<string>();
  const endedAs = (roomId: string, c: CaseJson | null) => setEnded((before) => new Map(before).set(roomId, c));

  const report = async (roomId: string, open: CaseJson) => {
    reporting.add(roomId);
    try {
      const closed = await session.ops.victimLeft(open.id);
      endedAs(roomId, closed);
      setNews((before) => [ct("case.news.ended", { id: closed.id }), ...before].slice(0, LINES));
      announce(ct("notify.ended"), "ended");
      onClosed();
    } catch {
      // Not confirmed yet, or the ops API is unreachable (the dashboard says so): the next check tries again.
    } finally {
      reporting.delete(roomId);
    }
  };

  const checkRoom = async (room: Room) => {
    if (room.getMyMembership() !== "join") return;
    // With lazy-loaded members the victim's member event may not be here yet (they last spoke long ago).
    await room.loadMembersIfNeeded().catch(() => undefined);
    const cases = openCases();
    // Checked after the wait: a poll and a member event may look at the same room at once.
    if (!cases || reporting.has(room.roomId) || ended().get(room.roomId) || !victimGone(room)) return;
    const open = cases.get(room.roomId);
    if (open) await report(room.roomId, open);
    else if (!ended().has(room.roomId)) endedAs(room.roomId, null);
  };

  const check = () => {
    for (const room of client.getRooms()) void checkRoom(room);
  };
  const onMembers = (_event: unknown, state: { roomId: string }) => {
    const room = client.getRoom(state.roomId);
    if (room) void checkRoom(room);
  };
  client.on(RoomStateEvent.Members, onMembers);
  onCleanup(() => client.off(RoomStateEvent.Members, onMembers));

  return {
    ended: (roomId) => ended().has(roomId),
    closedCase: (roomId) => ended().get(roomId) ?? null,
    news,
    check,
  };
}
