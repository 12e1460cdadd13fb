import { type JsonObject } from "@onsafe/matrix-basics";
/**
 * The server-default push rules of the Client-Server API ("Predefined Rules"),
 * as data. Encrypted rooms notify per the `m.room.encrypted` underride rules,
 * since the server cannot read message bodies.
 */

const rule = (rule_id: string, conditions: JsonObject[] | undefined, actions: unknown[], enabled = true): JsonObject => ({
  rule_id, default: true, enabled, actions, ...(conditions ? { conditions } : {}),
});
const event = (key: string, pattern: string) => ({ kind: "event_match", key, pattern });
const NOTIFY = ["notify"];
const SOUND = (sound: string) => ({ set_tweak: "sound", value: sound });
const HIGHLIGHT = { set_tweak: "highlight" };

export function defaultPushRules(userId: string): JsonObject {
  return {
    override: [
      rule(".m.rule.master", [], [], false),
      rule(".m.rule.suppress_notices", [event("content.msgtype", "m.notice")], []),
      rule(".m.rule.invite_for_me", [event("type", "m.room.member"), event("content.membership", "invite"), event("state_key", userId)], [...NOTIFY, SOUND("default")]),
      rule(".m.rule.member_event", [event("type", "m.room.member")], []),
      rule(".m.rule.is_user_mention", [{ kind: "event_property_contains", key: "content.m\\.mentions.user_ids", value: userId }], [...NOTIFY, SOUND("default"), HIGHLIGHT]),
      rule(".m.rule.is_room_mention", [{ kind: "event_property_is", key: "content.m\\.mentions.room", value: true }, { kind: "sender_notification_permission", key: "room" }], [...NOTIFY, HIGHLIGHT]),
      rule(".m.rule.tombstone", [event("type", "m.room.tombstone"), event("state_key", "")], [...NOTIFY, HIGHLIGHT]),
      rule(".m.rule.reaction", [event("type", "m.reaction")], []),
      rule(".m.rule.room.server_acl", [event("type", "m.room.server_acl"), event("state_key", "")], []),
      rule(".m.rule.suppress_edits", [{ kind: "event_property_is", key: "content.m\\.relates_to.rel_type", value: "m.replace" }], []),
    ],
    content: [],
    room: [],
    sender: [],
    underride: [
      rule(".m.rule.call", [event("type", "m.call.invite")], [...NOTIFY, SOUND("ring")]),
      rule(".m.rule.encrypted_room_one_to_one", [{ kind: "room_member_count", is: "2" }, event("type", "m.room.encrypted")], [...NOTIFY, SOUND("default")]),
      rule(".m.rule.room_one_to_one", [{ kind: "room_member_count", is: "2" }, event("type", "m.room.message")], [...NOTIFY, SOUND("default")]),
      rule(".m.rule.message", [event("type", "m.room.message")], NOTIFY),
      rule(".m.rule.encrypted", [event("type", "m.room.encrypted")], NOTIFY),
    ],
  };
}
