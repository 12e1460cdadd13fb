/** `/profile/{userId}[/displayname|/avatar_url]`: visitors see only their own; everyone changes only their own. */
import { type Context, Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { readJson } from "../http/json.ts";
import type { Homeserver } from "../services/homeserver.ts";
import { assertMayLookUpUsers, assertMaySetProfile } from "../services/policy.ts";
import type { ProfileField } from "../services/profiles.ts";
import { badJson, forbidden, notFound } from "@onsafe/matrix-basics";

const MAX_DISPLAYNAME = 256;
const MXC = /^mxc:\/\/[A-Za-z0-9.\-:]+\/[A-Za-z0-9_-]+$/;

export function profileRoutes(hs: Homeserver) {
  const r = new Hono<AppEnv>({ strict: false });
  const P = "/_matrix/client/v3/profile/:userId";

  const readable = (c: Context<AppEnv>) => {
    const userId = c.req.param("userId")!;
    const session = c.get("session");
    if (userId !== session.userId) assertMayLookUpUsers(session.kind);
    const user = hs.accounts.getUser(userId);
    if (!user || user.deactivated) throw notFound("Profile not found");
    return hs.accounts.profile(userId);
  };

  r.get(P, (c) => c.json(readable(c)));
  for (const field of ["displayname", "avatar_url"] as const satisfies ProfileField[]) {
    r.get(`${P}/${field}`, (c) => {
      const value = readable(c)[field];
      if (value === undefined) throw notFound(`No ${field} set`);
      return c.json({ [field]: value });
    });
    r.put(`${P}/${field}`, async (c) => {
      const userId = c.req.param("userId");
      if (userId !== c.get("session").userId) throw forbidden("You may only change your own profile");
      assertMaySetProfile(c.get("session").kind);
      const body = await readJson(c);
      const value = body[field];
      if (value !== null && value !== undefined && typeof value !== "string") throw badJson(`'${field}' must be a string`);
      if (field === "displayname" && typeof value === "string" && value.length > MAX_DISPLAYNAME) throw badJson("Display name too long");
      if (field === "avatar_url" && typeof value === "string" && !MXC.test(value)) throw badJson("'avatar_url' must be an mxc:// URI");
      await hs.profiles.set(userId, field, (value as string | undefined) || null);
      return c.json({});
    });
  }
  return r;
}
