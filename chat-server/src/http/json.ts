/** Request bodies as JSON objects; the field validators are `@onsafe/matrix-basics`'s. */
import type { Context } from "hono";
import { type JsonObject, parseJsonObject } from "@onsafe/matrix-basics";
import { bodyText } from "./body.ts";

/** Reads the body as a JSON object; an empty body counts as `{}`. */
export async function readJson(c: Context): Promise<JsonObject> {
  return parseJsonObject(await bodyText(c));
}
