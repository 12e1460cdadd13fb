import { beforeEach, describe, expect, it } from "vitest";
import { PartnerDirectory } from "../partners/directory.ts";
import { queueFixture, type Fixture } from "../queue/test-fixture.ts";
import type { CaseRow, Partner, StaffMember } from "../storage/index.ts";
import { ReferralDesks } from "./desk.ts";
import { Referrals } from "./referral-flow.ts";
import { RecordingDeskRooms, RecordingRooms } from "./test-fixture.ts";

const SUMMARY = "Wants the forum posts taken down before anything else.";

let f: Fixture;
let desk: RecordingDeskRooms;
let referralRooms: RecordingRooms;
let desks: ReferralDesks;
let mina: StaffMember;
let c: CaseRow;
let legalAid: Partner;
let ts = 1;

const roomId = () => f.tables.referralDesks.of(c.id, mina.userId)!.roomId;
const state = () => f.tables.referralDesks.of(c.id, mina.userId)!;

/** Mina writes `body` in her desk (tapping `optionId` of the open question if given); returns the event id. */
async function write(body: string, optionId?: string, eventId = `$m${ts}`): Promise<string> {
  const prompt = desk.lastPrompt();
  desk.written.set(eventId, body);
  await desks.onMessage({
    roomId: roomId(), sender: mina.userId, eventId, ts: ts++, body,
    answer: optionId ? { prompt_id: prompt.id, option_id: optionId } : undefined,
  });
  return eventId;
}

beforeEach(async () => {
  f = await queueFixture();
  desk = new RecordingDeskRooms();
  referralRooms = new RecordingRooms();
  const partners = new PartnerDirectory(f.tables, f.clock);
  legalAid = partners.create({
    kind: "legal_aid", name: { ko: "법률구조공단", en: "Legal Aid" }, about: { ko: "법률 상담", en: "Legal advice" },
    region: "Seoul", languages: ["ko"], hours: "9-18", contact: "132", staffIds: [],
  });
  const referrals = new Referrals(f.tables, f.clock, referralRooms, (id) => f.tables.partners.byId(id));
  desks = new ReferralDesks(f.tables, f.clock, desk, referrals);
  await f.staffMember("mina", { languages: ["en", "ko"] });
  mina = f.tables.staff.get("@mina:test")!;
  c = await f.staffCases.claim((await f.queuedCase("a")).id, mina);
  await desks.open(c, mina, "$join1");
});

describe("the referral desk", () => {
  it("asks in the companion's first language and sends only after Send, with the summary read back from the room", async () => {
    expect(desk.lastBody()).toContain(`Case ${c.id}`);
    expect(desk.lastPrompt().options.map((o: { id: string }) => o.id)).toEqual([legalAid.id, "cancel"]);
    await write("1");
    await write("yes");
    await write("Yes", "yes");
    await write(SUMMARY);
    // Legal Aid has no account here: contact in a chat is not offered, the confirmation says a letter is given.
    expect(state()).toMatchObject({ step: "confirm", items: ["category", "summary"] });
    // Only the event id is kept; the words stay in the room.
    expect(JSON.stringify(state())).not.toContain(SUMMARY);
    expect(desk.lastBody()).toContain(SUMMARY);
    expect(desk.lastBody()).toContain("no contact in a chat is offered");
    expect(referralRooms.sent).toHaveLength(0);
    await write("send");
    expect(desk.lastBody()).toMatch(/^Sent\./);
    const [r] = f.tables.referrals.ofCase(c.id);
    expect(r).toMatchObject({ partnerId: legalAid.id, companionId: mina.userId, itemsOffered: ["category", "summary"] });
    expect(referralRooms.sent[0].content["org.onsafe.referral_summary"]).toBe(SUMMARY);
  });

  it("a Send seen twice (a restart) offers once", async () => {
    await write("1");
    await write("yes");
    await write("no");
    const send = await write("send");
    await desks.onMessage({ roomId: roomId(), sender: mina.userId, eventId: send, ts: ts - 1, body: "send" });
    expect(f.tables.referrals.ofCase(c.id)).toHaveLength(1);
  });

  it("contact in a chat is asked only for a partner with accounts here, and offered when chosen", async () => {
    f.tables.staff.upsert({ userId: "@pat:test", kind: "partner", displayName: "Pat", languages: ["ko"], capacity: 0 });
    const withStaff = new PartnerDirectory(f.tables, f.clock).create({
      kind: "treatment", name: { ko: "상담센터", en: "Counselling centre" }, about: { ko: "심리 상담", en: "Therapy" },
      region: "Seoul", languages: ["ko"], hours: "9-18", contact: "1577", staffIds: ["@pat:test"],
    });
    await desks.open(c, mina, "$join2");
    await write("Counselling centre", withStaff.id);
    await write("yes");
    await write("no");
    expect(state().step).toBe("contact");
    expect(desk.lastBody()).toContain("encrypted chat");
    await write("yes");
    expect(desk.lastBody()).not.toContain("no contact in a chat is offered");
    await write("send");
    expect(f.tables.referrals.ofCase(c.id)[0]).toMatchObject({ partnerId: withStaff.id, itemsOffered: ["category", "contact"] });
  });

  it("a number while the summary is awaited is the summary; a summary too long is asked again", async () => {
    await write("1");
    await write("no");
    await write("yes");
    await write("x".repeat(2001));
    expect(desk.lastBody()).toContain("2001 characters");
    expect(state().step).toBe("summary_text");
    await write("2");
    expect(state().step).toBe("confirm");
    expect(desk.written.get(state().summaryEventId!)).toBe("2");
  });

  it("nothing chosen sends nothing; Cancel at any step sends nothing", async () => {
    await write("1");
    await write("no");
    await write("no");
    expect(desk.lastBody()).toContain("Nothing was chosen");
    expect(state().step).toBe("idle");
    await desks.open(c, mina, "$join2");
    await write("1");
    await write("cancel");
    expect(desk.lastBody()).toContain("Cancelled");
    expect(f.tables.referrals.ofCase(c.id)).toHaveLength(0);
  });

  it("words of anyone else, and of the companion between conversations, are not taken", async () => {
    await desks.onMessage({ roomId: roomId(), sender: "@someone:test", eventId: "$x", ts: ts++, body: "1" });
    expect(state().step).toBe("partner");
    await write("cancel");
    const said = desk.sent.length;
    await write("1");
    expect(desk.sent).toHaveLength(said);
  });

  it("a case no longer the companion's: the offer is refused and the companion told why", async () => {
    await write("1");
    await write("yes");
    await write("no");
    await f.staffCases.close(c.id, mina, "supported");
    await write("send");
    expect(desk.lastBody()).toMatch(/^Not sent: /);
    expect(f.tables.referrals.ofCase(c.id)).toHaveLength(0);
  });

  it("a summary that cannot be read back is asked for again, not sent empty", async () => {
    await write("1");
    await write("no");
    await write("yes");
    const id = await write(SUMMARY);
    desk.written.delete(id);
    await write("send");
    expect(state().step).toBe("summary_text");
    expect(desk.lastBody()).toContain("could not read the summary");
    expect(f.tables.referrals.ofCase(c.id)).toHaveLength(0);
  });
});
