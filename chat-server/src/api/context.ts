/** `GET /rooms/{roomId}/context/{eventId}`: an event with the events around it, as clients use to jump to a message. */
import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import type { Homeserver } from "../services/homeserver.ts";
import { pageLimit, parseRoomEventFilter } from "../services/room-event-filter.ts";
import { roomIdParam } from "./rooms.ts";
import { intParam, isEventId, notFound } from "@onsafe/matrix-basics";

export function contextRoutes(hs: Homeserver) {
  const r = new Hono<AppEnv>({ strict: false });

  r.get("/_matrix/client/v3/rooms/:roomId/context/:eventId", (c) => {
    const roomId = roomIdParam(c.req.param("roomId"));
    const eventId = c.req.param("eventId");
    if (!isEventId(eventId)) throw notFound("Event not found");
    const session = c.get("session");
    const limit = intParam(c.req.query("limit"), 10, 100);
    const filter = parseRoomEventFilter(c.req.query("filter"));
    const found = hs.timeline.context(roomId, session.userId, eventId, pageLimit(limit, filter), filter.events);
    const toClient = (rows: typeof found.before) => rows.map((e) => hs.events.toClient(e, session));
    const state = hs.timeline.contextState(roomId, session.userId, [...found.before, found.event, ...found.after], filter.lazyLoadMembers);
    return c.json({
      start: found.start,
      end: found.end,
      events_before: toClient(found.before),
      event: hs.events.toClient(found.event, session),
      events_after: toClient(found.after),
      state: toClient(state),
    });
  });
  return r;
}
