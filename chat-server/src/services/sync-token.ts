import { invalidParam } from "@onsafe/matrix-basics";
/**
 * Sync tokens: `s{streamPosition}_{typingSerial}`, with `_{toDevicePosition}` when a
 * sync held to-device messages back (see docs/ARCHITECTURE.md).
 */

export interface SyncToken {
  pos: number;
  typing: number;
  /** To-device messages were delivered up to here; below `pos` only when some were held back. */
  toDevice?: number;
}

export function formatSyncToken(pos: number, typing: number, toDevice?: number): string {
  return toDevice !== undefined && toDevice < pos ? `s${pos}_${typing}_${toDevice}` : `s${pos}_${typing}`;
}

export function parseSyncToken(token: string): SyncToken {
  const match = /^s(\d{1,15})_(\d{1,15})(?:_(\d{1,15}))?$/.exec(token);
  if (!match) throw invalidParam("Invalid token");
  const pos = Number(match[1]);
  if (match[3] === undefined) return { pos, typing: Number(match[2]) };
  const toDevice = Number(match[3]);
  if (toDevice > pos) throw invalidParam("Invalid token");
  return { pos, typing: Number(match[2]), toDevice };
}
