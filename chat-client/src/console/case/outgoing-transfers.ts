/**
 * My transfers in progress, one per room, kept for the whole console session
 * rather than in the case's view: the workspace shows one conversation at a
 * time, and the hand-over must go on while the companion works in another
 * (docs/SHIFT.md "Transfer"). While the offer waits it polls
 * `GET cases/{id}/transfer`; once the colleague accepted it invites them,
 * forwards the room's keys, the note and the summary to their devices
 * (`history-keys.ts`), waits for their confirmation, sends the line for the
 * victim and the notice that the history was shared, and leaves the room.
 * Note and line live in memory only.
 */
import { isTriageSummaryContent, TRIAGE_SUMMARY_FIELD, type TriageSummaryContent } from "@onsafe/schema/events";
import type { Language } from "@onsafe/schema/triage";
import { ClientEvent, SyncState } from "matrix-js-sdk";
import { createSignal } from "solid-js";
import type { StaffSession } from "../shell/staff-session.ts";
import { handOverHistory } from "./history-keys.ts";
import { victimNotice } from "./transfer-strings.ts";

const POLL_MS = 1000;
/** How long the colleague has to join once invited, and to confirm the keys. */
const HAND_OVER_MS = 120_000;

export type Phase =
  | { kind: "idle" }
  | { kind: "pending"; caseId: string; to: string; expiresAt: number }
  | { kind: "handing"; to: string; error: string | null }
  | { kind: "returned"; reason: "declined" | "expired" | "withdrawn"; to: string };

export interface TransferOffer {
  roomId: string;
  caseId: string;
  to: string;
  expiresAt: number;
  /** The bot invited them (before the hand-off). */
  invited: boolean;
  note: string;
  /** What the victim reads before the notice; "" for nothing. */
  victimLine: string;
  language: Language | null;
  summary: TriageSummaryContent | null;
}

const [phases, setPhases] = createSignal<ReadonlyMap<string, Phase>>(new Map());
const offers = new Map<string, TransferOffer>();
const timers = new Map<string, ReturnType<typeof setInterval>>();
/** What the room's view does once the console left the room (null while another conversation is shown). */
const leaveHandlers = new Map<string, () => void>();

export function phaseOf(roomId: string): Phase {
  return phases().get(roomId) ?? { kind: "idle" };
}

function setPhase(roomId: string, phase: Phase): void {
  setPhases((before) => new Map(before).set(roomId, phase));
}

function stopPolling(roomId: string): void {
  clearInterval(timers.get(roomId));
  timers.delete(roomId);
}

/** The view of `roomId` says what to do after leaving; null when it goes. */
export function onLeftRoom(roomId: string, handler: (() => void) | null): void {
  if (handler) leaveHandlers.set(roomId, handler);
  else leaveHandlers.delete(roomId);
}

/** Follows an offer made (or found still waiting after a reload) until it is accepted, declined, expires or is taken back. */
export function follow(session: StaffSession, offer: TransferOffer): void {
  offers.set(offer.roomId, offer);
  setPhase(offer.roomId, { kind: "pending", caseId: offer.caseId, to: offer.to, expiresAt: offer.expiresAt });
  stopPolling(offer.roomId);
  timers.set(offer.roomId, setInterval(() => void poll(session, offer.roomId), POLL_MS));
}

async function poll(session: StaffSession, roomId: string): Promise<void> {
  const offer = offers.get(roomId);
  if (!offer || phaseOf(roomId).kind !== "pending") return;
  try {
    const transfer = await session.ops.transferState(offer.caseId);
    if (phaseOf(roomId).kind !== "pending" || transfer.status === "pending") return;
    stopPolling(roomId);
    if (transfer.status === "accepted") await handOver(session, roomId);
    else setPhase(roomId, { kind: "returned", reason: transfer.status, to: offer.to });
  } catch {
    // The next poll tries again.
  }
}

/** Takes the waiting offer back; refused when it was accepted or ended a moment ago, which the next poll says. */
export async function takeBack(session: StaffSession, roomId: string): Promise<void> {
  const offer = offers.get(roomId);
  if (!offer) return;
  await session.ops.undoTransfer(offer.caseId).catch(() => undefined);
  await poll(session, roomId);
}

/**
 * After a reload (or a crash) between the colleague's accept and the end of the hand-over: finishes it for
 * every accepted transfer whose room this console is still in. The note and the line for the victim were
 * in the closed page and are gone; the summary is read from the room; the notice goes in both languages.
 */
export async function resumeHandOvers(session: StaffSession): Promise<void> {
  const handOvers = await session.ops.myHandOvers().catch(() => []);
  if (handOvers.length === 0) return;
  // Which rooms this console is in is known once the first sync is through.
  if (!session.client.isInitialSyncComplete()) {
    await new Promise<void>((resolve) => {
      const onSync = (state: SyncState) => {
        if (state !== SyncState.Prepared && state !== SyncState.Syncing) return;
        session.client.off(ClientEvent.Sync, onSync);
        resolve();
      };
      session.client.on(ClientEvent.Sync, onSync);
    });
  }
  for (const h of handOvers) {
    if (offers.has(h.room_id) || session.client.getRoom(h.room_id)?.getMyMembership() !== "join") continue;
    offers.set(h.room_id, { roomId: h.room_id, caseId: h.case_id, to: h.to, expiresAt: h.accepted_at, invited: false, note: "", victimLine: "", language: null, summary: roomSummary(session, h.room_id) });
    void handOver(session, h.room_id);
  }
}

/** The bot's triage summary in the room's loaded timeline, if this device can read it. */
function roomSummary(session: StaffSession, roomId: string): TriageSummaryContent | null {
  const events = session.client.getRoom(roomId)?.getLiveTimeline().getEvents() ?? [];
  for (const event of events) {
    const field: unknown = event.getContent()[TRIAGE_SUMMARY_FIELD];
    if (isTriageSummaryContent(field)) return field;
  }
  return null;
}

/** The colleague accepted: invite them, hand over keys, note and summary, tell the victim, leave. Again after a failure. */
export async function handOver(session: StaffSession, roomId: string): Promise<void> {
  const offer = offers.get(roomId);
  if (!offer) return;
  setPhase(roomId, { kind: "handing", to: offer.to, error: null });
  try {
    const member = () => session.client.getRoom(roomId)?.getMember(offer.to)?.membership;
    if (!offer.invited && member() !== "invite" && member() !== "join") await session.client.invite(roomId, offer.to);
    offer.invited = true;
    await session.waitForJoin(roomId, offer.to, HAND_OVER_MS);
    await handOverHistory(session.client, roomId, offer.to, offer.note, offer.summary, HAND_OVER_MS);
    if (offer.victimLine) await session.client.sendMessage(roomId, { msgtype: "m.text", body: offer.victimLine } as never);
    await session.client.sendMessage(roomId, { msgtype: "m.notice", body: victimNotice(offer.language) } as never);
    await session.client.leave(roomId);
    offers.delete(roomId);
    setPhases((before) => {
      const after = new Map(before);
      after.delete(roomId);
      return after;
    });
    leaveHandlers.get(roomId)?.();
  } catch (caught) {
    setPhase(roomId, { kind: "handing", to: offer.to, error: caught instanceof Error ? caught.message : String(caught) });
  }
}
