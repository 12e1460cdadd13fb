/** `/keys/*`: upload, query, claim, changes, cross-signing and signatures. */
import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { readJson } from "../http/json.ts";
import { CROSS_SIGNING_TYPES, type CrossSigningType } from "../services/cross-signing.ts";
import type { Homeserver } from "../services/homeserver.ts";
import { parseSyncToken } from "../services/sync-token.ts";
import { clientAddress } from "../http/client-address.ts";
import { confirmIdentity } from "./account.ts";
import type { SendLimit } from "./send-limit.ts";
import { badJson, isObject, type JsonObject, missingParam, optionalObject, requireObject } from "@onsafe/matrix-basics";

const MAX_USERS_PER_QUERY = 1000;

/** Uploads (device, one-time, cross-signing keys, signatures) and claims (a claim deletes someone's one-time key) spend a visitor's send budget (`sendLimit`). */
export function keyRoutes(hs: Homeserver, sendLimit: SendLimit) {
  const r = new Hono<AppEnv>({ strict: false });

  r.post("/_matrix/client/v3/keys/upload", async (c) => {
    sendLimit(c.get("session"));
    const body = await readJson(c);
    const counts = await hs.keys.upload(c.get("session"), {
      deviceKeys: optionalObject(body, "device_keys"),
      oneTimeKeys: optionalObject(body, "one_time_keys"),
      fallbackKeys: optionalObject(body, "fallback_keys"),
    });
    return c.json({ one_time_key_counts: counts });
  });

  r.post("/_matrix/client/v3/keys/query", async (c) => {
    const request = requireObject(await readJson(c), "device_keys");
    const users = Object.entries(request);
    if (users.length > MAX_USERS_PER_QUERY) throw badJson("Too many users");
    for (const [, devices] of users) {
      if (!Array.isArray(devices) || !devices.every((d) => typeof d === "string")) throw badJson("device_keys must map users to lists of device IDs");
    }
    return c.json(hs.keys.query(c.get("session"), request as Record<string, string[]>));
  });

  r.post("/_matrix/client/v3/keys/claim", async (c) => {
    sendLimit(c.get("session"));
    const request = requireObject(await readJson(c), "one_time_keys");
    for (const devices of Object.values(request)) {
      if (!isObject(devices) || !Object.values(devices).every((a) => typeof a === "string")) {
        throw badJson("one_time_keys must map users to devices to algorithms");
      }
    }
    return c.json(await hs.keys.claim(c.get("session"), request as Record<string, Record<string, string>>));
  });

  r.get("/_matrix/client/v3/keys/changes", (c) => {
    const token = (name: string) => {
      const value = c.req.query(name);
      if (!value) throw missingParam(`Missing '${name}'`);
      return parseSyncToken(value).pos;
    };
    return c.json(hs.deviceLists.delta(c.get("session").userId, token("from"), token("to")));
  });

  r.post("/_matrix/client/v3/keys/device_signing/upload", async (c) => {
    const session = c.get("session");
    sendLimit(session);
    const body = await readJson(c);
    const upload: Partial<Record<CrossSigningType, JsonObject>> = {};
    for (const type of CROSS_SIGNING_TYPES) {
      const key = optionalObject(body, `${type}_key`);
      if (key) upload[type] = key;
    }
    const keys = hs.keys.crossSigning.check(session.userId, upload);
    // MSC3967 (spec v1.11): setting cross-signing up needs no re-authentication; replacing it does.
    if (hs.keys.crossSigning.hasMasterKey(session.userId)) await confirmIdentity(hs, session, body, clientAddress(c));
    await hs.keys.crossSigning.upload(session.userId, keys);
    return c.json({});
  });

  r.post("/_matrix/client/v3/keys/signatures/upload", async (c) => {
    sendLimit(c.get("session"));
    const failures = await hs.keys.crossSigning.uploadSignatures(c.get("session"), await readJson(c));
    return c.json({ failures });
  });
  return r;
}
