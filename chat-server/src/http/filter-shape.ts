import { badJson, isObject, type JsonObject } from "@onsafe/matrix-basics";
/**
 * The spec's filter shape (`POST /user/{userId}/filter`), checked before a
 * filter is stored: a field of the wrong type is M_BAD_JSON and stores nothing.
 * Unknown fields pass, as the spec lets clients send more than it names.
 */

const EVENT_FILTER_LISTS = ["types", "not_types", "senders", "not_senders"];
const ROOM_EVENT_FILTER_LISTS = [...EVENT_FILTER_LISTS, "rooms", "not_rooms"];
const ROOM_EVENT_FILTER_FLAGS = ["lazy_load_members", "include_redundant_members", "unread_thread_notifications", "contains_url"];

export function assertFilterShape(filter: JsonObject): void {
  stringList(filter, "event_fields", "");
  if (filter.event_format !== undefined && filter.event_format !== "client" && filter.event_format !== "federation") {
    throw badJson("'event_format' must be 'client' or 'federation'");
  }
  for (const key of ["presence", "account_data"]) eventFilter(filter, key, "", EVENT_FILTER_LISTS, []);
  const room = section(filter, "room", "");
  if (!room) return;
  stringList(room, "rooms", "room.");
  stringList(room, "not_rooms", "room.");
  for (const key of ["include_leave"]) if (room[key] !== undefined && typeof room[key] !== "boolean") throw badJson(`'room.${key}' must be a boolean`);
  for (const key of ["timeline", "state", "ephemeral", "account_data"]) eventFilter(room, key, "room.", ROOM_EVENT_FILTER_LISTS, ROOM_EVENT_FILTER_FLAGS);
}

function section(parent: JsonObject, key: string, at: string): JsonObject | undefined {
  const value = parent[key];
  if (value === undefined) return undefined;
  if (!isObject(value)) throw badJson(`'${at}${key}' must be an object`);
  return value;
}

function eventFilter(parent: JsonObject, key: string, at: string, lists: string[], flags: string[]): void {
  const filter = section(parent, key, at);
  if (!filter) return;
  for (const list of lists) stringList(filter, list, `${at}${key}.`);
  for (const flag of flags) if (filter[flag] !== undefined && typeof filter[flag] !== "boolean") throw badJson(`'${at}${key}.${flag}' must be a boolean`);
  if (filter.limit !== undefined && (!Number.isInteger(filter.limit) || (filter.limit as number) < 0)) throw badJson(`'${at}${key}.limit' must be a non-negative integer`);
}

function stringList(parent: JsonObject, key: string, at: string): void {
  const value = parent[key];
  if (value === undefined) return;
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) throw badJson(`'${at}${key}' must be a list of strings`);
}
