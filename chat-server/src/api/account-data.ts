/** Account data and filters: `/user/{userId}/account_data/*`, `/user/{userId}/rooms/{roomId}/account_data/*`, `/user/{userId}/filter`. */
import { type Context, Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { assertFilterShape } from "../http/filter-shape.ts";
import { readJson } from "../http/json.ts";
import type { Homeserver } from "../services/homeserver.ts";
import type { SendLimit } from "./send-limit.ts";
import { badJson, forbidden, invalidParam, isRoomId, MatrixError, notFound } from "@onsafe/matrix-basics";

/** Types the server manages itself; clients set them through their own endpoints. */
const SERVER_MANAGED = new Set(["m.fully_read", "m.push_rules"]);

/** A visitor's account data writes and new filters spend their send budget (`sendLimit`), as a message would. */
export function accountDataRoutes(hs: Homeserver, sendLimit: SendLimit) {
  const r = new Hono<AppEnv>({ strict: false });

  const ownUser = (c: Context<AppEnv>) => {
    const userId = c.req.param("userId");
    if (userId !== c.get("session").userId) throw forbidden("You may only access your own account data");
    return userId;
  };
  const memberRoom = (c: Context<AppEnv>, userId: string) => {
    const roomId = c.req.param("roomId")!;
    if (!isRoomId(roomId)) throw invalidParam("Not a valid room ID");
    if (!hs.rooms.exists(roomId)) throw notFound("Unknown room");
    if (!hs.memberships.membershipOf(roomId, userId)) throw forbidden("You are not a member of this room");
    return roomId;
  };
  const put = async (c: Context<AppEnv>, userId: string, roomId: string) => {
    sendLimit(c.get("session"));
    const type = c.req.param("type")!;
    if (type.length > 255) throw badJson("Type too long");
    if (SERVER_MANAGED.has(type)) throw new MatrixError(405, "M_BAD_JSON", `${type} is managed by the server`);
    await hs.accountData.set(userId, roomId, type, await readJson(c));
    return c.json({});
  };
  const get = (c: Context<AppEnv>, userId: string, roomId: string) => {
    const content = hs.accountData.get(userId, roomId, c.req.param("type")!);
    if (!content) throw notFound("Account data not found");
    return c.json(content);
  };

  r.put("/_matrix/client/v3/user/:userId/account_data/:type", (c) => put(c, ownUser(c), ""));
  r.get("/_matrix/client/v3/user/:userId/account_data/:type", (c) => get(c, ownUser(c), ""));
  r.put("/_matrix/client/v3/user/:userId/rooms/:roomId/account_data/:type", (c) => { const u = ownUser(c); return put(c, u, memberRoom(c, u)); });
  r.get("/_matrix/client/v3/user/:userId/rooms/:roomId/account_data/:type", (c) => { const u = ownUser(c); return get(c, u, memberRoom(c, u)); });

  r.post("/_matrix/client/v3/user/:userId/filter", async (c) => {
    const userId = ownUser(c);
    sendLimit(c.get("session"));
    const filter = await readJson(c);
    assertFilterShape(filter);
    return c.json({ filter_id: await hs.filters.create(userId, filter) });
  });
  r.get("/_matrix/client/v3/user/:userId/filter/:filterId", (c) => {
    const filter = hs.filters.stored(ownUser(c), c.req.param("filterId"));
    if (!filter) throw notFound("Unknown filter");
    return c.json(filter);
  });
  return r;
}
