/** `PUT /sendToDevice/{eventType}/{txnId}`: a visitor's spends their send budget (`sendLimit`), as a message would. */
import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { readJson } from "../http/json.ts";
import type { Homeserver } from "../services/homeserver.ts";
import type { SendLimit } from "./send-limit.ts";
import { badJson, requireObject } from "@onsafe/matrix-basics";

export function toDeviceRoutes(hs: Homeserver, sendLimit: SendLimit) {
  const r = new Hono<AppEnv>({ strict: false });
  r.put("/_matrix/client/v3/sendToDevice/:eventType/:txnId", async (c) => {
    sendLimit(c.get("session"));
    const type = c.req.param("eventType");
    const txnId = c.req.param("txnId");
    if (type.length > 255 || txnId.length > 255) throw badJson("Event type and transaction id must be at most 255 characters");
    await hs.toDevice.send(c.get("session"), type, txnId, requireObject(await readJson(c), "messages"));
    return c.json({});
  });
  return r;
}
