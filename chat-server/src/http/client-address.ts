/** The client's address as the server sees it: the key of the per-address limits (never stored or logged). */
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";

export function clientAddress(c: Context): string {
  return getConnInfo(c).remote.address ?? "unknown";
}
