/** `m.room.power_levels` defaults and checks (Client-Server API, "m.room.power_levels"). */
import type { JsonObject } from "../http/json.ts";

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

  canSend(userId: string, type: string, isState: boolean): boolean {
    return this.userLevel(userId) >= this.eventLevel(type, isState);
  }
}
