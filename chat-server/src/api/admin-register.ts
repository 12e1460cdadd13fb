/**
 * Shared-secret registration shaped like Synapse's `/_synapse/admin/v1/register`
 * (nonce + HMAC-SHA1), so the admin CLI works against Synapse too. onsafe
 * reads `user_type` as the account kind (companion, supervisor, partner, bot).
 */
import { timingSafeEqual } from "node:crypto";
import { Hono } from "hono";
import { type AccountKind, isAccountKind, registrationMac, registrationMacParts } from "@onsafe/schema";
import type { AppEnv } from "../http/env.ts";
import { ExpiringSet } from "../services/expiring-set.ts";
import { readJson } from "../http/json.ts";
import type { Homeserver } from "../services/homeserver.ts";
import { assertAcceptablePassword } from "../services/passwords.ts";
import { badJson, forbidden, isLocalpart, MatrixError, optionalBoolean, optionalString, randomToken, requireString } from "@onsafe/matrix-basics";

const NONCE_TTL_MS = 60_000;

export function adminRegisterRoutes(hs: Homeserver) {
  const r = new Hono<AppEnv>({ strict: false });
  const nonces = new ExpiringSet(NONCE_TTL_MS, hs.config.maxPendingAuth);

  r.get("/_synapse/admin/v1/register", (c) => {
    const nonce = randomToken(24);
    nonces.add(nonce);
    return c.json({ nonce });
  });

  r.post("/_synapse/admin/v1/register", async (c) => {
    const body = await readJson(c);
    const nonce = requireString(body, "nonce");
    const username = requireString(body, "username");
    const password = requireString(body, "password");
    const mac = requireString(body, "mac");
    const admin = optionalBoolean(body, "admin") ?? false;
    const userType = optionalString(body, "user_type");
    const displayname = optionalString(body, "displayname");
    if (!nonces.take(nonce)) throw new MatrixError(400, "M_UNKNOWN", "Unrecognised nonce");
    if (!macMatches(hs.secrets.registrationSharedSecret, mac, registrationMacParts(nonce, username, password, admin, userType))) {
      throw forbidden("HMAC incorrect");
    }
    const kind: AccountKind = admin ? "admin" : kindFrom(userType);
    if (!isLocalpart(username)) throw new MatrixError(400, "M_INVALID_USERNAME", "Invalid username");
    assertAcceptablePassword(password);
    const userId = await hs.accounts.createUser({ localpart: username, kind, password, displayname });
    return c.json({ ...(await hs.accounts.issueToken(userId)) });
  });
  return r;
}

function macMatches(secret: string, mac: string, parts: string[]): boolean {
  const expected = Buffer.from(registrationMac(secret, parts));
  const actual = Buffer.from(mac.toLowerCase());
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

function kindFrom(userType: string | undefined): AccountKind {
  if (userType === undefined) throw badJson("'user_type' must name the account kind: companion, supervisor, partner or bot");
  if (!isAccountKind(userType) || userType === "visitor" || userType === "admin") {
    throw badJson(`Unknown user_type ${userType.slice(0, 40)}`);
  }
  return userType;
}
