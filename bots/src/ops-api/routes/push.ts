/**
 * `GET push/config` (staff): what the console subscribes with and sets its
 * pusher to. `POST /_matrix/push/v1/notify`: the push gateway (docs/CRISIS.md
 * "Push"), for our homeserver only. It is served outside `/_onsafe/`, which is
 * all the homeserver forwards from outside, so only what reaches the bots
 * service's loopback listener can call it; it takes no token, as the Push
 * Gateway API defines none.
 */
import { Hono, type MiddlewareHandler } from "hono";
import type { PushConfigJson } from "@onsafe/schema";
import { badJson, MatrixError, isObject, type JsonObject, optionalString, requireObject } from "@onsafe/matrix-basics";
import { PUSH_NOTIFY_PATH } from "../../config.ts";
import type { PushDevice, PushGateway, PushNotification } from "../../push/push-gateway.ts";
import type { OpsEnv } from "../env.ts";
import { readJson } from "../json.ts";

export function pushConfigRoutes(auth: MiddlewareHandler<OpsEnv>, config: PushConfigJson): Hono<OpsEnv> {
  const r = new Hono<OpsEnv>();
  r.get("/push/config", auth, (c) => c.json(config));
  return r;
}

/** Mounted at the root, not under the ops API's prefix. */
export function pushGatewayRoutes(gateway: Pick<PushGateway, "notify">): Hono<OpsEnv> {
  const r = new Hono<OpsEnv>();
  r.post(PUSH_NOTIFY_PATH, async (c) => {
    const { rejected, retry } = await gateway.notify(readNotification(await readJson(c)));
    // Any error status makes the homeserver send it again later (Push Gateway API, "Homeserver behaviour").
    if (retry) throw new MatrixError(502, "M_UNKNOWN", "A push service did not take the push; try again later");
    return c.json({ rejected });
  });
  return r;
}

/** The request's `notification`, its devices with their `app_id`, `pushkey` and `data`; anything else in it is not read. */
function readNotification(body: JsonObject): PushNotification {
  const notification = requireObject(body, "notification");
  const devices = notification.devices;
  if (!Array.isArray(devices)) throw badJson("'notification.devices' must be an array");
  return {
    event_id: optionalString(notification, "event_id"),
    room_id: optionalString(notification, "room_id"),
    devices: devices.map(readDevice),
  };
}

function readDevice(device: unknown): PushDevice {
  if (!isObject(device) || typeof device.app_id !== "string" || typeof device.pushkey !== "string") {
    throw badJson("Each device must be an object with the strings 'app_id' and 'pushkey'");
  }
  const data = device.data === undefined ? {} : device.data;
  if (!isObject(data)) throw badJson("A device's 'data' must be an object");
  return { app_id: device.app_id, pushkey: device.pushkey, data };
}
