/** User and room directories (the rules are services/directory.ts's). */
import { type Context, Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { readJson } from "../http/json.ts";
import type { Homeserver } from "../services/homeserver.ts";
import { badJson, notFound, requireString } from "@onsafe/matrix-basics";

export function directoryRoutes(hs: Homeserver) {
  const r = new Hono<AppEnv>({ strict: false });

  r.post("/_matrix/client/v3/user_directory/search", async (c) => {
    // A visitor is refused before their body is read.
    hs.directory.assertMayUse(c.get("session").kind);
    const body = await readJson(c);
    const term = requireString(body, "search_term");
    const limit = body.limit ?? 10;
    if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1) throw badJson("'limit' must be a positive integer");
    return c.json(hs.directory.searchUsers(c.get("session").kind, term, limit));
  });

  const publicRooms = (c: Context<AppEnv>) => c.json(hs.directory.publicRooms(c.get("session").kind));
  r.get("/_matrix/client/v3/publicRooms", (c) => publicRooms(c));
  r.post("/_matrix/client/v3/publicRooms", async (c) => { await readJson(c); return publicRooms(c); });
  r.get("/_matrix/client/v3/directory/room/:alias", () => { throw notFound("Room aliases are not supported on this server"); });
  return r;
}
