/**
 * `POST /register`: open registration creates anonymous visitor accounts only,
 * with a server-generated localpart. Each costs a solved proof-of-work challenge
 * (user-interactive auth stage org.onsafe.pow, docs/PROOF-OF-WORK.md), and a
 * generous ceiling per client address in memory is the last guard.
 * Staff accounts come from the admin CLI (api/admin-register.ts).
 */
import { Hono } from "hono";
import { PROOF_OF_WORK_STAGE, VISITOR_LOCALPART_PREFIX } from "@onsafe/schema";
import { clientAddress } from "../http/client-address.ts";
import type { AppEnv } from "../http/env.ts";
import { readJson } from "../http/json.ts";
import { RateLimiter } from "../http/rate-limit.ts";
import { requireAuthStage, uiaFailed } from "../http/uia.ts";
import type { Homeserver } from "../services/homeserver.ts";
import { assertAcceptablePassword } from "../services/passwords.ts";
import { badJson, forbidden, MatrixError, optionalBoolean, optionalString, randomAlnum } from "@onsafe/matrix-basics";

/** The one flow: m.login.dummy is not offered (it would be the way around the proof). */
const FLOWS = [[PROOF_OF_WORK_STAGE]];

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
    const address = clientAddress(c);
    // An address past its ceiling is told so before it pays for a challenge.
    limiter.check(address);
    const params = { [PROOF_OF_WORK_STAGE]: { challenge: await hs.proofOfWork.challenge() } };
    const auth = requireAuthStage(hs.config, body, FLOWS, params);
    if (!(await hs.proofOfWork.verify(auth.payload))) {
      throw uiaFailed(hs.config, FLOWS, forbidden("The proof of work was not accepted (wrong, expired or already used)"), params);
    }

    limiter.hit(address);
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
