/** `/account/whoami`, `/account/password`, `/account/deactivate` and device management (`/devices`, `/delete_devices`). */
import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { readJson } from "../http/json.ts";
import { clientAddress } from "../http/client-address.ts";
import { requireAuthStage, UiaRequired } from "../http/uia.ts";
import type { Session } from "../services/accounts.ts";
import type { Homeserver } from "../services/homeserver.ts";
import { assertAcceptablePassword } from "../services/passwords.ts";
import { assertMayNameDevices } from "../services/policy.ts";
import type { SendLimit } from "./send-limit.ts";
import { badJson, type JsonObject, MatrixError, notFound, optionalBoolean, requireString, stringArray } from "@onsafe/matrix-basics";
import { POW_REQUIRED_ERRCODE, PROOF_OF_WORK_STAGE } from "@onsafe/schema";

/** Password changes and device deletions spend a visitor's send budget (`sendLimit`): each is a hash or a device-list change others' syncs hear of. */
export function accountRoutes(hs: Homeserver, sendLimit: SendLimit) {
  const r = new Hono<AppEnv>({ strict: false });

  r.get("/_matrix/client/v3/account/whoami", (c) => {
    const { userId, deviceId } = c.get("session");
    return c.json({ user_id: userId, device_id: deviceId, is_guest: false });
  });

  r.post("/_matrix/client/v3/account/password", async (c) => {
    const session = c.get("session");
    sendLimit(session);
    const body = await readJson(c);
    const newPassword = requireString(body, "new_password");
    assertAcceptablePassword(newPassword);
    const logoutDevices = optionalBoolean(body, "logout_devices") ?? true;
    await confirmIdentity(hs, session, body, clientAddress(c));
    await hs.accounts.changePassword(session, newPassword, !logoutDevices);
    return c.json({});
  });

  // No e-mail or phone is ever attached to an account here.
  r.get("/_matrix/client/v3/account/3pid", (c) => c.json({ threepids: [] }));

  r.post("/_matrix/client/v3/account/deactivate", async (c) => {
    const session = c.get("session");
    const body = await readJson(c);
    if (body.erase !== undefined && typeof body.erase !== "boolean") throw badJson("'erase' must be a boolean");
    await confirmIdentity(hs, session, body, clientAddress(c));
    // Always erased, whatever `erase` says: a victim's words must not outlive their account.
    await hs.deactivation.deactivate(session);
    return c.json({ id_server_unbind_result: "no-support" });
  });

  r.get("/_matrix/client/v3/devices", (c) => {
    const devices = hs.accounts.listDevices(c.get("session").userId);
    return c.json({ devices: devices.map((d) => ({ device_id: d.device_id, display_name: d.display_name ?? undefined })) });
  });

  r.get("/_matrix/client/v3/devices/:deviceId", (c) => {
    const device = hs.accounts.getDevice(c.get("session").userId, c.req.param("deviceId"));
    if (!device) throw notFound("Unknown device");
    return c.json({ device_id: device.device_id, display_name: device.display_name ?? undefined });
  });

  r.put("/_matrix/client/v3/devices/:deviceId", async (c) => {
    assertMayNameDevices(c.get("session").kind);
    const body = await readJson(c);
    const name = body.display_name;
    if (typeof name !== "string" || name.length > 100) throw badJson("'display_name' must be a string of at most 100 characters");
    await hs.accounts.renameDevice(c.get("session").userId, c.req.param("deviceId"), name);
    return c.json({});
  });

  r.delete("/_matrix/client/v3/devices/:deviceId", async (c) => {
    const session = c.get("session");
    sendLimit(session);
    const deviceId = c.req.param("deviceId");
    if (!hs.accounts.getDevice(session.userId, deviceId)) throw notFound("Unknown device");
    await confirmIdentity(hs, session, await readJson(c), clientAddress(c));
    await hs.accounts.deleteDevices(session.userId, [deviceId]);
    return c.json({});
  });

  r.post("/_matrix/client/v3/delete_devices", async (c) => {
    const session = c.get("session");
    sendLimit(session);
    const body = await readJson(c);
    const devices = stringArray(body, "devices");
    await confirmIdentity(hs, session, body, clientAddress(c));
    await hs.accounts.deleteDevices(session.userId, devices);
    return c.json({});
  });
  return r;
}

/**
 * UIA for sensitive account changes: the password where the account has one;
 * passwordless visitors confirm with m.login.dummy (their token is their only credential).
 * Password guesses share the login's limit per client address (services/password-guesses.ts):
 * a refused guess is a 429, its password not checked; after a few failures from the address
 * the auth dict must also carry a solved challenge under `org.onsafe.pow`, as a login must
 * (401 ORG.ONSAFE.POW_REQUIRED with the challenge; docs/PROOF-OF-WORK.md).
 */
export async function confirmIdentity(hs: Homeserver, session: Session, body: JsonObject, clientAddress: string): Promise<void> {
  const hasPassword = !!hs.accounts.getUser(session.userId)?.password_hash;
  const flows = hasPassword ? [["m.login.password"]] : [["m.login.dummy"]];
  const auth = requireAuthStage(hs.config, body, flows);
  if (auth.type !== "m.login.password") return;
  try {
    const password = requireString(auth, "password");
    await hs.passwordGuesses.attempt(clientAddress, () => hs.accounts.checkPassword(session.userId, password), { payload: auth[PROOF_OF_WORK_STAGE] });
  } catch (error) {
    if (error instanceof MatrixError && (error.errcode === "M_LIMIT_EXCEEDED" || error.errcode === POW_REQUIRED_ERRCODE)) throw error;
    throw new UiaRequired(flows, auth.session, error as never);
  }
}
