/** Transfers are offers (docs/SHIFT.md "Transfer"): accept, decline, undo and timeout, and what moves with the case. */
import { beforeEach, describe, expect, it } from "vitest";
import type { CaseRow, StaffMember } from "../storage/index.ts";
import { type Fixture, OFFER_TIMEOUT_MS, queueFixture } from "./test-fixture.ts";

let q: Fixture;
let mina: StaffMember;
let jun: StaffMember;
let boss: StaffMember;
let c: CaseRow;
beforeEach(async () => {
  q = await queueFixture();
  mina = q.staff.get(await q.staffMember("mina"))!;
  jun = q.staff.get(await q.staffMember("jun"))!;
  boss = q.staff.get(await q.staffMember("boss", { kind: "supervisor" }))!;
  c = await q.queuedCase("v1");
  await q.staffCases.claim(c.id, mina);
  q.cases.markHandedOff(c.id);
  q.actions.calls = [];
});

const errcode = (p: Promise<unknown>) => p.then(() => "ok", (e: { errcode?: string }) => e.errcode);
const sync = (f: () => unknown) => errcode(Promise.resolve().then(f));
const assignedTo = () => q.cases.get(c.id)!.assignedTo;

describe("a transfer is an offer", () => {
  it("the case stays with its companion until the colleague accepts; the colleague sees it as an offer from them", async () => {
    const { invited, expiresAt } = await q.staffCases.transfer(c.id, mina, jun.userId);
    expect(invited).toBe(false);
    expect(expiresAt).toBe(q.clock.now() + OFFER_TIMEOUT_MS);
    expect(assignedTo()).toBe(mina.userId);
    expect(q.staffCases.mine(mina.userId).map((x) => x.id)).toEqual([c.id]);
    const offer = q.staffCases.queue(jun).find((e) => e.c.id === c.id);
    expect(offer).toMatchObject({ offeredTo: jun.userId, transferFrom: mina.userId, offerExpiresAt: expiresAt, position: 0 });
    // A third colleague does not see someone else's transfer; the colleague may open the case.
    const ana = q.staff.get(await q.staffMember("ana"))!;
    expect(q.staffCases.queue(ana).some((e) => e.c.id === c.id)).toBe(false);
    expect(q.staffCases.view(c.id, jun).c.id).toBe(c.id);
    expect(await errcode(q.staffCases.transfer(c.id, mina, boss.userId))).toBe("M_BAD_STATE");
  });

  it("accept moves the case, its appointments and its referrals to the colleague", async () => {
    const now = q.clock.now();
    q.tables.appointments.insert({ id: "a-000001", caseId: c.id, companionId: mina.userId, kind: "police_interview", step: "time", createdAt: now });
    q.tables.partners.insert({
      id: "p-legal1", kind: "legal_aid", name: { ko: "법률", en: "Legal" }, about: { ko: "상담", en: "Advice" }, region: "Seoul",
      languages: ["ko"], hours: "9-18", contact: "132", staffIds: [], active: true, createdAt: now, updatedAt: now,
    });
    q.tables.referrals.insert({ id: "r-000001", caseId: c.id, partnerId: "p-legal1", companionId: mina.userId, itemsOffered: ["category"], createdAt: now });
    await q.staffCases.transfer(c.id, mina, jun.userId);
    expect(await sync(() => q.staffCases.acceptTransfer(c.id, boss))).toBe("M_BAD_STATE");
    q.clock.advance(1000);
    const moved = q.staffCases.acceptTransfer(c.id, jun);
    expect(moved).toMatchObject({ status: "assigned", assignedTo: jun.userId, assignedAt: q.clock.now() });
    expect(q.tables.appointments.byId("a-000001")!.companionId).toBe(jun.userId);
    expect(q.tables.referrals.byId("r-000001")!.companionId).toBe(jun.userId);
    expect(q.staffCases.queue(jun).some((e) => e.c.id === c.id)).toBe(false);
    expect(q.tables.log.forCase(c.id).slice(-2).map((l) => [l.kind, l.actor])).toEqual([["transfer_offered", mina.userId], ["transferred", jun.userId]]);
    expect(await sync(() => q.staffCases.acceptTransfer(c.id, jun))).toBe("M_BAD_STATE");
    // The transferring console asks how it ended; a colleague it does not concern is not told.
    expect(q.staffCases.latestTransfer(c.id, mina)).toMatchObject({ status: "accepted", transferFrom: mina.userId, companionId: jun.userId });
    const ana = q.staff.get(await q.staffMember("ana"))!;
    expect(await sync(() => q.staffCases.latestTransfer(c.id, ana))).toBe("M_NOT_FOUND");
  });

  it("decline leaves the case with its companion; only the colleague offered may decline", async () => {
    await q.staffCases.transfer(c.id, mina, jun.userId);
    expect(await errcode(q.staffCases.declineTransfer(c.id, boss))).toBe("M_BAD_STATE");
    await q.staffCases.declineTransfer(c.id, jun);
    expect(assignedTo()).toBe(mina.userId);
    expect(q.staffCases.pendingTransfer(c.id)).toBeNull();
    expect(await sync(() => q.staffCases.acceptTransfer(c.id, jun))).toBe("M_BAD_STATE");
    // Declining is no refusal of the case if it is queued again later.
    expect(q.tables.offers.pastFor(c.id).some((o) => o.companionId === jun.userId)).toBe(false);
  });

  it("undo: the companion (or a supervisor) takes it back while it waits; then accepting fails", async () => {
    await q.staffCases.transfer(c.id, mina, jun.userId);
    expect(await errcode(q.staffCases.undoTransfer(c.id, jun))).toBe("M_FORBIDDEN");
    await q.staffCases.undoTransfer(c.id, mina);
    expect(await sync(() => q.staffCases.acceptTransfer(c.id, jun))).toBe("M_BAD_STATE");
    expect(assignedTo()).toBe(mina.userId);
    expect(await errcode(q.staffCases.undoTransfer(c.id, mina))).toBe("M_BAD_STATE");
    await q.staffCases.transfer(c.id, mina, jun.userId);
    await q.staffCases.undoTransfer(c.id, boss);
    expect(q.tables.log.forCase(c.id).at(-1)).toMatchObject({ kind: "transfer_withdrawn", actor: boss.userId });
  });

  it("an offer nobody accepts in time returns the case: it stays assigned to its companion, not queued", async () => {
    await q.staffCases.transfer(c.id, mina, jun.userId);
    q.clock.advance(OFFER_TIMEOUT_MS);
    await q.cases.expireOffers();
    expect(q.cases.get(c.id)).toMatchObject({ status: "assigned", assignedTo: mina.userId });
    expect(q.staffCases.pendingTransfer(c.id)).toBeNull();
    expect(q.tables.log.forCase(c.id).at(-1)).toMatchObject({ kind: "transfer_expired", actor: jun.userId });
    expect(await sync(() => q.staffCases.acceptTransfer(c.id, jun))).toBe("M_BAD_STATE");
    // After the hand-off the bot is not in the room: the transferring console withdraws its own invite.
    expect(q.actions.of("withdrawInvite")).toEqual([]);
  });

  it("before the hand-off the bot invites the colleague, and withdraws the invite when the offer ends", async () => {
    const early = await q.queuedCase("v2");
    await q.staffCases.claim(early.id, mina);
    q.actions.calls = [];
    expect((await q.staffCases.transfer(early.id, mina, jun.userId)).invited).toBe(true);
    expect(q.actions.take("invite")).toEqual([{ kind: "invite", roomId: early.roomId, userId: jun.userId }]);
    q.clock.advance(OFFER_TIMEOUT_MS);
    await q.cases.expireOffers();
    expect(q.actions.of("withdrawInvite")).toEqual([{ kind: "withdrawInvite", roomId: early.roomId, userId: jun.userId }]);
    expect(q.cases.get(early.id)).toMatchObject({ status: "assigned", assignedTo: mina.userId });
  });

  it("the colleague rejecting the bot's invite declines the transfer without queueing the case", async () => {
    const early = await q.queuedCase("v2");
    await q.staffCases.claim(early.id, mina);
    await q.staffCases.transfer(early.id, mina, jun.userId);
    await q.cases.memberLeft(early.roomId, jun.userId);
    expect(q.cases.get(early.id)).toMatchObject({ status: "assigned", assignedTo: mina.userId });
    expect(q.staffCases.pendingTransfer(early.id)).toBeNull();
  });
});
