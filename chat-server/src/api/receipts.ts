/** Read receipts, read markers and typing notifications: a visitor's spend their ephemeral budget (`ephemeralLimit`, api/send-limit.ts). */
import { Hono } from "hono";
import type { AppEnv } from "../http/env.ts";
import { readJson } from "../http/json.ts";
import type { Session } from "../services/accounts.ts";
import type { Homeserver } from "../services/homeserver.ts";
import { RECEIPT_TYPES, type ReceiptType } from "../services/receipts.ts";
import { roomIdParam } from "./rooms.ts";
import type { SendLimit } from "./send-limit.ts";
import { badJson, forbidden, invalidParam, isEventId, notFound, optionalString } from "@onsafe/matrix-basics";

export function receiptRoutes(hs: Homeserver, ephemeralLimit: SendLimit) {
  const r = new Hono<AppEnv>({ strict: false });

  /** The event must exist in this room and be visible to the reader. */
  const assertReadable = (session: Session, roomId: string, eventId: string) => {
    hs.rooms.assertJoined(roomId, session.userId);
    if (!isEventId(eventId)) throw notFound("Event not found");
    const event = hs.rooms.visibleEvent(eventId, session.userId);
    if (event.room_id !== roomId) throw notFound("Event not found");
  };

  const mark = async (session: Session, roomId: string, type: string, eventId: string, threadId: string) => {
    assertReadable(session, roomId, eventId);
    if (type === "m.fully_read") await hs.accountData.set(session.userId, roomId, "m.fully_read", { event_id: eventId });
    else await hs.receipts.set(roomId, session.userId, type as ReceiptType, eventId, threadId);
  };

  r.post("/_matrix/client/v3/rooms/:roomId/receipt/:receiptType/:eventId", async (c) => {
    ephemeralLimit(c.get("session"));
    const body = await readJson(c);
    const type = c.req.param("receiptType");
    if (!(RECEIPT_TYPES as readonly string[]).includes(type) && type !== "m.fully_read") throw invalidParam("Unknown receipt type");
    const threadId = optionalString(body, "thread_id");
    if (threadId !== undefined) {
      if (threadId === "" || type === "m.fully_read") throw invalidParam("'thread_id' must be a non-empty string, and only for read receipts");
      if (threadId.length > 255) throw badJson("'thread_id' is too long");
    }
    const roomId = roomIdParam(c.req.param("roomId"));
    // A thread is named by its root: an event of this room the reader may see. Free text would add a row per new value.
    if (threadId !== undefined && threadId !== "main") assertReadable(c.get("session"), roomId, threadId);
    // "main" is the room's main timeline: stored as unthreaded.
    await mark(c.get("session"), roomId, type, c.req.param("eventId"), threadId === undefined || threadId === "main" ? "" : threadId);
    return c.json({});
  });

  r.post("/_matrix/client/v3/rooms/:roomId/read_markers", async (c) => {
    ephemeralLimit(c.get("session"));
    const body = await readJson(c);
    const roomId = roomIdParam(c.req.param("roomId"));
    // Even with no marker in the body: a stranger to the room learns nothing and gets no 200.
    hs.rooms.assertJoined(roomId, c.get("session").userId);
    const marks = (["m.fully_read", ...RECEIPT_TYPES] as const).map((type) => [type, optionalString(body, type)] as const)
      .filter((m): m is readonly [typeof m[0], string] => m[1] !== undefined);
    for (const [, eventId] of marks) assertReadable(c.get("session"), roomId, eventId);
    for (const [type, eventId] of marks) await mark(c.get("session"), roomId, type, eventId, "");
    return c.json({});
  });

  r.put("/_matrix/client/v3/rooms/:roomId/typing/:userId", async (c) => {
    ephemeralLimit(c.get("session"));
    const body = await readJson(c);
    const session = c.get("session");
    const roomId = roomIdParam(c.req.param("roomId"));
    if (c.req.param("userId") !== session.userId) throw forbidden("You may only set your own typing state");
    if (typeof body.typing !== "boolean") throw badJson("'typing' must be a boolean");
    if (body.timeout !== undefined && (typeof body.timeout !== "number" || body.timeout < 0)) throw badJson("'timeout' must be a non-negative number");
    hs.rooms.assertJoined(roomId, session.userId);
    hs.typing.set(roomId, session.userId, body.typing, (body.timeout as number | undefined) ?? 30_000);
    return c.json({});
  });
  return r;
}
