/**
 * The state a visitor may give their room, field by field. State events are
 * not end-to-end encrypted, so a visitor may only make the room private and
 * encrypted: every value comes from a short fixed list, and no field, key or
 * state key can carry free text in which a frightened person might write who
 * they are (issue 21: `join_rule: public` in `initial_state` let an uninvited
 * companion join; `creation_content`, state keys and extra fields took any text).
 * Used at `/createRoom` (initial_state, power_level_content_override,
 * creation_content) and for every later state send.
 */
import { APP_OPENING_FIELD } from "@onsafe/schema";
import { forbidden, isObject, type JsonObject } from "@onsafe/matrix-basics";
import { defaultPowerLevels } from "./power-levels.ts";

type FieldRule = (value: unknown) => boolean;

const oneOf = (...values: unknown[]): FieldRule => (value) => values.includes(value);
const level: FieldRule = (value) => Number.isInteger(value);
const levelsKeyedBy = (mayKey: (key: string) => boolean): FieldRule =>
  (value) => isObject(value) && Object.entries(value).every(([key, v]) => mayKey(key) && level(v));

/** Event types a visitor's power levels may name: the defaults' and the standard ones of a private chat. */
const EVENT_TYPES = new Set([
  ...Object.keys(defaultPowerLevels("@x:x").events as JsonObject),
  "m.room.join_rules", "m.room.guest_access", "m.room.topic", "m.room.pinned_events",
  "m.room.message", "m.room.encrypted", "m.room.redaction", "m.reaction",
]);

/** The triage bank's prompt ids: a short lowercase identifier, never a sentence. */
const PROMPT_ID = /^[a-z][a-z0-9_]{0,31}$/;

function fields(type: string, users: ReadonlySet<string>): Record<string, FieldRule> | undefined {
  switch (type) {
    case "m.room.encryption":
      return { algorithm: oneOf("m.megolm.v1.aes-sha2"), rotation_period_ms: level, rotation_period_msgs: level };
    case "m.room.history_visibility":
      return { history_visibility: oneOf("shared", "invited", "joined") };
    case "m.room.join_rules":
      return { join_rule: oneOf("invite") };
    case "m.room.guest_access":
      return { guest_access: oneOf("forbidden") };
    case "m.room.power_levels":
      return {
        users: levelsKeyedBy((userId) => users.has(userId)),
        events: levelsKeyedBy((eventType) => EVENT_TYPES.has(eventType)),
        notifications: levelsKeyedBy((key) => key === "room"),
        ...Object.fromEntries(["users_default", "events_default", "state_default", "ban", "kick", "redact", "invite", "historical"].map((key) => [key, level])),
      };
    default:
      return undefined;
  }
}

function assertFields(what: string, content: JsonObject, rules: Record<string, FieldRule>): void {
  for (const [key, value] of Object.entries(content)) {
    const rule = Object.hasOwn(rules, key) ? rules[key] : undefined;
    if (!rule) throw forbidden(`Visitors may not set '${key.slice(0, 100)}' in ${what}: room state is not encrypted`);
    if (!rule(value)) throw forbidden(`Visitors may not set this '${key}' in ${what}`);
  }
}

/**
 * Throws M_FORBIDDEN unless a visitor may set this state: an allowed type (policy.ts),
 * an empty state key, and only the listed fields with listed values. `users` are the
 * accounts a visitor's power levels may name (the room's members, the creator's invitees).
 */
export function assertVisitorState(type: string, stateKey: string, content: JsonObject, users: ReadonlySet<string>): void {
  const rules = fields(type, users);
  if (!rules) throw forbidden(`Visitors may not set ${type.slice(0, 100)}: room state is not encrypted`);
  if (stateKey !== "") throw forbidden("Visitors' room state has an empty state key");
  assertFields(type, content, rules);
}

/** A visitor's `creation_content`: only the app's opening (`first_prompt`, a prompt id) and `m.federate`. */
export function assertVisitorCreationContent(content: JsonObject): void {
  assertFields("creation_content", content, {
    [APP_OPENING_FIELD]: (value) => isObject(value) && Object.keys(value).length === 1 && typeof value.first_prompt === "string" && PROMPT_ID.test(value.first_prompt),
    "m.federate": oneOf(true, false),
  });
}
