import { describe, expect, it } from "vitest";
import { partnerName } from "./referrals.ts";
import { chatItems, type TimelineEvent } from "./timeline.ts";

const ME = "@v-abc:localhost";
const BOT = "@onsafe-referral:localhost";
const PAT = "@pat:localhost";
const isBot = (sender: string) => sender === BOT;
let n = 0;

function ev(sender: string, content: Record<string, unknown>): TimelineEvent {
  n += 1;
  return { id: `$e${n}`, sender, ts: n, type: "m.room.message", content, delivery: "sent" };
}
const referral = (stage: string, extra: Record<string, unknown> = {}) => ({ "org.onsafe.referral": { stage, referral_id: "r-abc123", partner_id: "p-abc123", ...extra } });
const withdrawPrompt = { "org.onsafe.prompt": { id: "r-abc123.withdraw", options: [{ id: "withdraw", label: "Withdraw my consent" }] } };
const offer = ev(BOT, { msgtype: "m.notice", body: "Your counsellor would like to connect you with Legal Aid.\n\nLegal Aid: Free legal advice\nRegion: Seoul\n\nOnly what you agree to is shared.", ...referral("offer", { partner_name: "Legal Aid" }) });
const invited = ev(BOT, { msgtype: "m.notice", body: "I've invited Legal Aid.\n\n1. Withdraw my consent", ...withdrawPrompt, ...referral("consent", { status: "consented" }) });
const handoff = ev(BOT, { msgtype: "m.notice", body: "onsafe referral r-abc123.", ...referral("handoff", { items: ["category"] }) });
const withdrawn = ev(BOT, { msgtype: "m.notice", body: "Your consent is withdrawn.", ...referral("status", { status: "withdrawn" }) });
const letter = ev(BOT, {
  msgtype: "m.notice",
  body: "A referral letter.\n\nTo: Deletion centre\nContact: 02-735-8994\n\nKind of harm: deepfake\n\nIf you change your mind, press the button below.\n\n1. Withdraw my consent",
  ...withdrawPrompt,
  ...referral("letter", { status: "accepted" }),
});

describe("referral rooms", () => {
  it("reads the partner's name from the bot's offer only", () => {
    expect(partnerName([offer], isBot)).toBe("Legal Aid");
    expect(partnerName([{ ...offer, sender: PAT }], isBot)).toBeNull();
    expect(partnerName([], isBot)).toBeNull();
  });

  it("keeps 'Withdraw my consent' after the hand-off and the partner's messages, and ends it with the withdrawal", () => {
    const active = (events: TimelineEvent[]) => chatItems(events, ME, null).filter((i) => i.kind === "prompt" && i.active).map((i) => i.id);
    expect(active([offer, invited, handoff, ev(PAT, { msgtype: "m.text", body: "Hello" })])).toEqual([invited.id]);
    expect(active([offer, invited, handoff, withdrawn])).toEqual([]);
  });

  it("tells the hand-off apart from the bot's other words (the partner's console pins it)", () => {
    const items = chatItems([invited, handoff, ev(PAT, { msgtype: "m.text", body: "Hello" })], PAT, null);
    expect(items.map((i) => i.kind)).toEqual(["prompt", "handoff", "message"]);
    expect(items[1]).toEqual({ kind: "handoff", id: handoff.id, body: "onsafe referral r-abc123." });
  });

  it("shows the hand-off once when it is posted again for a partner who joined later", () => {
    const again = ev(BOT, { msgtype: "m.notice", body: "onsafe referral r-abc123.", ...referral("handoff", { items: ["category"] }) });
    const items = chatItems([invited, handoff, ev(PAT, { msgtype: "m.text", body: "Hello" }), again], ME, null);
    expect(items.map((i) => i.kind)).toEqual(["prompt", "handoff", "message"]);
  });

  it("draws the letter as a card with its withdraw button, marked once consent is withdrawn", () => {
    const [card] = chatItems([letter], ME, null);
    expect(card).toMatchObject({ kind: "letter", active: true, withdrawn: false, prompt: { promptId: "r-abc123.withdraw" } });
    expect(card!.kind === "letter" && card.body).not.toContain("1. Withdraw");
    const [after] = chatItems([letter, withdrawn], ME, null);
    expect(after).toMatchObject({ kind: "letter", active: false, withdrawn: true });
  });

  it("puts the letter's PDF on the letter's card, keeping its withdraw button; an unmarked file stays a message", () => {
    const file = { url: "mxc://localhost/abc", key: { kty: "oct", k: "a2V5" }, iv: "aXY", hashes: { sha256: "aGFzaA" } };
    const pdf = ev(BOT, { msgtype: "m.file", body: "letter.pdf", info: { mimetype: "application/pdf" }, file, ...referral("letter") });
    const items = chatItems([letter, pdf], ME, null);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: "letter", active: true, pdf: { kind: "file", mimetype: "application/pdf", file } });
    const other = ev(BOT, { msgtype: "m.file", body: "other.pdf", info: { mimetype: "application/pdf" }, file });
    expect(chatItems([letter, other], ME, null).map((i) => i.kind)).toEqual(["letter", "message"]);
  });
});
