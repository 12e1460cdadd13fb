/**
 * Request-body parsing and small validators. Handlers validate every field they
 * use; a wrong type is M_BAD_JSON and the request changes nothing.
 */
import type { Context } from "hono";
import { bodyText } from "./body.ts";
import { badJson, MatrixError, missingParam } from "./errors.ts";

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads the body as a JSON object; an empty body counts as `{}`. */
export async function readJson(c: Context): Promise<JsonObject> {
  const text = await bodyText(c);
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new MatrixError(400, "M_NOT_JSON", "Content not JSON.");
  }
  if (!isObject(value)) throw badJson("Body must be a JSON object");
  return value;
}

export function optionalString(body: JsonObject, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw badJson(`'${key}' must be a string`);
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

export function stringArray(body: JsonObject, key: string): string[] {
  const value = optionalArray(body, key) ?? [];
  if (!value.every((v) => typeof v === "string")) throw badJson(`'${key}' must be an array of strings`);
  return value as string[];
}

/** Parses a non-negative integer query parameter, clamped to `max`. */
export function intParam(raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d{1,15}$/.test(raw)) throw new MatrixError(400, "M_INVALID_PARAM", `Not a non-negative integer: ${raw.slice(0, 40)}`);
  return Math.min(Number(raw), max);
}
