/** Invited and left rooms' parts of a sync response. */
import type { SyncContext } from "./context.ts";
import { formatSyncToken } from "../sync-token.ts";
import { type JsonObject } from "@onsafe/matrix-basics";

export function invitedRoom(ctx: SyncContext, roomId: string, inviteEventId: string): JsonObject {
  const { hs } = ctx;
  const events = hs.events.strippedState(roomId);
  const invite = hs.events.byId(inviteEventId);
  if (invite) {
    const inviter = hs.events.memberEvents(roomId, [invite.sender])[0];
    for (const e of inviter && inviter.event_id !== invite.event_id ? [inviter, invite] : [invite]) {
      events.push({ type: e.type, state_key: e.state_key, sender: e.sender, content: JSON.parse(e.content) });
    }
  }
  return { invite_state: { events } };
}

export function leftRoom(ctx: SyncContext, roomId: string): JsonObject {
  const { hs, userId, since, upTo, filter } = ctx;
  const timeline = hs.timeline.recent(roomId, userId, since.pos, upTo, filter.timelineLimit);
  const viewer = { userId, deviceId: ctx.deviceId };
  return {
    timeline: {
      events: timeline.events.map((e) => hs.events.toClient(e, viewer)),
      limited: timeline.limited,
      prev_batch: formatSyncToken((timeline.events[0]?.stream_pos ?? upTo + 1) - 1, 0),
    },
    state: { events: [] },
    account_data: { events: [] },
  };
}
