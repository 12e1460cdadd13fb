import { invalidParam } from "@onsafe/matrix-basics";
/** Sync tokens: `s{streamPosition}_{typingSerial}` (see docs/ARCHITECTURE.md). */

export interface SyncToken {
  pos: number;
  typing: number;
}

export function formatSyncToken(pos: number, typing: number): string {
  return `s${pos}_${typing}`;
}

export function parseSyncToken(token: string): SyncToken {
  const match = /^s(\d{1,15})_(\d{1,15})$/.exec(token);
  if (!match) throw invalidParam("Invalid token");
  return { pos: Number(match[1]), typing: Number(match[2]) };
}
