import { describe, expect, it } from "vitest";
import { chatItems, type TimelineEvent, type VisitItem } from "./timeline.ts";

const ME = "@v-abc:localhost";
const BOT = "@onsafe-scheduling:localhost";
const MINA = "@mina:localhost";
let n = 0;

function ev(sender: string, content: Record<string, unknown>): TimelineEvent {
  n += 1;
  return { id: `$v${n}`, sender, ts: n, type: "m.room.message", content, delivery: "sent" };
}
const manage = { id: "manage-a-abc123", options: [{ id: "change", label: "Change the time" }, { id: "cancel", label: "Cancel" }] };
const visit = (stage: string, extra: Record<string, unknown> = {}) => ({
  stage, appointment_id: "a-abc123", kind: "counselling_visit", starts_at: 1_800_000_000_000, ends_at: 1_800_003_600_000, time_zone: "Asia/Seoul", place: "public_place", address: "Cafe Onda", ...extra,
});
const confirmed = (extra: Record<string, unknown> = {}) =>
  ev(BOT, { msgtype: "m.notice", body: "Your appointment is set.\n\nBring: nothing\n\n1. Change the time\n2. Cancel", "org.onsafe.prompt": manage, "org.onsafe.visit": visit("confirmed", extra) });
const ics = () => ev(BOT, {
  msgtype: "m.file", body: "appointment.ics", info: { mimetype: "text/calendar" },
  file: { v: "v2", url: "mxc://localhost/abc", key: { kty: "oct", k: "x" }, iv: "AAAAAAAAAAAAAAAAAAAAAA", hashes: { sha256: "h" } },
});
const visits = (items: ReturnType<typeof chatItems>) => items.filter((i): i is VisitItem => i.kind === "visit");

describe("the scheduling bot's messages", () => {
  it("draws a confirmation as a card that carries the .ics file after it, keeping its buttons", () => {
    const items = chatItems([confirmed(), ics()], ME, null);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: "visit", body: "Your appointment is set.\n\nBring: nothing", active: true, status: "current", prompt: { promptId: "manage-a-abc123" } });
    expect(visits(items)[0]!.calendar).toMatchObject({ kind: "file", mimetype: "text/calendar", file: { url: "mxc://localhost/abc" } });
  });

  it("keeps the buttons after a reminder, and drops them once the bot says something else", () => {
    const reminder = ev(BOT, { msgtype: "m.notice", body: "Your appointment is in one hour.", "org.onsafe.visit": visit("reminder") });
    expect(visits(chatItems([confirmed(), ics(), reminder], ME, null)).map((v) => v.active)).toEqual([true, false]);
    const notice = ev(BOT, { msgtype: "m.notice", body: "Cancel this appointment?" });
    expect(visits(chatItems([confirmed(), ics(), notice], ME, null))[0]!.active).toBe(false);
  });

  it("marks a confirmation changed by a later one, or cancelled, so only the current one reads as booked", () => {
    const cancelled = ev(BOT, { msgtype: "m.notice", body: "The appointment is cancelled.", "org.onsafe.visit": visit("cancelled") });
    expect(visits(chatItems([confirmed(), ics(), cancelled], ME, null)).map((v) => v.status)).toEqual(["cancelled", "current"]);
    const items = visits(chatItems([confirmed(), ics(), confirmed({ starts_at: 1_800_090_000_000 }), ics()], ME, null));
    expect(items.map((v) => [v.status, v.calendar !== undefined])).toEqual([["changed", true], ["current", true]]);
  });

  it("keeps the typed address when the time changes (the bot does not repeat it)", () => {
    const items = visits(chatItems([confirmed(), ics(), confirmed({ starts_at: 1_800_090_000_000, address: null })], ME, null));
    expect(items.map((v) => v.visit.address)).toEqual(["Cafe Onda", "Cafe Onda"]);
    const later = visits(chatItems([confirmed({ address: null }), confirmed({ address: null })], ME, null));
    expect(later.map((v) => v.visit.address)).toEqual([null, null]);
  });

  it("takes a card only from a bot: the same field from a person is their message", () => {
    const fake = ev(MINA, { msgtype: "m.text", body: "Your appointment is set.", "org.onsafe.visit": visit("confirmed") });
    expect(chatItems([fake], ME, null)[0]).toMatchObject({ kind: "message", sender: "other" });
  });

  it("leaves a time proposal an ordinary question with buttons", () => {
    const proposal = ev(BOT, { msgtype: "m.notice", body: "Pick a time\n\n1. Fri 2 PM", "org.onsafe.prompt": { id: "time-a-abc123", options: [{ id: "s-aaaaaa", label: "Fri 2 PM" }] }, "org.onsafe.visit": visit("proposal") });
    expect(chatItems([proposal], ME, null)[0]).toMatchObject({ kind: "prompt", active: true, body: "Pick a time" });
  });
});
