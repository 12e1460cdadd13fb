/**
 * Request bodies and path ids of the ops API. The field validators are
 * `@onsafe/matrix-basics`'s; these are the ops API's own.
 */
import type { Context } from "hono";
import { badJson, type JsonObject, missingParam, notFound, invalidParam, parseJsonObject, requireString } from "@onsafe/matrix-basics";
import { CASE_ID_PATTERN } from "../queue/case-id.ts";

/** Reads the body as a JSON object; an empty body counts as `{}`. */
export async function readJson(c: Context): Promise<JsonObject> {
  return parseJsonObject(await c.req.text());
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
