/**
 * Partners' staff and the ops API (docs/OPS-API.md, docs/REFERRALS.md): our
 * homeserver, the bots service and real clients. A partner passes only on
 * `GET me` and `GET me/referrals`, where they see the referrals handed off to
 * their organisation and nothing else (no case, no decline, no letter, no room
 * once withdrawn); companions see the referrals they made. Every other route
 * of the ops API, as the app itself lists them, refuses partners.
 */
import type { PartnerReferralJson, ReferralJson } from "@onsafe/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account } from "../../chat-server/test/harness.ts";
import type { SdkClient } from "../../test-support/sdk-client.ts";
import { loadCrisisLines } from "../src/content/crisis-lines.ts";
import { createOpsApi } from "../src/ops-api/index.ts";
import { eventually } from "./conversation.ts";
import { answerItems, caseTakenBy, joinNewReferralRoom, withdrawConsent } from "./referral-steps.ts";
import { Stack } from "./stack.ts";

let stack: Stack;
let boss: SdkClient;
let mina: SdkClient;
let jun: SdkClient;
let pat: SdkClient;
let sam: SdkClient;
let legalAid: string;
let deletion: string;
/** Mina's case and victim; Jun's case and victim. */
let minaCase: Awaited<ReturnType<typeof caseTakenBy>>;
let junCase: Awaited<ReturnType<typeof caseTakenBy>>;

const PARTNER_FIELDS = ["accepted_at", "completed_at", "consented_at", "first_contact_at", "id", "partner_id", "room_id", "status", "withdrawn_at"];

async function partnerAccount(name: string, displayName: string): Promise<SdkClient> {
  const account = await stack.hs.createAccount("partner", name);
  await stack.bots.queue.staff.addOrUpdateStaff({ userId: account.userId, kind: "partner", displayName });
  return stack.client(account);
}

async function addPartner(body: Record<string, unknown>): Promise<string> {
  const reply = await stack.ops(boss.account, "POST", "/partners", {
    region: "Seoul", languages: ["ko", "en"], hours: "Mon–Fri 9–18", about: { ko: "돕는 곳", en: "They help" }, contact: "132", ...body,
  });
  if (reply.status !== 200) throw new Error(`partner: ${JSON.stringify(reply.body)}`);
  return reply.body.partner.id as string;
}

/** `by` offers `partnerId` for the case; the victim answers; returns the referral's id and room. */
async function referral(by: SdkClient, c: typeof minaCase, partnerId: string, items: string[], answers: Parameters<typeof answerItems>[3]) {
  const reply = await stack.ops(by.account, "POST", `/cases/${c.caseId}/referrals`, { partner_id: partnerId, items });
  if (reply.status !== 200) throw new Error(`referral: ${JSON.stringify(reply.body)}`);
  const room = await joinNewReferralRoom(stack, c.victim);
  if (answers.length > 0) await answerItems(stack, c.victim, room, answers);
  return { id: reply.body.referral.id as string, room };
}

const mine = async (account: Account) => {
  const reply = await stack.ops(account, "GET", "/me/referrals");
  expect(reply.status).toBe(200);
  return reply.body.referrals as (PartnerReferralJson | ReferralJson)[];
};

beforeAll(async () => {
  stack = await Stack.start();
  boss = await stack.staff("boss", { kind: "supervisor", onShift: false });
  mina = await stack.staff("mina");
  pat = await partnerAccount("pat", "Pat (legal aid)");
  sam = await partnerAccount("sam", "Sam (deletion centre)");
  legalAid = await addPartner({ kind: "legal_aid", name: { ko: "법률구조공단", en: "Legal Aid Corporation" }, staff_ids: [pat.userId] });
  deletion = await addPartner({ kind: "content_deletion", name: { ko: "삭제지원센터", en: "Deletion support centre" }, staff_ids: [sam.userId] });
  minaCase = await caseTakenBy(stack, mina);
  // The second case goes to Jun: the only one on shift by then.
  await stack.setShift(mina.account, false);
  jun = await stack.staff("jun");
  junCase = await caseTakenBy(stack, jun);
}, 120_000);
afterAll(async () => { await stack?.close(); });

describe("GET me/referrals", () => {
  let handed: { id: string; room: string };
  let declined: { id: string; room: string };
  let letter: { id: string; room: string };
  let pending: { id: string; room: string };
  let withdrawn: { id: string; room: string };
  let other: { id: string; room: string };

  beforeAll(async () => {
    // Handed off to legal aid: the kind of harm and contact agreed, so Pat is invited.
    handed = await referral(mina, minaCase, legalAid, ["category", "contact"], ["yes", "yes"]);
    await pat.waitForRoom(handed.room, "invite");
    // Declined: nothing reached legal aid.
    declined = await referral(mina, minaCase, legalAid, ["category", "contact"], ["decline"]);
    // Agreed without contact: a letter the victim carries; legal aid's staff were never invited.
    letter = await referral(mina, minaCase, legalAid, ["category"], ["yes"]);
    // Still being asked.
    pending = await referral(mina, minaCase, legalAid, ["category"], []);
    // Handed off, then withdrawn: Pat is removed.
    withdrawn = await referral(mina, minaCase, legalAid, ["contact"], ["yes"]);
    await pat.waitForRoom(withdrawn.room, "invite");
    await withdrawConsent(stack, minaCase.victim, withdrawn.room);
    // Jun's, to the deletion centre.
    other = await referral(jun, junCase, deletion, ["contact"], ["yes"]);
    await sam.waitForRoom(other.room, "invite");
  }, 180_000);

  it("a partner sees only what was handed off to their organisation, newest first, and no room once withdrawn", async () => {
    const seen = await eventually(() => mine(pat.account), (list) => list.length === 2, "Pat's two handed-off referrals");
    expect(seen.map((r) => r.id)).toEqual([withdrawn.id, handed.id]);
    for (const r of seen) expect(Object.keys(r).sort()).toEqual(PARTNER_FIELDS);
    expect(seen[0]).toMatchObject({ id: withdrawn.id, partner_id: legalAid, status: "withdrawn", room_id: null });
    expect(seen[0]!.withdrawn_at).toEqual(expect.any(Number));
    expect(seen[1]).toMatchObject({ id: handed.id, partner_id: legalAid, status: "consented", room_id: handed.room, accepted_at: null });
    // No case id, no companion, no items, no declined, letter or pending referral: not a word of them anywhere in the reply.
    const text = JSON.stringify(seen);
    for (const hidden of [minaCase.caseId, mina.userId, declined.id, declined.room, letter.id, letter.room, pending.id, pending.room, withdrawn.room, other.id, "category"]) {
      expect(text).not.toContain(hidden);
    }
    // Another organisation's staff see their own only.
    expect((await mine(sam.account)).map((r) => r.id)).toEqual([other.id]);
  });

  it("joining is accepting, and the partner's first message the first contact", async () => {
    await pat.client.joinRoom(handed.room);
    await eventually(() => mine(pat.account), (list) => list.find((r) => r.id === handed.id)?.status === "accepted", "accepted");
    await pat.sendText(handed.room, "Hello, this is Pat from legal aid.");
    await minaCase.victim.waitForMessage(handed.room, "Hello, this is Pat from legal aid.");
    const [, now] = await eventually(() => mine(pat.account), (list) => list[1]?.status === "first_contact", "first contact");
    expect(now).toMatchObject({ id: handed.id, room_id: handed.room, accepted_at: expect.any(Number), first_contact_at: expect.any(Number) });
  });

  it("a companion sees the referrals they made, in every status, with the case; a supervisor who made none sees none", async () => {
    const minas = (await mine(mina.account)) as ReferralJson[];
    expect(minas.map((r) => [r.id, r.status])).toEqual([
      [withdrawn.id, "withdrawn"], [pending.id, "offered"], [letter.id, "letter_given"], [declined.id, "declined"], [handed.id, "first_contact"],
    ]);
    for (const r of minas) expect(r).toMatchObject({ case_id: minaCase.caseId, companion_id: mina.userId, partner_id: legalAid });
    expect(await mine(jun.account)).toEqual([expect.objectContaining({ id: other.id, case_id: junCase.caseId, status: "consented" })]);
    expect(await mine(boss.account)).toEqual([]);
  });
});

describe("partners and the other routes", () => {
  it("GET me answers a partner with their kind", async () => {
    const me = await stack.ops(pat.account, "GET", "/me");
    expect(me).toMatchObject({ status: 200, body: { user_id: pat.userId, kind: "partner", display_name: "Pat (legal aid)" } });
  });

  it("every other route of the ops API refuses a partner with 403 and changes nothing", async () => {
    // The app's own route table (its dependencies are not called while routes are listed).
    const unused = {} as never;
    const app = createOpsApi({ config: stack.config, queue: stack.bots.queue, scheduler: unused, partners: unused, referrals: unused, myReferrals: unused, crisisLines: loadCrisisLines(), alerts: unused, tokens: unused, push: unused });
    const routes = [...new Set(app.routes.filter((r) => r.method !== "ALL" && r.path.startsWith("/_onsafe/v1")).map((r) => `${r.method} ${r.path.replace("/_onsafe/v1", "")}`))];
    const forPartners = ["GET /me", "GET /me/referrals"];
    const staffOnly = routes.filter((r) => !forPartners.includes(r) && r !== "GET /public/config");
    expect(routes).toEqual(expect.arrayContaining(forPartners));
    expect(staffOnly.length).toBeGreaterThanOrEqual(25);

    const [firstReferral] = (await mine(mina.account)) as ReferralJson[];
    const ids: Record<string, string> = { cases: minaCase.caseId, partners: legalAid, referrals: firstReferral!.id, appointments: "a-000000", availability: "s-000000", alerts: "a_aaaaaaaaaaaaaaaa" };
    // Bodies that would be accepted from staff: a refusal must come from who is asking, not from the body.
    const bodies: Record<string, unknown> = {
      "PUT /me/shift": { onShift: true },
      "PUT /me/on-call": { on_call: true },
      "POST /partners": { kind: "other", name: { ko: "가", en: "A" }, about: { ko: "가", en: "A" }, region: "Seoul", languages: ["ko"], hours: "24/7", contact: "1", staff_ids: [] },
      "PUT /partners/:id": { hours: "never" },
      "POST /cases/:id/referrals": { partner_id: legalAid, items: ["category"] },
      "POST /cases/:id/close": { outcome: "other" },
      "POST /cases/:id/transfer": { to: jun.userId },
      "POST /me/availability": { starts_at: Date.now() + 86_400_000, ends_at: Date.now() + 90_000_000 },
      "PUT /me/visits-per-day": { visits_per_day: 1 },
    };
    const state = async () => JSON.stringify([
      await stack.ops(boss.account, "GET", "/partners"), await stack.ops(mina.account, "GET", "/me/referrals"),
      await stack.ops(boss.account, "GET", `/cases/${minaCase.caseId}`), await stack.ops(pat.account, "GET", "/me"),
    ].map((r) => r.body));
    const before = await state();

    const refused: string[] = [];
    for (const route of staffOnly) {
      const [method, pattern] = route.split(" ") as [string, string];
      const path = pattern.replace(/\/([a-z-]+)\/:\w+/g, (_, collection: string) => `/${collection}/${ids[collection] ?? "x-000000"}`);
      const reply = await stack.ops(pat.account, method, path, bodies[route] ?? (method === "GET" || method === "DELETE" ? undefined : {}));
      expect({ route, status: reply.status, errcode: reply.body.errcode }).toEqual({ route, status: 403, errcode: "M_FORBIDDEN" });
      refused.push(route);
    }
    expect(refused).toEqual(staffOnly);
    expect(await state()).toBe(before);
    // The same routes answer staff: the refusal was about the partner.
    expect((await stack.ops(mina.account, "GET", "/queue")).status).toBe(200);
    expect((await stack.ops(boss.account, "GET", "/metrics")).status).toBe(200);
  });
});
