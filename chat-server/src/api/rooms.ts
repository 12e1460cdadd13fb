/** `/createRoom`, membership (`invite`, `join`, `leave`, `kick`, `ban`, `unban`, `forget`) and `/joined_rooms`. */
import { type Context, Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { readJson } from "../http/json.ts";
import type { Homeserver } from "../services/homeserver.ts";
import { planRoom } from "../services/room-creation.ts";
import type { MembershipAction } from "../services/rooms.ts";
import type { SendLimit } from "./send-limit.ts";
import { badJson, isRoomId, isUserId, notFound, optionalString, requireString } from "@onsafe/matrix-basics";

/** Every membership change writes a member event: a visitor's spends their send budget (`sendLimit`), as a message would; so does a forget. */
export function roomRoutes(hs: Homeserver, sendLimit: SendLimit) {
  const r = new Hono<AppEnv>({ strict: false });

  r.post("/_matrix/client/v3/createRoom", async (c) => {
    const session = c.get("session");
    const plan = planRoom(hs.accounts, session.userId, session.kind, await readJson(c));
    // A flood of fake visitors must not fill the disk with rooms: each visitor may start only so many conversations.
    const maxCreated = session.kind === "visitor" ? hs.config.visitorMaxRooms : undefined;
    const roomId = await hs.rooms.create(session.userId, plan.initial, plan.invites, maxCreated);
    return c.json({ room_id: roomId });
  });

  const join = async (roomId: string, c: Context<AppEnv>) => {
    sendLimit(c.get("session"));
    if (!isRoomId(roomId)) throw notFound("Unknown room (aliases are not supported)");
    await readJson(c);
    await hs.rooms.membership(c.get("session"), roomId, "join", c.get("session").userId);
    return c.json({ room_id: roomId });
  };
  r.post("/_matrix/client/v3/join/:roomIdOrAlias", (c) => join(c.req.param("roomIdOrAlias"), c));
  r.post("/_matrix/client/v3/rooms/:roomId/join", (c) => join(c.req.param("roomId"), c));

  r.post("/_matrix/client/v3/rooms/:roomId/leave", async (c) => {
    sendLimit(c.get("session"));
    const body = await readJson(c);
    const session = c.get("session");
    await hs.rooms.membership(session, roomIdParam(c.req.param("roomId")), "leave", session.userId, optionalString(body, "reason"));
    return c.json({});
  });

  for (const action of ["invite", "kick", "ban", "unban"] as const satisfies MembershipAction[]) {
    r.post(`/_matrix/client/v3/rooms/:roomId/${action}`, async (c) => {
      sendLimit(c.get("session"));
      const body = await readJson(c);
      const target = requireString(body, "user_id");
      if (!isUserId(target)) throw badJson("'user_id' must be a user ID");
      await hs.rooms.membership(c.get("session"), roomIdParam(c.req.param("roomId")), action, target, optionalString(body, "reason"));
      return c.json({});
    });
  }

  r.post("/_matrix/client/v3/rooms/:roomId/forget", async (c) => {
    sendLimit(c.get("session"));
    await hs.rooms.forget(c.get("session"), roomIdParam(c.req.param("roomId")));
    return c.json({});
  });

  r.get("/_matrix/client/v3/joined_rooms", (c) => c.json({ joined_rooms: hs.memberships.roomsOf(c.get("session").userId, ["join"]) }));
  return r;
}

/** Room IDs in paths: a malformed one cannot name a room we know. */
export function roomIdParam(raw: string): string {
  if (!isRoomId(raw)) throw notFound("Unknown room");
  return raw;
}
