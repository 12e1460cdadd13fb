/**
 * Taking or refusing a colleague's transfer (docs/SHIFT.md "Transfer"), for
 * the offer list: `acceptTransfer` makes the case mine in the ops API, joins
 * the room once the colleague's console invited me, and waits for the room's
 * keys and the note, so the earlier conversation reads. The note is kept in
 * memory only (`transferNote`), never in the room or the ops API.
 */
import type { TriageSummaryContent } from "@onsafe/schema/events";
import type { CaseJson, QueueEntryJson } from "@onsafe/schema/ops-api";
import { createSignal } from "solid-js";
import type { StaffSession } from "../shell/staff-session.ts";
import { receiveHistory } from "./history-keys.ts";

/** How long the colleague's console has to invite me and send the keys after I accepted. */
const HAND_OVER_MS = 120_000;

export interface ReceivedTransfer {
  from: string;
  note: string;
  /** Sessions imported: 0 means the earlier conversation stays unreadable. */
  keys: number;
  /** The triage summary as the colleague's console had it (for a room whose earlier events cannot be fetched). */
  summary: TriageSummaryContent | null;
}

const [notes, setNotes] = createSignal<ReadonlyMap<string, ReceivedTransfer>>(new Map());

/** What came with the transfer of the case in `roomId`, if I received one in this console. */
export function transferNote(roomId: string): ReceivedTransfer | null {
  return notes().get(roomId) ?? null;
}

/**
 * Accepts the transfer `entry` (`transfer_from` set), joins its room and imports the keys. Rejects if
 * the ops API refuses (taken back, expired) or the colleague's console did not hand over in time;
 * the case is mine from the ops API's answer on.
 */
export async function acceptTransfer(session: StaffSession, entry: QueueEntryJson): Promise<{ case: CaseJson; received: ReceivedTransfer }> {
  const from = entry.transfer_from;
  if (!from) throw new Error("not a transfer");
  const accepted = await session.ops.acceptTransfer(entry.id);
  // Listening before joining: the keys may come before the join is through.
  const history = receiveHistory(session.client, accepted.room_id, from, HAND_OVER_MS);
  history.catch(() => undefined);
  await session.joinWhenInvited(accepted.room_id, HAND_OVER_MS);
  const { note, keys, summary } = await history;
  const received = { from, note, keys, summary };
  setNotes((before) => new Map(before).set(accepted.room_id, received));
  return { case: accepted, received };
}

/** Declines the transfer `entry`: the case stays with the colleague. */
export async function declineTransfer(session: StaffSession, entry: QueueEntryJson): Promise<void> {
  await session.ops.declineTransfer(entry.id);
}
