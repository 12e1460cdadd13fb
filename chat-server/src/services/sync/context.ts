import type { SyncStore } from "../../storage/sync.ts";
import type { Homeserver } from "../homeserver.ts";
import type { SyncFilter } from "../filters.ts";

/** What every per-stream piece of one sync computation shares. */
export interface SyncContext {
  hs: Homeserver;
  /** Sync's own reads (storage/sync.ts). */
  rows: SyncStore;
  userId: string;
  deviceId: string;
  /** `pos` 0 and `typing` undefined on an initial sync. */
  since: { pos: number; typing: number | undefined };
  upTo: number;
  filter: SyncFilter;
}
