/**
 * Request bodies and path ids. Every field a handler uses is validated here;
 * a wrong type is M_BAD_JSON, a wrong value M_INVALID_PARAM, a missing field
 * M_MISSING_PARAM, and the request changes nothing.
 */
import type { Context } from "hono";
import { CASE_ID_PATTERN } from "../queue/case-id.ts";
import { badJson, invalidParam, MatrixError, missingParam, notFound } from "./errors.ts";

export type JsonObject = Record<string, unknown>;

/** Reads the body as a JSON object; an empty body counts as `{}`. */
export async function readJson(c: Context): Promise<JsonObject> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new MatrixError(400, "M_NOT_JSON", "Content not JSON.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw badJson("Body must be a JSON object");
  return value as JsonObject;
}

export function requireBoolean(body: JsonObject, key: string): boolean {
  const value = body[key];
  if (value === undefined || value === null) throw missingParam(`Missing '${key}'`);
  if (typeof value !== "boolean") throw badJson(`'${key}' must be a boolean`);
  return value;
}

export function requireString(body: JsonObject, key: string): string {
  const value = body[key];
  if (value === undefined || value === null) throw missingParam(`Missing '${key}'`);
  if (typeof value !== "string") throw badJson(`'${key}' must be a string`);
  return value;
}

export function optionalString(body: JsonObject, key: string, maxLength: number): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw badJson(`'${key}' must be a string`);
  if (value.length > maxLength) throw invalidParam(`'${key}' is longer than ${maxLength} characters`);
  return value;
}

export function requireStringArray(body: JsonObject, key: string): string[] {
  const value = body[key];
  if (value === undefined || value === null) throw missingParam(`Missing '${key}'`);
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) throw badJson(`'${key}' must be an array of strings`);
  return value;
}

/** A text in Korean and English: `{ "ko": "...", "en": "..." }`. */
export function requireKoEn(body: JsonObject, key: string): { ko: string; en: string } {
  const value = body[key];
  if (value === undefined || value === null) throw missingParam(`Missing '${key}'`);
  if (typeof value !== "object" || Array.isArray(value)) throw badJson(`'${key}' must be an object with 'ko' and 'en'`);
  const texts = value as JsonObject;
  const text = (lang: "ko" | "en") => {
    if (texts[lang] === undefined || texts[lang] === null) throw missingParam(`Missing '${key}.${lang}'`);
    if (typeof texts[lang] !== "string") throw badJson(`'${key}.${lang}' must be a string`);
    return texts[lang];
  };
  return { ko: text("ko"), en: text("en") };
}

/** `read(body, key)` when the field is given; undefined when it is absent or null (a change that leaves it as it is). */
export function ifGiven<T>(body: JsonObject, key: string, read: (body: JsonObject, key: string) => T): T | undefined {
  return body[key] === undefined || body[key] === null ? undefined : read(body, key);
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
  const value = body[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") throw badJson(`'${key}' must be a string`);
  if (!(list as readonly string[]).includes(value)) throw invalidParam(`'${key}' must be one of ${list.join(", ")}`);
  return value as T;
}

export function requireUserId(body: JsonObject, key: string): string {
  const value = requireString(body, key);
  if (!/^@[^:\s]{1,255}:\S{1,255}$/.test(value)) throw invalidParam(`'${key}' is not a Matrix user id`);
  return value;
}

/** The `:id` path segment; anything that is not a case id names no case. */
export function caseIdParam(c: Context): string {
  const id = c.req.param("id") ?? "";
  if (!CASE_ID_PATTERN.test(id)) throw notFound("No such case");
  return id;
}
