/**
 * One `/sync` answer: everything the user may see that changed after `since`
 * (or everything, on an initial sync) up to the current stream position.
 * Runs synchronously, so it sees one consistent snapshot of the database.
 */
import { SyncStore } from "../../storage/sync.ts";
import type { Homeserver } from "../homeserver.ts";
import type { SyncFilter } from "../filters.ts";
import { formatSyncToken } from "../sync-token.ts";
import type { SyncContext } from "./context.ts";
import { joinedRoom } from "./joined-room.ts";
import { invitedRoom, leftRoom } from "./other-rooms.ts";
import { roomsWithNews } from "./rooms-with-news.ts";
import { type JsonObject } from "@onsafe/matrix-basics";

export interface SyncRequest {
  userId: string;
  deviceId: string;
  since?: { pos: number; typing: number; toDevice?: number };
  filter: SyncFilter;
  fullState: boolean;
}

export interface SyncResult {
  body: JsonObject;
  /** True when nothing changed for the user: a long-poll should keep waiting. */
  empty: boolean;
}

/** `/sync`, with its reads built once (their queries are prepared on the first sync). */
export class Sync {
  private readonly rows: SyncStore;

  constructor(private readonly hs: Homeserver) {
    this.rows = new SyncStore(hs.store);
  }

  compute(request: SyncRequest): SyncResult {
    return computeSync(this.hs, this.rows, request);
  }
}

function computeSync(hs: Homeserver, rows: SyncStore, request: SyncRequest): SyncResult {
  const upTo = hs.writer.current;
  const initial = request.since === undefined;
  // A typing serial from before a restart is meaningless: send current typing again.
  const typingSince = request.since && request.since.typing <= hs.typing.serial ? request.since.typing : undefined;
  const ctx: SyncContext = {
    hs,
    rows,
    userId: request.userId,
    deviceId: request.deviceId,
    since: { pos: request.since?.pos ?? 0, typing: typingSince },
    upTo,
    filter: request.filter,
  };
  const join: JsonObject = {};
  const invite: JsonObject = {};
  const leave: JsonObject = {};
  // Rooms left before `since` have nothing to say to an incremental sync.
  const memberships = rows.memberships(request.userId, initial ? undefined : ctx.since.pos);
  const joinedCount = memberships.filter((m) => m.membership === "join").length;
  const withNews = initial || request.fullState ? undefined : roomsWithNews(ctx, joinedCount);
  for (const m of memberships) {
    const changed = m.stream_pos > ctx.since.pos && m.stream_pos <= upTo;
    if (m.membership === "join") {
      const newlyJoined = initial || request.fullState || (changed && !wasJoinedBefore(hs, m.event_id));
      if (!newlyJoined && withNews && !withNews.has(m.room_id)) continue;
      const room = joinedRoom(ctx, m.room_id, newlyJoined);
      if (room) join[m.room_id] = room;
    } else if (m.membership === "invite") {
      if (initial || changed) invite[m.room_id] = invitedRoom(ctx, m.room_id, m.event_id);
    } else if ((changed && !initial) || (initial && request.filter.includeLeave)) {
      leave[m.room_id] = leftRoom(ctx, m.room_id);
    }
  }

  // To-device messages have their own place in the token when a sync held some back.
  const toDeviceSince = request.since ? request.since.toDevice ?? request.since.pos : undefined;
  if (toDeviceSince !== undefined) hs.toDevice.acknowledge(request.userId, request.deviceId, toDeviceSince);
  const { events: toDevice, upTo: toDeviceUpTo } = hs.toDevice.forSync(request.userId, request.deviceId, toDeviceSince, upTo, hs.config.toDevicePerSync);
  const deviceLists = request.since ? hs.deviceLists.delta(request.userId, request.since.pos, upTo) : { changed: [], left: [] };
  const accountData = hs.accountData.changedSince(request.userId, "", request.since?.pos, upTo);

  const empty = !Object.keys(join).length && !Object.keys(invite).length && !Object.keys(leave).length
    && !toDevice.length && !deviceLists.changed.length && !deviceLists.left.length && !accountData.length;
  return {
    empty,
    body: {
      next_batch: formatSyncToken(upTo, hs.typing.serial, toDeviceUpTo),
      rooms: { join, invite, leave },
      account_data: { events: accountData },
      to_device: { events: toDevice },
      device_lists: deviceLists,
      device_one_time_keys_count: hs.keys.oneTimeKeyCounts(request.userId, request.deviceId),
      device_unused_fallback_key_types: hs.keys.unusedFallbackKeyTypes(request.userId, request.deviceId),
      presence: { events: [] },
    },
  };
}

/** Whether the member event replaced a join (a profile change), so the room is not new to the client. */
function wasJoinedBefore(hs: Homeserver, eventId: string): boolean {
  const event = hs.events.byId(eventId);
  const previous = event?.replaces_state ? hs.events.byId(event.replaces_state) : undefined;
  return !!previous && JSON.parse(previous.content).membership === "join";
}
