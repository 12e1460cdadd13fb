/**
 * `POST /register`: open registration creates anonymous visitor accounts only,
 * with a server-generated localpart, limited per client address in memory.
 * Staff accounts come from the admin CLI (api/admin-register.ts).
 */
import { getConnInfo } from "@hono/node-server/conninfo";
import { Hono } from "hono";
import { VISITOR_LOCALPART_PREFIX } from "@onsafe/schema";
import type { AppEnv } from "../http/env.ts";
import { readJson } from "../http/json.ts";
import { RateLimiter } from "../http/rate-limit.ts";
import { requireAuthStage } from "../http/uia.ts";
import type { Homeserver } from "../services/homeserver.ts";
import { assertAcceptablePassword } from "../services/passwords.ts";
import { badJson, MatrixError, optionalBoolean, optionalString, randomAlnum } from "@onsafe/matrix-basics";

export function registerRoutes(hs: Homeserver) {
  const r = new Hono<AppEnv>({ strict: false });
  const limiter = new RateLimiter(hs.config.visitorRegistrationsPerWindow, hs.config.visitorRegistrationWindowMs);

  r.post("/_matrix/client/v3/register", async (c) => {
    if ((c.req.query("kind") ?? "user") !== "user") {
      throw new MatrixError(403, "M_GUEST_ACCESS_FORBIDDEN", "Guest access is not enabled");
    }
    const body = await readJson(c);
    const password = optionalString(body, "password");
    const deviceId = optionalString(body, "device_id");
    // Checked, then dropped: a visitor's device stays unnamed (services/policy.ts mayNameDevices); clients such as Element send the browser's name.
    optionalString(body, "initial_device_display_name");
    const inhibitLogin = optionalBoolean(body, "inhibit_login") ?? false;
    if (password !== undefined) assertAcceptablePassword(password);
    if (deviceId !== undefined && !/^[A-Za-z0-9_\-.]{1,64}$/.test(deviceId)) throw badJson("Invalid device_id");
    requireAuthStage(hs.config, body, [["m.login.dummy"]]);

    limiter.hit(getConnInfo(c).remote.address ?? "unknown");
    const localpart = VISITOR_LOCALPART_PREFIX + randomAlnum(12);
    const userId = await hs.accounts.createUser({ localpart, kind: "visitor", password });
    if (inhibitLogin) return c.json({ user_id: userId, home_server: hs.config.serverName });
    return c.json(await hs.accounts.issueToken(userId, deviceId));
  });

  r.get("/_matrix/client/v3/register/available", (c) => {
    throw new MatrixError(403, "M_FORBIDDEN", "Usernames are chosen by the server on this homeserver");
  });
  return r;
}
