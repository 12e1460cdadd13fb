/**
 * Turns a validated `/createRoom` request into the room's first events, in
 * the order the spec gives: create, creator's join, power levels, join rules,
 * history visibility, guest access, initial_state, name, topic; invites follow.
 */
import type { AccountKind } from "@onsafe/schema";
import type { Accounts } from "./accounts.ts";
import type { NewEvent } from "./events.ts";
import { assertMayCreateRoom, assertMayInvite, assertMaySetState } from "./policy.ts";
import { assertPowerLevelChange, defaultPowerLevels } from "./power-levels.ts";
import { assertVisitorCreationContent, assertVisitorState } from "./visitor-state.ts";
import { ROOM_VERSION } from "./rooms.ts";
import { badJson, forbidden, isObject, isUserId, type JsonObject, MatrixError, notFound } from "@onsafe/matrix-basics";

const PRESETS: Record<string, { join_rule: string; history_visibility: string; trusted: boolean }> = {
  private_chat: { join_rule: "invite", history_visibility: "shared", trusted: false },
  trusted_private_chat: { join_rule: "invite", history_visibility: "shared", trusted: true },
  public_chat: { join_rule: "public", history_visibility: "shared", trusted: false },
};

export interface RoomPlan {
  initial: Omit<NewEvent, "roomId" | "sender">[];
  invites: { userId: string; content: JsonObject }[];
}

export function planRoom(accounts: Accounts, creator: string, kind: AccountKind, body: JsonObject): RoomPlan {
  assertMayCreateRoom(kind);
  const visibility = body.visibility ?? "private";
  if (visibility !== "private" && visibility !== "public") throw badJson("'visibility' must be 'public' or 'private'");
  if (body.room_alias_name !== undefined) throw new MatrixError(400, "M_INVALID_PARAM", "Room aliases are not supported on this server");
  if (body.room_version !== undefined && body.room_version !== ROOM_VERSION) {
    throw new MatrixError(400, "M_UNSUPPORTED_ROOM_VERSION", `Only room version ${ROOM_VERSION} is supported`);
  }
  const presetName = body.preset ?? (visibility === "public" ? "public_chat" : "private_chat");
  if (typeof presetName !== "string" || !(presetName in PRESETS)) throw badJson("Unknown preset");
  const preset = PRESETS[presetName];
  const isDirect = body.is_direct ?? false;
  if (typeof isDirect !== "boolean") throw badJson("'is_direct' must be a boolean");

  const invitees = body.invite ?? [];
  if (!Array.isArray(invitees) || !invitees.every((u) => typeof u === "string" && isUserId(u))) throw badJson("'invite' must be a list of user IDs");
  if (invitees.length > 50) throw badJson("Too many invites");
  const initialState = body.initial_state ?? [];
  if (!Array.isArray(initialState) || initialState.length > 50) throw badJson("'initial_state' must be a list of at most 50 events");
  const stateEvents = initialState.map((e) => {
    if (!isObject(e) || typeof e.type !== "string" || !isObject(e.content)) throw badJson("Each initial_state event needs 'type' and 'content'");
    if (e.state_key !== undefined && typeof e.state_key !== "string") throw badJson("'state_key' must be a string");
    if (e.type === "m.room.create" || e.type === "m.room.member") throw badJson(`${e.type} cannot be given in initial_state`);
    return { type: e.type, stateKey: (e.state_key as string | undefined) ?? "", content: e.content };
  });
  for (const key of ["creation_content", "power_level_content_override"] as const) {
    if (body[key] !== undefined && !isObject(body[key])) throw badJson(`'${key}' must be an object`);
  }
  for (const key of ["name", "topic"] as const) {
    if (body[key] !== undefined && typeof body[key] !== "string") throw badJson(`'${key}' must be a string`);
  }

  const inviteeKinds = invitees.map((userId) => {
    const inviteeKind = accounts.kindOf(userId);
    if (!inviteeKind) throw notFound(`Unknown user ${userId}`);
    assertMayInvite(kind, userId, inviteeKind);
    return userId;
  });
  if (kind === "visitor") {
    if (preset.join_rule !== "invite" || visibility === "public") throw forbidden("Visitors may only create private rooms");
    // State is not encrypted: every way in keeps the room invite-only and free of text (services/visitor-state.ts).
    const nameable = new Set([creator, ...inviteeKinds]);
    for (const event of stateEvents) assertVisitorState(event.type, event.stateKey, event.content, nameable);
    if (body.power_level_content_override !== undefined) assertVisitorState("m.room.power_levels", "", body.power_level_content_override as JsonObject, nameable);
    if (body.creation_content !== undefined) assertVisitorCreationContent(body.creation_content as JsonObject);
    if (body.name !== undefined) assertMaySetState(kind, "m.room.name");
    if (body.topic !== undefined) assertMaySetState(kind, "m.room.topic");
    if (!stateEvents.some((e) => e.type === "m.room.encryption" && e.stateKey === "")) {
      throw forbidden("Visitors' rooms must be end-to-end encrypted (m.room.encryption in initial_state)");
    }
  }

  const powerLevels = defaultPowerLevels(creator);
  if (preset.trusted) for (const userId of inviteeKinds) (powerLevels.users as JsonObject)[userId] = 100;
  Object.assign(powerLevels, body.power_level_content_override ?? {});
  // No earlier power levels to compare against: this only checks that every level is an integer.
  assertPowerLevelChange(undefined, 100, creator, powerLevels);
  for (const event of stateEvents) if (event.type === "m.room.power_levels") assertPowerLevelChange(undefined, 100, creator, event.content);
  const initial: RoomPlan["initial"] = [
    { type: "m.room.create", stateKey: "", content: { ...(body.creation_content as JsonObject | undefined), creator, room_version: ROOM_VERSION } },
    { type: "m.room.member", stateKey: creator, content: { membership: "join", ...accounts.profile(creator) } },
    { type: "m.room.power_levels", stateKey: "", content: powerLevels },
    { type: "m.room.join_rules", stateKey: "", content: { join_rule: preset.join_rule } },
    { type: "m.room.history_visibility", stateKey: "", content: { history_visibility: preset.history_visibility } },
    { type: "m.room.guest_access", stateKey: "", content: { guest_access: "forbidden" } },
    ...stateEvents,
  ];
  if (body.name !== undefined) initial.push({ type: "m.room.name", stateKey: "", content: { name: body.name } });
  if (body.topic !== undefined) initial.push({ type: "m.room.topic", stateKey: "", content: { topic: body.topic } });
  const invites = inviteeKinds.map((userId) => ({
    userId,
    content: { membership: "invite", ...accounts.profile(userId), ...(isDirect ? { is_direct: true } : {}) },
  }));
  return { initial, invites };
}
