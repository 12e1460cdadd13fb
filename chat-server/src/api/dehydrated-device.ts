/** Dehydrated devices (MSC3814): `/_matrix/client/unstable/org.matrix.msc3814.v1/dehydrated_device[/{deviceId}/events]`. */
import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { readJson } from "../http/json.ts";
import type { Homeserver } from "../services/homeserver.ts";

const P = "/_matrix/client/unstable/org.matrix.msc3814.v1/dehydrated_device";

export function dehydratedDeviceRoutes(hs: Homeserver) {
  const r = new Hono<AppEnv>({ strict: false });
  r.get(P, (c) => c.json(hs.dehydratedDevices.get(c.get("session").userId)));
  r.put(P, async (c) => c.json({ device_id: await hs.dehydratedDevices.put(c.get("session"), await readJson(c)) }));
  r.delete(P, async (c) => c.json({ device_id: await hs.dehydratedDevices.delete(c.get("session").userId) }));
  // matrix-js-sdk 43 asks with GET and `?from=`; the MSC's later text with POST and `next_batch`.
  r.get(`${P}/:deviceId/events`, async (c) => c.json(await hs.dehydratedDevices.events(c.get("session").userId, c.req.param("deviceId"), c.req.query("from"))));
  r.post(`${P}/:deviceId/events`, async (c) => {
    const body = await readJson(c);
    const from = typeof body.next_batch === "string" ? body.next_batch : undefined;
    return c.json(await hs.dehydratedDevices.events(c.get("session").userId, c.req.param("deviceId"), from));
  });
  return r;
}
