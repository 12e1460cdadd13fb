/** Room state: `GET /state`, `GET|PUT /state/{type}/{stateKey}`, `/members`, `/joined_members`. */
import { type Context, Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { readJson } from "../http/json.ts";
import type { Homeserver } from "../services/homeserver.ts";
import { roomIdParam } from "./rooms.ts";
import type { SendLimit } from "./send-limit.ts";
import { badJson, notFound } from "@onsafe/matrix-basics";

export function stateRoutes(hs: Homeserver, sendLimit: SendLimit) {
  const r = new Hono<AppEnv>({ strict: false });

  /** Only joined members may read state (the rule is the timeline service's). */
  const assertMayReadState = (roomId: string, userId: string) => hs.timeline.assertMayReadState(roomId, userId);

  r.get("/_matrix/client/v3/rooms/:roomId/state", (c) => {
    const roomId = roomIdParam(c.req.param("roomId"));
    const session = c.get("session");
    assertMayReadState(roomId, session.userId);
    return c.json(hs.events.currentState(roomId).map((e) => hs.events.toClient(e, session)));
  });

  const getState = (roomId: string, type: string, stateKey: string, userId: string, format: string | undefined) => {
    assertMayReadState(roomId, userId);
    const row = hs.events.stateRow(roomId, type, stateKey);
    if (!row) throw notFound("Event not found");
    const event = hs.events.toClient(hs.events.byId(row.event_id)!);
    return format === "event" ? event : event.content;
  };
  r.get("/_matrix/client/v3/rooms/:roomId/state/:type/:stateKey?", (c) =>
    c.json(getState(roomIdParam(c.req.param("roomId")), c.req.param("type"), c.req.param("stateKey") ?? "", c.get("session").userId, c.req.query("format"))));

  const putState = async (c: Context<AppEnv>, stateKey: string) => {
    sendLimit(c.get("session"));
    const content = await readJson(c);
    const type = c.req.param("type")!;
    if (type.length > 255 || stateKey.length > 255) throw badJson("Type and state key must be at most 255 characters");
    const eventId = await hs.rooms.setState(c.get("session"), roomIdParam(c.req.param("roomId")!), type, stateKey, content);
    return c.json({ event_id: eventId });
  };
  r.put("/_matrix/client/v3/rooms/:roomId/state/:type/:stateKey", (c) => putState(c, c.req.param("stateKey")));
  r.put("/_matrix/client/v3/rooms/:roomId/state/:type", (c) => putState(c, ""));

  r.get("/_matrix/client/v3/rooms/:roomId/members", (c) => {
    const roomId = roomIdParam(c.req.param("roomId"));
    const session = c.get("session");
    assertMayReadState(roomId, session.userId);
    const only = c.req.query("membership");
    const not = c.req.query("not_membership");
    const chunk = hs.events.currentState(roomId)
      .filter((e) => e.type === "m.room.member")
      .map((e) => hs.events.toClient(e, session))
      .filter((e) => (!only || e.content.membership === only) && (!not || e.content.membership !== not));
    return c.json({ chunk });
  });

  r.get("/_matrix/client/v3/rooms/:roomId/joined_members", (c) => {
    const roomId = roomIdParam(c.req.param("roomId"));
    assertMayReadState(roomId, c.get("session").userId);
    const joined: Record<string, { display_name?: string; avatar_url?: string }> = {};
    for (const e of hs.events.memberEvents(roomId, hs.memberships.membersOf(roomId, ["join"]))) {
      const content = JSON.parse(e.content);
      joined[e.state_key!] = { display_name: content.displayname, avatar_url: content.avatar_url };
    }
    return c.json({ joined });
  });
  return r;
}
