/** `/login` (password) and `/logout`. */
import { Hono } from "hono";
import { PROOF_OF_WORK_STAGE } from "@onsafe/schema";
import type { AppEnv } from "../http/env.ts";
import { clientAddress } from "../http/client-address.ts";
import { readJson } from "../http/json.ts";
import type { Homeserver } from "../services/homeserver.ts";
import { mayNameDevices } from "../services/policy.ts";
import { badJson, forbidden, isObject, isUserId, MatrixError, optionalString, requireString } from "@onsafe/matrix-basics";

export function loginRoutes(hs: Homeserver) {
  const r = new Hono<AppEnv>({ strict: false });

  r.get("/_matrix/client/v3/login", (c) => c.json({ flows: [{ type: "m.login.password" }] }));

  r.post("/_matrix/client/v3/login", async (c) => {
    const body = await readJson(c);
    const type = requireString(body, "type");
    if (type !== "m.login.password") throw new MatrixError(400, "M_UNKNOWN", "Only m.login.password is supported");
    const password = requireString(body, "password");
    const userId = resolveUser(hs, body);
    const deviceId = optionalString(body, "device_id");
    const displayName = optionalString(body, "initial_device_display_name");
    if (deviceId !== undefined && !/^[A-Za-z0-9_\-.]{1,64}$/.test(deviceId)) throw badJson("Invalid device_id");
    const address = clientAddress(c);
    // Failed logins are limited per client address, never per account (others' guesses must not lock anyone out),
    // with a growing wait between guesses; each guess is reserved before it is verified (services/password-guesses.ts).
    // After a few failures from the address a guess must also carry a solved challenge (docs/PROOF-OF-WORK.md).
    await hs.passwordGuesses.attempt(address, () => hs.accounts.checkPassword(userId, password), { payload: body[PROOF_OF_WORK_STAGE] });
    // A visitor's device stays unnamed, whatever the client sends (services/policy.ts mayNameDevices).
    const kind = hs.accounts.kindOf(userId)!;
    const named = mayNameDevices(kind) ? displayName : undefined;
    // A visitor keeps at most visitorMaxDevices: past it, a login signs out the oldest.
    const result = await hs.accounts.issueToken(userId, deviceId, named, kind === "visitor" ? hs.config.visitorMaxDevices : undefined);
    return c.json({ ...result, well_known: { "m.homeserver": { base_url: hs.config.publicBaseUrl } } });
  });

  r.post("/_matrix/client/v3/logout", async (c) => {
    await hs.accounts.logout(c.get("session"));
    return c.json({});
  });

  r.post("/_matrix/client/v3/logout/all", async (c) => {
    await hs.accounts.logoutAll(c.get("session"));
    return c.json({});
  });
  return r;
}

/** The user named by `identifier` (m.id.user) or the legacy `user` field, as a full user id. */
function resolveUser(hs: Homeserver, body: Record<string, unknown>): string {
  let user: string | undefined;
  if (body.identifier !== undefined) {
    if (!isObject(body.identifier)) throw badJson("'identifier' must be an object");
    if (body.identifier.type !== "m.id.user") throw new MatrixError(400, "M_UNKNOWN", "Only m.id.user identifiers are supported");
    user = optionalString(body.identifier, "user");
  } else {
    user = optionalString(body, "user");
  }
  if (!user) throw new MatrixError(400, "M_MISSING_PARAM", "Missing user identifier");
  const userId = user.startsWith("@") ? user : hs.accounts.userId(user.toLowerCase());
  if (!isUserId(userId)) throw forbidden("Invalid username or password");
  return userId;
}
