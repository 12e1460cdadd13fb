import { badJson, forbidden, isObject, isUserId, type JsonObject } from "@onsafe/matrix-basics";
/** `m.room.power_levels` defaults and checks (Client-Server API, "m.room.power_levels"). */

const LEVEL_KEYS = ["users_default", "events_default", "state_default", "ban", "redact", "kick", "invite"] as const;
const LEVEL_MAPS = ["users", "events", "notifications"] as const;

export function defaultPowerLevels(creator: string): JsonObject {
  return {
    users: { [creator]: 100 },
    users_default: 0,
    events: {
      "m.room.name": 50,
      "m.room.power_levels": 100,
      "m.room.history_visibility": 100,
      "m.room.canonical_alias": 50,
      "m.room.avatar": 50,
      "m.room.tombstone": 100,
      "m.room.server_acl": 100,
      "m.room.encryption": 100,
    },
    events_default: 0,
    state_default: 50,
    ban: 50,
    kick: 50,
    redact: 50,
    invite: 0,
    historical: 100,
    notifications: { room: 50 },
  };
}

function num(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

export class PowerLevels {
  constructor(private readonly content: JsonObject | undefined, private readonly creator: string) {}

  userLevel(userId: string): number {
    if (!this.content) return userId === this.creator ? 100 : 0;
    const users = (this.content.users ?? {}) as JsonObject;
    return num(users[userId], num(this.content.users_default, 0));
  }

  eventLevel(type: string, isState: boolean): number {
    if (!this.content) return 0;
    const events = (this.content.events ?? {}) as JsonObject;
    return num(events[type], isState ? num(this.content.state_default, 50) : num(this.content.events_default, 0));
  }

  actionLevel(action: "invite" | "kick" | "ban" | "redact"): number {
    return num(this.content?.[action], action === "invite" ? 0 : 50);
  }

  /** The level needed to notify with `key` (push rules' `sender_notification_permission`; "room" is @room). */
  notificationLevel(key: string): number {
    const notifications = this.content?.notifications;
    return num(isObject(notifications) ? notifications[key] : undefined, 50);
  }

  canSend(userId: string, type: string, isState: boolean): boolean {
    return this.userLevel(userId) >= this.eventLevel(type, isState);
  }
}

/**
 * The authorization rules for a new `m.room.power_levels` event (room version 10):
 * levels are integers, nobody adds, changes or removes a level above their own,
 * and nobody changes the level of another user at or above their own.
 */
export function assertPowerLevelChange(previous: JsonObject | undefined, actorLevel: number, actor: string, content: JsonObject): void {
  for (const key of LEVEL_KEYS) {
    if (content[key] !== undefined && !Number.isInteger(content[key])) throw badJson(`'${key}' must be an integer`);
  }
  for (const key of LEVEL_MAPS) {
    const map = content[key];
    if (map === undefined) continue;
    if (!isObject(map) || !Object.values(map).every((level) => Number.isInteger(level))) throw badJson(`'${key}' must map to integer power levels`);
    if (key === "users" && !Object.keys(map).every(isUserId)) throw badJson("'users' must be keyed by user IDs");
  }
  if (!previous) return;
  const above = (level: unknown) => typeof level === "number" && level > actorLevel;
  for (const key of LEVEL_KEYS) {
    if (previous[key] !== content[key] && (above(previous[key]) || above(content[key]))) throw forbidden(`Cannot change '${key}' above your own power level`);
  }
  for (const key of LEVEL_MAPS) {
    const before = isObject(previous[key]) ? previous[key] : {};
    const after = content[key] as JsonObject | undefined ?? {};
    for (const entry of new Set([...Object.keys(before), ...Object.keys(after)])) {
      if (before[entry] === after[entry]) continue;
      if (above(before[entry]) || above(after[entry])) throw forbidden("Cannot change a power level above your own");
      if (key === "users" && entry !== actor && typeof before[entry] === "number" && before[entry] >= actorLevel) {
        throw forbidden("Cannot change the power level of a user at or above your level");
      }
    }
  }
}
