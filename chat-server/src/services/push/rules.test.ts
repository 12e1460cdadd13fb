import { describe, expect, it } from "vitest";
import { defaultPushRules } from "../default-push-rules.ts";
import { evaluate, globMatches, type PushContext, type PushEvent, valueAt } from "./rules.ts";

const ME = "@mina:onsafe.example";
const room = (memberCount: number, senderMayNotify = false): PushContext => ({ memberCount, senderMayNotify: () => senderMayNotify });
const event = (type: string, content: Record<string, unknown>, extra: Partial<PushEvent> = {}): PushEvent =>
  ({ type, sender: "@bot-triage:onsafe.example", room_id: "!r:onsafe.example", content, ...extra });
const decide = (e: PushEvent, context = room(2)) => evaluate(defaultPushRules(ME), e, context);

describe("push rules (the spec's defaults)", () => {
  it("notifies with sound for an encrypted message in a room of two, and without in a bigger room", () => {
    expect(decide(event("m.room.encrypted", { algorithm: "m.megolm.v1.aes-sha2" }))).toEqual({ notify: true, tweaks: { sound: "default" } });
    expect(decide(event("m.room.encrypted", {}), room(3))).toEqual({ notify: true, tweaks: {} });
  });

  it("notifies with sound for an invite of me, and not for someone else's or other member events", () => {
    expect(decide(event("m.room.member", { membership: "invite" }, { state_key: ME }))).toEqual({ notify: true, tweaks: { sound: "default" } });
    expect(decide(event("m.room.member", { membership: "invite" }, { state_key: "@sora:onsafe.example" })).notify).toBe(false);
    expect(decide(event("m.room.member", { membership: "join" }, { state_key: ME })).notify).toBe(false);
  });

  it("suppresses notices, edits and reactions, and highlights mentions", () => {
    expect(decide(event("m.room.message", { msgtype: "m.notice", body: "x" })).notify).toBe(false);
    expect(decide(event("m.room.message", { msgtype: "m.text", body: "x", "m.relates_to": { rel_type: "m.replace" } })).notify).toBe(false);
    expect(decide(event("m.reaction", {})).notify).toBe(false);
    expect(decide(event("m.room.message", { msgtype: "m.text", body: "x", "m.mentions": { user_ids: [ME] } }), room(5)))
      .toEqual({ notify: true, tweaks: { sound: "default", highlight: true } });
    expect(decide(event("m.room.message", { msgtype: "m.text", body: "x", "m.mentions": { room: true } }), room(5, true)).tweaks).toEqual({ highlight: true });
    expect(decide(event("m.room.message", { msgtype: "m.text", body: "x", "m.mentions": { room: true } }), room(5, false))).toEqual({ notify: true, tweaks: {} });
  });

  it("does nothing for state and unknown events", () => {
    expect(decide(event("m.room.name", { name: "x" }, { state_key: "" })).notify).toBe(false);
    expect(decide(event("org.onsafe.whatever", {})).notify).toBe(false);
  });
});

describe("rule pieces", () => {
  it("matches globs on the whole value, case-insensitively", () => {
    expect(globMatches("m.room.*", "M.Room.Message")).toBe(true);
    expect(globMatches("m.?oom", "m.room")).toBe(true);
    expect(globMatches("m.room", "m.room.message")).toBe(false);
    expect(globMatches("a.b", "axb")).toBe(false);
  });

  it("reads dotted keys with escaped dots", () => {
    const e = event("t", { "m.relates_to": { rel_type: "m.replace" }, a: { b: 1 } });
    expect(valueAt(e, "content.m\\.relates_to.rel_type")).toBe("m.replace");
    expect(valueAt(e, "content.a.b")).toBe(1);
    expect(valueAt(e, "content.m.relates_to")).toBeUndefined();
  });
});
