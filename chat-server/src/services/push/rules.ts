/**
 * Push rule evaluation (Client-Server API, "Push Rules"): the first enabled
 * rule, in kind order, whose conditions all hold decides the actions. Only the
 * condition kinds the server-default rules use are understood
 * (services/default-push-rules.ts); a rule with any other kind of condition
 * does not match, as the spec asks of unknown conditions.
 */
import { isObject, type JsonObject } from "@onsafe/matrix-basics";

const KIND_ORDER = ["override", "content", "room", "sender", "underride"] as const;

/** The event as push rules see it: its top-level fields and content. */
export interface PushEvent {
  type: string;
  state_key?: string;
  sender: string;
  room_id: string;
  content: JsonObject;
}

/** What a rule may ask of the room beyond the event. */
export interface PushContext {
  /** Joined members of the room. */
  memberCount: number;
  /** Whether the sender may notify with this key (`notifications` in power levels, e.g. "room"). */
  senderMayNotify(key: string): boolean;
}

export interface PushDecision {
  notify: boolean;
  tweaks: JsonObject;
}

/** What the rules (`{ override: [...], ..., underride: [...] }`) say for one event. */
export function evaluate(rules: JsonObject, event: PushEvent, context: PushContext): PushDecision {
  for (const kind of KIND_ORDER) {
    const list = rules[kind];
    if (!Array.isArray(list)) continue;
    for (const rule of list) {
      if (!isObject(rule) || rule.enabled !== true) continue;
      const conditions = Array.isArray(rule.conditions) ? rule.conditions : [];
      if (conditions.every((c) => isObject(c) && holds(c, event, context))) return decision(rule.actions);
    }
  }
  return { notify: false, tweaks: {} };
}

function decision(actions: unknown): PushDecision {
  const list = Array.isArray(actions) ? actions : [];
  const tweaks: JsonObject = {};
  for (const action of list) {
    if (isObject(action) && typeof action.set_tweak === "string") tweaks[action.set_tweak] = "value" in action ? action.value : true;
  }
  return { notify: list.includes("notify"), tweaks };
}

function holds(condition: JsonObject, event: PushEvent, context: PushContext): boolean {
  switch (condition.kind) {
    case "event_match": {
      const value = typeof condition.key === "string" ? valueAt(event, condition.key) : undefined;
      return typeof value === "string" && typeof condition.pattern === "string" && globMatches(condition.pattern, value);
    }
    case "event_property_is":
      return typeof condition.key === "string" && isScalar(condition.value) && valueAt(event, condition.key) === condition.value;
    case "event_property_contains": {
      const value = typeof condition.key === "string" ? valueAt(event, condition.key) : undefined;
      return Array.isArray(value) && isScalar(condition.value) && value.includes(condition.value);
    }
    case "room_member_count":
      return typeof condition.is === "string" && countMatches(condition.is, context.memberCount);
    case "sender_notification_permission":
      return typeof condition.key === "string" && context.senderMayNotify(condition.key);
    default:
      return false;
  }
}

const isScalar = (value: unknown) => value === null || ["string", "boolean", "number"].includes(typeof value);

/** The value at a dotted key (`content.m\.relates_to.rel_type`: `\.` is a dot inside a name, `\\` a backslash). */
export function valueAt(event: PushEvent, key: string): unknown {
  const parts: string[] = [];
  let part = "";
  for (let i = 0; i < key.length; i++) {
    const ch = key[i];
    if (ch === "\\" && (key[i + 1] === "." || key[i + 1] === "\\")) part += key[++i];
    else if (ch === ".") { parts.push(part); part = ""; }
    else part += ch;
  }
  parts.push(part);
  let value: unknown = event;
  for (const name of parts) {
    if (!isObject(value) || !Object.hasOwn(value, name)) return undefined;
    value = value[name];
  }
  return value;
}

/** Compiled globs: the default rules use a handful of patterns, each evaluated for every event. */
const globs = new Map<string, RegExp>();
const MAX_GLOBS = 1000;

/** A glob (`*` any run, `?` one character) against the whole value, case-insensitively. */
export function globMatches(pattern: string, value: string): boolean {
  let glob = globs.get(pattern);
  if (!glob) {
    const source = [...pattern].map((ch) => ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&")).join("");
    glob = new RegExp(`^${source}$`, "isu");
    // Patterns containing a user id (none of the defaults match on one) must not grow this without bound.
    if (globs.size < MAX_GLOBS) globs.set(pattern, glob);
  }
  return glob.test(value);
}

/** `room_member_count`'s `is`: a number with an optional `==`, `<`, `>`, `<=` or `>=` before it. */
function countMatches(is: string, count: number): boolean {
  const match = /^(==|<=|>=|<|>)?(\d+)$/.exec(is);
  if (!match) return false;
  const n = Number(match[2]);
  switch (match[1]) {
    case "<": return count < n;
    case ">": return count > n;
    case "<=": return count <= n;
    case ">=": return count >= n;
    default: return count === n;
  }
}
