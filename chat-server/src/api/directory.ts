/**
 * User and room directories. Visitors may use neither. Staff find staff and
 * bots, never visitors; there is no public room directory.
 */
import { type Context, Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { readJson } from "../http/json.ts";
import type { Homeserver } from "../services/homeserver.ts";
import { assertMayLookUpUsers } from "../services/policy.ts";
import { badJson, notFound, requireString } from "@onsafe/matrix-basics";

const MAX_RESULTS = 50;

export function directoryRoutes(hs: Homeserver) {
  const r = new Hono<AppEnv>({ strict: false });

  r.post("/_matrix/client/v3/user_directory/search", async (c) => {
    assertMayLookUpUsers(c.get("session").kind);
    const body = await readJson(c);
    const term = requireString(body, "search_term").toLowerCase();
    const limit = body.limit ?? 10;
    if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1) throw badJson("'limit' must be a positive integer");
    // LIKE wildcards in the term are dropped rather than escaped.
    const pattern = `%${term.replace(/[%_\\]/g, "")}%`;
    const q = hs.store.q;
    const rows = hs.store.all(q.selectFrom("users").select(["user_id", "displayname", "avatar_url"])
      .where("kind", "!=", "visitor").where("deactivated", "=", 0)
      .where((eb) => eb.or([eb("localpart", "like", pattern), eb("displayname", "like", pattern)]))
      .orderBy("user_id").limit(Math.min(limit, MAX_RESULTS) + 1));
    const limited = rows.length > Math.min(limit, MAX_RESULTS);
    return c.json({
      limited,
      results: rows.slice(0, Math.min(limit, MAX_RESULTS)).map((u) => ({ user_id: u.user_id, display_name: u.displayname ?? undefined, avatar_url: u.avatar_url ?? undefined })),
    });
  });

  const publicRooms = (c: Context<AppEnv>) => {
    assertMayLookUpUsers(c.get("session").kind);
    return c.json({ chunk: [], total_room_count_estimate: 0 });
  };
  r.get("/_matrix/client/v3/publicRooms", (c) => publicRooms(c));
  r.post("/_matrix/client/v3/publicRooms", async (c) => { await readJson(c); return publicRooms(c); });
  r.get("/_matrix/client/v3/directory/room/:alias", () => { throw notFound("Room aliases are not supported on this server"); });
  return r;
}
