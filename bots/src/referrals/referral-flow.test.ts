import { beforeEach, describe, expect, it } from "vitest";
import { queueFixture, type Fixture } from "../queue/test-fixture.ts";
import type { CaseRow, StaffMember } from "../storage/index.ts";
import { PartnerDirectory } from "../partners/directory.ts";
import { type PartnerInfo, Referrals } from "./referral-flow.ts";
import { RecordingRooms } from "./test-fixture.ts";

const SUMMARY = "Needs help with a complaint.";

let PARTNER: PartnerInfo;
let f: Fixture;
let rooms: RecordingRooms;
let referrals: Referrals;
let mina: StaffMember;
let c: CaseRow;
let ts = 1;

async function say(body: string, answer?: { prompt_id: string; option_id: string }, eventId = `$v${ts}`) {
  await referrals.onVictimMessage({ roomId: roomOf(), sender: c.visitorId, eventId, ts: ts++, body, answer });
}
/** A partner with no staff accounts: the victim gets a letter. */
const partnerWithoutAccount = () => new PartnerDirectory(f.tables, f.clock).create({
  kind: "content_deletion", name: { ko: "삭제지원센터", en: "Deletion centre" }, about: { ko: "삭제 지원", en: "Deletion" },
  region: "Seoul", languages: ["ko"], hours: "9-18", contact: "02-735-8994", staffIds: [],
});
const roomOf = () => f.tables.referrals.ofCase(c.id).at(-1)!.roomId!;
const latest = () => f.tables.referrals.ofCase(c.id).at(-1)!;

beforeEach(async () => {
  f = await queueFixture();
  rooms = new RecordingRooms();
  f.tables.staff.upsert({ userId: "@pat:test", kind: "partner", displayName: "Pat", languages: ["ko"], capacity: 0 });
  PARTNER = new PartnerDirectory(f.tables, f.clock).create({
    kind: "legal_aid", name: { ko: "법률구조공단", en: "Legal Aid" }, about: { ko: "법률 상담", en: "Legal advice" },
    region: "Seoul", languages: ["ko"], hours: "9-18", contact: "132", staffIds: ["@pat:test"],
  });
  referrals = new Referrals(f.tables, f.clock, rooms, (id) => f.tables.partners.byId(id));
  await f.staffMember("mina");
  mina = f.tables.staff.get("@mina:test")!;
  const queued = await f.queuedCase("a");
  c = await f.staffCases.claim(queued.id, mina);
});

describe("consent item by item", () => {
  it("asks in a fixed order, takes typed answers in either language, and hands over only what was agreed", async () => {
    await referrals.offer(c.id, mina, PARTNER.id, ["contact", "summary", "category"], SUMMARY);
    expect(rooms.sent[0].content.body).toContain("법률구조공단");
    expect(rooms.lastPrompt().id).toMatch(/\.category$/);
    await say("네");
    expect(rooms.lastPrompt().id).toMatch(/\.summary$/);
    expect(rooms.sent.at(-1)!.content.body).toContain(SUMMARY);
    await say("2");
    await say("yes");
    expect(latest()).toMatchObject({ status: "consented", itemsConsented: ["category", "contact"], step: "done" });
    expect(rooms.invited).toEqual(["@pat:test"]);

    const first = rooms.sent.at(-1)!.content;
    expect(first["org.onsafe.referral"]).toMatchObject({ stage: "handoff", items: ["category", "contact"] });
    await referrals.onJoin(roomOf(), "@pat:test", "$join-pat");
    // Posted again for the devices the partner joined with; the same words, once per join.
    const again = rooms.sent.at(-1)!.content;
    expect(again.event_id).not.toBe(first.event_id);
    expect(again.body).toBe(first.body);
    expect(again.body).not.toContain(SUMMARY);
    expect(latest().status).toBe("accepted");
    const count = rooms.sent.length;
    await referrals.onJoin(roomOf(), "@pat:test", "$join-pat");
    await referrals.onJoin(roomOf(), c.visitorId, "$join-victim");
    expect(rooms.sent).toHaveLength(count);
  });

  it("a partner without an account: the letter as text, then the same letter as a PDF marked as the referral's letter", async () => {
    const centre = partnerWithoutAccount();
    await referrals.offer(c.id, mina, centre.id, ["category", "summary"], SUMMARY);
    await say("네");
    await say("네");
    const letter = rooms.sent.at(-1)!.content;
    expect(letter["org.onsafe.referral"]).toMatchObject({ stage: "letter", items: ["category", "summary"] });
    expect(rooms.files).toHaveLength(1);
    const [{ file, after }] = rooms.files;
    expect(after).toBe(rooms.sent.length);
    expect(file).toMatchObject({ name: "letter.pdf", body: "letter.pdf", mimetype: "application/pdf" });
    expect(file.fields).toEqual({ "org.onsafe.referral": { stage: "letter", referral_id: latest().id, partner_id: centre.id, items: ["category", "summary"] } });
    expect(Buffer.from(file.bytes.subarray(0, 5)).toString()).toBe("%PDF-");
    // Nothing reached the partner: the victim has the letter and contacts them (issue 19: it said "accepted").
    expect(latest()).toMatchObject({ status: "letter_given", acceptedAt: null, consentedAt: expect.any(Number) });
    expect(letter.body).not.toMatch(/this encrypted chat|암호화된 대화방/);
    expect(letter["org.onsafe.referral"].status).toBe("letter_given");
  });

  it("a letter-only partner is never offered contact in a chat: refused, nothing recorded, nothing asked", async () => {
    const centre = partnerWithoutAccount();
    await expect(referrals.offer(c.id, mina, centre.id, ["category", "contact"], undefined)).rejects.toMatchObject({ errcode: "M_INVALID_PARAM" });
    expect(f.tables.referrals.ofCase(c.id)).toEqual([]);
    expect(rooms.sent).toEqual([]);
  });

  it("a letter can be marked completed, and its consent withdrawn, like a hand-off", async () => {
    const centre = partnerWithoutAccount();
    await referrals.offer(c.id, mina, centre.id, ["category"], undefined);
    await say("네");
    expect(latest().status).toBe("letter_given");
    await say("Withdraw my consent", { prompt_id: `${latest().id}.withdraw`, option_id: "withdraw" });
    expect(latest().status).toBe("withdrawn");
    expect(rooms.removed).toEqual([]);
    // A later offer, so that `latest` (ordered by creation time, then by random id) is this one.
    f.clock.advance(1000);
    await referrals.offer(c.id, mina, centre.id, ["category"], undefined);
    await say("네");
    expect((await referrals.complete(latest().id, mina)).status).toBe("completed");
  });

  it("a PDF that cannot be sent leaves the text letter and the referral's letter given", async () => {
    const centre = partnerWithoutAccount();
    rooms.failFile = true;
    await referrals.offer(c.id, mina, centre.id, ["category"], undefined);
    await say("네");
    expect(rooms.sent.at(-1)!.content["org.onsafe.referral"]).toMatchObject({ stage: "letter" });
    expect(latest().status).toBe("letter_given");
  });

  it("a finish cut short (the bot stopped before the hand-off) is finished after a restart, repeating nothing", async () => {
    await referrals.offer(c.id, mina, PARTNER.id, ["category", "contact"], undefined);
    await say("yes");
    rooms.failSendOf = "handoff";
    await expect(say("yes")).rejects.toThrow("connection lost");
    expect(latest()).toMatchObject({ status: "offered", step: "done", itemsConsented: ["category", "contact"] });
    const told = rooms.sent.length;

    await referrals.resumeUnfinished();
    expect(latest()).toMatchObject({ status: "consented", step: "done" });
    // The "invited" notice went out before the stop: sent again, it is the same event, not a second one.
    expect(rooms.sent.length).toBe(told + 1);
    expect(rooms.sent.at(-1)!.content["org.onsafe.referral"]).toMatchObject({ stage: "handoff", items: ["category", "contact"] });
    expect(latest().handoffEventId).toBe(rooms.sent.at(-1)!.content.event_id);
    await referrals.resumeUnfinished();
    expect(rooms.sent.length).toBe(told + 1);
  });

  it("a decline cut short is recorded as declined after a restart, with the earlier yes forgotten", async () => {
    await referrals.offer(c.id, mina, PARTNER.id, ["category", "contact"], undefined);
    await say("yes");
    rooms.failSendOf = "declined";
    await expect(say("decline")).rejects.toThrow("connection lost");
    await referrals.resumeUnfinished();
    expect(latest()).toMatchObject({ status: "declined", itemsConsented: [] });
    expect(rooms.invited).toEqual([]);
  });

  it("never takes one message as the answer to two questions", async () => {
    await referrals.offer(c.id, mina, PARTNER.id, ["category", "summary"], SUMMARY);
    await say("1", undefined, "$same");
    ts--;
    await say("1", undefined, "$same");
    expect(latest()).toMatchObject({ itemsConsented: ["category"], step: "summary" });
  });

  it("asks the open question again for a button of an earlier one", async () => {
    await referrals.offer(c.id, mina, PARTNER.id, ["category", "summary"], SUMMARY);
    const first = rooms.lastPrompt();
    await say("Yes", { prompt_id: first.id, option_id: "yes" });
    const count = rooms.sent.length;
    await say("No", { prompt_id: first.id, option_id: "no" });
    expect(rooms.sent.length).toBe(count + 1);
    expect(rooms.lastPrompt().id).toMatch(/\.summary$/);
    expect(latest()).toMatchObject({ itemsConsented: ["category"], step: "summary" });
  });

  it("ignores anyone but the victim", async () => {
    await referrals.offer(c.id, mina, PARTNER.id, ["category"], undefined);
    await referrals.onVictimMessage({ roomId: roomOf(), sender: mina.userId, eventId: "$m", ts: ts++, body: "yes" });
    expect(latest()).toMatchObject({ status: "offered", itemsConsented: [] });
  });

  it("refuses bad offers: no items, unknown items, a summary item without text, an unknown partner, someone else's case", async () => {
    await expect(referrals.offer(c.id, mina, PARTNER.id, [], undefined)).rejects.toMatchObject({ errcode: "M_INVALID_PARAM" });
    await expect(referrals.offer(c.id, mina, PARTNER.id, ["photos"], undefined)).rejects.toMatchObject({ errcode: "M_INVALID_PARAM" });
    await expect(referrals.offer(c.id, mina, PARTNER.id, ["summary"], "  ")).rejects.toMatchObject({ errcode: "M_INVALID_PARAM" });
    await expect(referrals.offer(c.id, mina, "p-none00", ["category"], undefined)).rejects.toMatchObject({ errcode: "M_NOT_FOUND" });
    await f.staffMember("jun");
    await expect(referrals.offer(c.id, f.tables.staff.get("@jun:test")!, PARTNER.id, ["category"], undefined)).rejects.toMatchObject({ errcode: "M_FORBIDDEN" });
    // Nor a supervisor: the victim would be brought into a room with someone their case is not with.
    await expect(referrals.offer(c.id, { ...mina, userId: "@boss:test", kind: "supervisor" }, PARTNER.id, ["category"], undefined)).rejects.toMatchObject({ errcode: "M_FORBIDDEN" });
    expect(f.tables.referrals.ofCase(c.id)).toEqual([]);
    expect(rooms.sent).toEqual([]);
  });
});
