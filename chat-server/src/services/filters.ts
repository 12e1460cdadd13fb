/**
 * Sync filters: stored per user, read for the few settings our sync honours.
 * An account keeps at most `maxPerAccount` of them, each at most `maxBytes` of JSON
 * (ONSAFE_MAX_FILTERS_PER_ACCOUNT, ONSAFE_FILTER_MAX_BYTES): past either 413 M_TOO_LARGE, nothing stored.
 */
import type { Store } from "../storage/database.ts";
import { FiltersStore } from "../storage/filters.ts";
import type { Writer } from "../storage/writer.ts";
import { invalidParam, isObject, type JsonObject, queryJsonObject, tooLarge } from "@onsafe/matrix-basics";

export interface SyncFilter {
  timelineLimit: number;
  lazyLoadMembers: boolean;
  includeLeave: boolean;
}

const DEFAULT_TIMELINE_LIMIT = 10;
const MAX_TIMELINE_LIMIT = 100;

export interface FilterQuota {
  maxPerAccount: number;
  maxBytes: number;
}

export class Filters {
  private readonly rows: FiltersStore;

  constructor(store: Store, private readonly writer: Writer, private readonly quota: FilterQuota) {
    this.rows = new FiltersStore(store);
  }

  async create(userId: string, filter: JsonObject): Promise<string> {
    const json = JSON.stringify(filter);
    if (Buffer.byteLength(json) > this.quota.maxBytes) throw tooLarge(`A filter may take at most ${this.quota.maxBytes} bytes`);
    return this.writer.write(() => {
      // Clients upload the same filter on every start: hand back the stored one instead of piling up copies.
      const same = this.rows.idOf(userId, json);
      if (same !== undefined) return String(same);
      if (this.rows.countOf(userId) >= this.quota.maxPerAccount) throw tooLarge(`An account may keep at most ${this.quota.maxPerAccount} filters`);
      const filterId = Number(this.rows.lastId(userId) ?? -1) + 1;
      this.rows.insert({ user_id: userId, filter_id: filterId, filter_json: json });
      return String(filterId);
    });
  }

  stored(userId: string, filterId: string): JsonObject | undefined {
    if (!/^\d{1,15}$/.test(filterId)) return undefined;
    const json = this.rows.json(userId, Number(filterId));
    return json !== undefined ? (JSON.parse(json) as JsonObject) : undefined;
  }

  /** The sync settings of a stored filter id or an inline JSON filter. */
  get(userId: string, idOrJson: string): SyncFilter {
    const filter = idOrJson.startsWith("{") ? queryJsonObject(idOrJson) : this.stored(userId, idOrJson);
    if (!filter) throw invalidParam("Invalid filter");
    return toSyncFilter(filter);
  }
}

export function toSyncFilter(filter: JsonObject): SyncFilter {
  const room = isObject(filter.room) ? filter.room : {};
  const timeline = isObject(room.timeline) ? room.timeline : {};
  const state = isObject(room.state) ? room.state : {};
  const limit = typeof timeline.limit === "number" && Number.isFinite(timeline.limit) ? Math.floor(timeline.limit) : DEFAULT_TIMELINE_LIMIT;
  return {
    timelineLimit: Math.min(MAX_TIMELINE_LIMIT, Math.max(1, limit)),
    lazyLoadMembers: state.lazy_load_members === true || timeline.lazy_load_members === true,
    includeLeave: room.include_leave === true,
  };
}
