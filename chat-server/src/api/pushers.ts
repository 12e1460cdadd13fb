/** `GET /pushers` and `POST /pushers/set`: staff consoles' Web Push pushers (services/pushers.ts has the rules). */
import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { readJson } from "../http/json.ts";
import type { Homeserver } from "../services/homeserver.ts";

export function pusherRoutes(hs: Homeserver) {
  const r = new Hono<AppEnv>({ strict: false });
  r.get("/_matrix/client/v3/pushers", (c) => c.json({ pushers: hs.pushers.list(c.get("session")) }));
  r.post("/_matrix/client/v3/pushers/set", async (c) => {
    await hs.pushers.set(c.get("session"), await readJson(c));
    return c.json({});
  });
  return r;
}
