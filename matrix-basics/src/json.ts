/**
 * Reading JSON request bodies and their fields, for both services. Every
 * field a handler uses is validated; a wrong type is M_BAD_JSON, a wrong
 * value M_INVALID_PARAM, a missing field M_MISSING_PARAM, and the request
 * changes nothing.
 */
import { badJson, invalidParam, missingParam, notJson } from "./errors.ts";

export type JsonObject = Record<string, unknown>;

/**
 * How deep objects and arrays may nest in a body. Matrix content nests a few
 * levels (signatures: 4); code that walks content recursively (canonical
 * JSON, size checks) would overflow the stack on thousands of levels.
 */
export const MAX_JSON_NESTING = 64;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Where the walk of `nestsDeeperThan` stops: a string's start, or a bracket. */
const STRUCTURE = /["[\]{}]/g;

/**
 * True when `text`'s arrays and objects nest deeper than `max`; strings are
 * skipped, so brackets in them do not count. The walk jumps from one quote or
 * bracket to the next (natively, by regular expression and `indexOf`), so long
 * strings, which is most of a body (ciphertext, keys), cost next to nothing: a
 * character-by-character walk of a 900 KB body took 7-10 ms of the server's one
 * thread while not yet compiled, this about 3.
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  STRUCTURE.lastIndex = 0;
  for (let m = STRUCTURE.exec(text); m !== null; m = STRUCTURE.exec(text)) {
    const ch = text.charCodeAt(m.index);
    if (ch === 0x22) {
      let end = m.index;
      do end = text.indexOf('"', end + 1); while (end !== -1 && escaped(text, end));
      if (end === -1) return false;
      STRUCTURE.lastIndex = end + 1;
    } else if (ch === 0x7b || ch === 0x5b) {
      if (++depth > max) return true;
    } else {
      depth--;
    }
  }
  return false;
}

/** Whether the character at `at` follows an odd number of backslashes. */
function escaped(text: string, at: number): boolean {
  let backslashes = 0;
  while (at - backslashes - 1 >= 0 && text.charCodeAt(at - backslashes - 1) === 0x5c) backslashes++;
  return backslashes % 2 === 1;
}

function refuseDeepJson(text: string): void {
  if (nestsDeeperThan(text, MAX_JSON_NESTING)) throw badJson(`JSON nested deeper than ${MAX_JSON_NESTING} levels`);
}

/**
 * JSON given elsewhere than a body (a `filter` query parameter): M_BAD_JSON when nested deeper
 * than a body may be; undefined when it is not JSON or not an object, which the caller names.
 */
export function queryJsonObject(text: string): JsonObject | undefined {
  refuseDeepJson(text);
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Parses a body as a JSON object; an empty body counts as `{}`. Not JSON: M_NOT_JSON; too deep or not an object: M_BAD_JSON. */
export function parseJsonObject(text: string): JsonObject {
  if (text.trim() === "") return {};
  refuseDeepJson(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw notJson();
  }
  if (!isObject(value)) throw badJson("Body must be a JSON object");
  return value;
}

/** A string field, or undefined when absent or null; longer than `maxLength` (when given) is M_INVALID_PARAM. */
export function optionalString(body: JsonObject, key: string, maxLength?: number): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw badJson(`'${key}' must be a string`);
  if (maxLength !== undefined && value.length > maxLength) throw invalidParam(`'${key}' is longer than ${maxLength} characters`);
  return value;
}

export function requireString(body: JsonObject, key: string): string {
  const value = optionalString(body, key);
  if (value === undefined) throw missingParam(`Missing '${key}'`);
  return value;
}

export function optionalBoolean(body: JsonObject, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw badJson(`'${key}' must be a boolean`);
  return value;
}

export function requireBoolean(body: JsonObject, key: string): boolean {
  const value = optionalBoolean(body, key);
  if (value === undefined) throw missingParam(`Missing '${key}'`);
  return value;
}

export function optionalObject(body: JsonObject, key: string): JsonObject | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw badJson(`'${key}' must be an object`);
  return value;
}

export function requireObject(body: JsonObject, key: string): JsonObject {
  const value = optionalObject(body, key);
  if (value === undefined) throw missingParam(`Missing '${key}'`);
  return value;
}

export function optionalArray(body: JsonObject, key: string): unknown[] | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw badJson(`'${key}' must be an array`);
  return value;
}

/** An array of strings; absent or null counts as empty. */
export function stringArray(body: JsonObject, key: string): string[] {
  const value = optionalArray(body, key) ?? [];
  if (!value.every((v) => typeof v === "string")) throw badJson(`'${key}' must be an array of strings`);
  return value as string[];
}

export function requireStringArray(body: JsonObject, key: string): string[] {
  if (body[key] === undefined || body[key] === null) throw missingParam(`Missing '${key}'`);
  return stringArray(body, key);
}

/** A whole number (times are ms since the epoch). */
export function requireInteger(body: JsonObject, key: string): number {
  const value = body[key];
  if (value === undefined || value === null) throw missingParam(`Missing '${key}'`);
  if (typeof value !== "number") throw badJson(`'${key}' must be a number`);
  if (!Number.isSafeInteger(value)) throw invalidParam(`'${key}' must be a whole number`);
  return value;
}

/** One of `list`, or null when absent. */
export function optionalOneOf<T extends string>(body: JsonObject, key: string, list: readonly T[]): T | null {
  const value = optionalString(body, key);
  if (value === undefined) return null;
  if (!(list as readonly string[]).includes(value)) throw invalidParam(`'${key}' must be one of ${list.join(", ")}`);
  return value as T;
}

/** `read(body, key)` when the field is given; undefined when it is absent or null (a change that leaves it as it is). */
export function ifGiven<T>(body: JsonObject, key: string, read: (body: JsonObject, key: string) => T): T | undefined {
  return body[key] === undefined || body[key] === null ? undefined : read(body, key);
}

/** Parses a non-negative integer query parameter, clamped to `max`. */
export function intParam(raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d{1,15}$/.test(raw)) throw invalidParam(`Not a non-negative integer: ${raw.slice(0, 40)}`);
  return Math.min(Number(raw), max);
}
