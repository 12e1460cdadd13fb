/**
 * The `filter` query parameter of `/messages` and `/context`: an inline JSON
 * RoomEventFilter. `types`, `not_types` (`*` a wildcard), `senders`,
 * `not_senders` and `contains_url` narrow the storage query (storage/timeline.ts),
 * so pages stay full; `limit` caps the request's own `limit`; `lazy_load_members`
 * asks for the senders' member events. `rooms` / `not_rooms` mean nothing for
 * one room's events and are ignored.
 */
import type { EventFilter } from "../storage/timeline.ts";
import { invalidParam, type JsonObject, queryJsonObject } from "@onsafe/matrix-basics";

export interface RoomEventFilter {
  events: EventFilter;
  lazyLoadMembers: boolean;
  /** The filter's own `limit`, if it gave one. */
  limit?: number;
}

export function parseRoomEventFilter(raw: string | undefined): RoomEventFilter {
  if (!raw) return { events: { notTypes: [], notSenders: [] }, lazyLoadMembers: false };
  const value = queryJsonObject(raw);
  if (!value) throw invalidParam("'filter' must be a JSON object");
  // A field given as null is absent.
  const containsUrl = value.contains_url ?? undefined;
  if (containsUrl !== undefined && typeof containsUrl !== "boolean") throw invalidParam("'filter.contains_url' must be a boolean");
  const limit = value.limit ?? undefined;
  if (limit !== undefined && !(typeof limit === "number" && Number.isInteger(limit) && limit > 0)) throw invalidParam("'filter.limit' must be a positive integer");
  return {
    events: {
      types: strings(value, "types"),
      notTypes: strings(value, "not_types") ?? [],
      senders: strings(value, "senders"),
      notSenders: strings(value, "not_senders") ?? [],
      containsUrl,
    },
    lazyLoadMembers: value.lazy_load_members === true,
    limit,
  };
}

/** The smaller of the request's `limit` and the filter's. */
export function pageLimit(requested: number, filter: RoomEventFilter): number {
  return filter.limit === undefined ? requested : Math.min(requested, filter.limit);
}

function strings(filter: JsonObject, key: string): string[] | undefined {
  const list = filter[key];
  if (list === undefined || list === null) return undefined;
  if (!Array.isArray(list) || !list.every((s) => typeof s === "string")) throw invalidParam(`'filter.${key}' must be a list of strings`);
  return list;
}
