/** Room events: `PUT send/{type}/{txnId}`, `PUT redact/{eventId}/{txnId}`, `/messages` pagination and `/event/{eventId}`. */
import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { readJson } from "../http/json.ts";
import type { Homeserver } from "../services/homeserver.ts";
import { pageLimit, parseRoomEventFilter } from "../services/room-event-filter.ts";
import { parseSyncToken } from "../services/sync-token.ts";
import { roomIdParam } from "./rooms.ts";
import type { SendLimit } from "./send-limit.ts";
import { badJson, intParam, invalidParam, isEventId, notFound, optionalString } from "@onsafe/matrix-basics";

export function messageRoutes(hs: Homeserver, sendLimit: SendLimit) {
  const r = new Hono<AppEnv>({ strict: false });

  r.put("/_matrix/client/v3/rooms/:roomId/send/:eventType/:txnId", async (c) => {
    sendLimit(c.get("session"));
    const content = await readJson(c);
    const type = c.req.param("eventType");
    const txnId = c.req.param("txnId");
    if (type.length > 255 || txnId.length > 255) throw badJson("Event type and transaction id must be at most 255 characters");
    const eventId = await hs.rooms.send(c.get("session"), roomIdParam(c.req.param("roomId")), type, txnId, content);
    return c.json({ event_id: eventId });
  });

  r.put("/_matrix/client/v3/rooms/:roomId/redact/:eventId/:txnId", async (c) => {
    sendLimit(c.get("session"));
    const body = await readJson(c);
    const eventId = c.req.param("eventId");
    if (!isEventId(eventId)) throw notFound("Event not found");
    const reason = optionalString(body, "reason");
    if (reason !== undefined && reason.length > 1000) throw badJson("'reason' is too long");
    const redactionId = await hs.redactions.redact(c.get("session"), roomIdParam(c.req.param("roomId")), eventId, c.req.param("txnId"), reason);
    return c.json({ event_id: redactionId });
  });

  r.get("/_matrix/client/v3/rooms/:roomId/messages", (c) => {
    const roomId = roomIdParam(c.req.param("roomId"));
    const session = c.get("session");
    const dir = c.req.query("dir") ?? "b";
    if (dir !== "b" && dir !== "f") throw invalidParam("'dir' must be 'b' or 'f'");
    const from = c.req.query("from");
    const to = c.req.query("to");
    const filter = parseRoomEventFilter(c.req.query("filter"));
    const limit = pageLimit(intParam(c.req.query("limit"), 10, 100) || 10, filter);
    const page = hs.timeline.paginate(roomId, session.userId, {
      dir,
      from: from ? parseSyncToken(from).pos : undefined,
      to: to ? parseSyncToken(to).pos : undefined,
      limit,
      filter: filter.events,
    });
    const chunk = page.events.map((e) => hs.events.toClient(e, session));
    const lazy = filter.lazyLoadMembers;
    const state = lazy ? hs.events.memberEvents(roomId, chunk.map((e) => e.sender)).map((e) => hs.events.toClient(e, session)) : [];
    return c.json({ chunk, start: page.start, ...(page.end ? { end: page.end } : {}), state });
  });

  r.get("/_matrix/client/v3/rooms/:roomId/event/:eventId", (c) => {
    const roomId = roomIdParam(c.req.param("roomId"));
    const eventId = c.req.param("eventId");
    if (!isEventId(eventId)) throw notFound("Event not found");
    const session = c.get("session");
    const event = hs.rooms.visibleEvent(eventId, session.userId);
    if (event.room_id !== roomId) throw notFound("Event not found");
    return c.json(hs.events.toClient(event, session));
  });
  return r;
}
