/**
 * The world the authorization matrix runs in: our homeserver and the bots
 * service, three staff (companions Mina and Jun, supervisor Boss) each with a
 * case, a slot, an appointment and a referral (its letter given) of their own, two
 * waiting cases to claim, partner organisations, and one account of every
 * other kind. And, per route, the valid request a cell sends: real ids, a body
 * staff would have accepted, so a refusal can only come from who is asking.
 */
import type { Account } from "../../chat-server/test/harness.ts";
import type { SdkClient } from "../../test-support/sdk-client.ts";
import { answerTriage, eventually } from "./conversation.ts";
import type { Kind, Row, Scope } from "./ops-authz-matrix.ts";
import { addPartner, answerItems, caseTakenBy, joinNewReferralRoom } from "./referral-steps.ts";
import type { Stack } from "./stack.ts";

export type Owner = "mina" | "jun" | "boss";
type PerOwner = Record<Owner, string>;

export interface World {
  stack: Stack;
  /** The caller of each kind; `none` sends no token. */
  callers: Record<Kind, Account | undefined>;
  staff: Record<Owner, SdkClient>;
  cases: PerOwner;
  /** Waiting cases: the companion's claim and the supervisor's. */
  waiting: { companion: string; supervisor: string };
  /** Open crisis alerts (of two more waiting cases): the companion's to answer and the supervisor's. */
  alerts: { companion: string; supervisor: string };
  slots: PerOwner;
  appointments: PerOwner;
  referrals: PerOwner;
  partners: { legalAid: string; deletion: string; spare: string };
}

const DAY = 86_400_000;

/** Whose resource a cell names: Jun's for `other`, else the caller's (Mina's for kinds who own none). */
export function ownerOf(kind: Kind, scope: Scope): Owner {
  if (scope === "other") return "jun";
  return kind === "supervisor" ? "boss" : "mina";
}

export interface CellRequest {
  method: string;
  path: string;
  body?: unknown;
}

/** The request of a route's cell: the route's path with real ids, and a valid body. */
export function requestFor(w: World, { route, when }: Row, kind: Kind, scope: Scope): CellRequest {
  const [method, pattern] = route.split(" ") as [string, string];
  const owner = ownerOf(kind, scope);
  const waiting = kind === "supervisor" && pattern.endsWith("/claim") ? w.waiting.supervisor : w.waiting.companion;
  const caseId = when === "the case waits" || pattern.endsWith("/claim") ? waiting : w.cases[owner];
  // Answered: the companion's, which the row before answered.
  const alertId = kind === "supervisor" && when !== "the alert is answered" ? w.alerts.supervisor : w.alerts.companion;
  const ids: Record<string, string> = {
    "/cases/:id": caseId,
    "/appointments/:id": w.appointments[owner],
    "/referrals/:id": w.referrals[owner],
    "/availability/:slotId": w.slots[owner],
    "/partners/:id": w.partners.spare,
    "/alerts/:id": alertId,
  };
  const path = pattern.replace(/\/[a-z-]+\/:\w+/, (param) => `/${param.split("/")[1]}/${ids[param]}`);
  return { method, path, body: bodyFor(w, route, owner) };
}

function bodyFor(w: World, route: string, owner: Owner): unknown {
  const tomorrow = startOfDayAfter(Date.now());
  switch (route) {
    case "PUT /me/shift": return { onShift: true };
    case "PUT /me/on-call": return { on_call: true };
    case "POST /partners": return { kind: "other", name: { ko: "새 기관", en: "New organisation" }, about: { ko: "돕는 곳", en: "They help" }, region: "Busan", languages: ["ko"], hours: "24/7", contact: "1577-0000", staff_ids: [] };
    case "PUT /partners/:id": return { hours: "Mon–Sat 9–20" };
    case "POST /me/availability": return { starts_at: tomorrow + 3 * DAY + 10 * 3_600_000, ends_at: tomorrow + 3 * DAY + 11 * 3_600_000 };
    case "PUT /me/visits-per-day": return { visits_per_day: 3 };
    case "POST /cases/:id/appointments": return { kind: "counselling_visit" };
    case "POST /cases/:id/referrals": return { partner_id: w.partners.legalAid, items: ["category"] };
    // To a colleague on shift who does not hold the case.
    case "POST /cases/:id/transfer": return { to: w.staff[owner === "jun" ? "mina" : "jun"].userId };
    case "POST /cases/:id/close": return { outcome: "supported" };
    default: return route.startsWith("GET") || route.startsWith("DELETE") ? undefined : {};
  }
}

/** After an allowed transfer (an offer, docs/SHIFT.md "Transfer"), a supervisor takes it back, so the next cells find the world as it was. */
export async function undo(w: World, route: string, kind: Kind, scope: Scope): Promise<void> {
  if (route !== "POST /cases/:id/transfer") return;
  const owner = ownerOf(kind, scope);
  const reply = await w.stack.ops(w.staff.boss.account, "POST", `/cases/${w.cases[owner]}/transfer/undo`, {});
  if (reply.status !== 200) throw new Error(`giving ${w.cases[owner]} back to ${owner}: ${JSON.stringify(reply.body)}`);
}

function startOfDayAfter(now: number): number {
  return Math.ceil(now / DAY) * DAY;
}

export async function buildWorld(stack: Stack): Promise<World> {
  const boss = await stack.staff("boss", { kind: "supervisor", onShift: false });
  const mina = await stack.staff("mina", { onShift: false });
  const jun = await stack.staff("jun", { onShift: false });
  const staff = { mina, jun, boss };

  const patAccount = await stack.hs.createAccount("partner", "pat");
  await stack.bots.queue.staff.addOrUpdateStaff({ userId: patAccount.userId, kind: "partner", displayName: "Pat (legal aid)" });
  const partners = {
    legalAid: await addPartner(stack, boss, { kind: "legal_aid", name: { ko: "법률구조공단", en: "Legal Aid Corporation" }, contact: "132", staff_ids: [patAccount.userId] }),
    deletion: await addPartner(stack, boss, { kind: "content_deletion", name: { ko: "삭제지원센터", en: "Deletion support centre" }, contact: "02-735-8994" }),
    spare: await addPartner(stack, boss, { kind: "other", name: { ko: "예비 기관", en: "Spare organisation" }, contact: "1577-1111" }),
  };

  // Each case goes to the one person on shift.
  const taken = {} as Record<Owner, Awaited<ReturnType<typeof caseTakenBy>>>;
  for (const owner of ["mina", "jun", "boss"] as const) {
    await stack.setShift(staff[owner].account, true);
    taken[owner] = await caseTakenBy(stack, staff[owner]);
    await stack.setShift(staff[owner].account, false);
  }
  // Nobody on shift: these two wait.
  const waiting = { companion: await waitingCase(stack), supervisor: await waitingCase(stack) };
  // Two more that turn out to be crises: each raises an alert (nobody is on shift to page or to tell in the duty room).
  const crises = { companion: await waitingCase(stack), supervisor: await waitingCase(stack) };
  for (const caseId of Object.values(crises)) await stack.bots.queue.cases.markCrisis(caseId);
  for (const owner of ["mina", "jun", "boss"] as const) await stack.setShift(staff[owner].account, true);
  const open = (await ok(stack.ops(boss.account, "GET", "/alerts"))).alerts as { id: string; case_id: string }[];
  const alertOf = (caseId: string) => open.find((a) => a.case_id === caseId)!.id;
  const alerts = { companion: alertOf(crises.companion), supervisor: alertOf(crises.supervisor) };

  const slots = {} as PerOwner;
  const appointments = {} as PerOwner;
  const referrals = {} as PerOwner;
  const tomorrow = startOfDayAfter(Date.now());
  for (const owner of ["mina", "jun", "boss"] as const) {
    const as = staff[owner].account;
    const caseId = taken[owner].caseId;
    slots[owner] = (await ok(stack.ops(as, "POST", "/me/availability", { starts_at: tomorrow + DAY + 10 * 3_600_000, ends_at: tomorrow + DAY + 11 * 3_600_000 }))).slot.id;
    appointments[owner] = (await ok(stack.ops(as, "POST", `/cases/${caseId}/appointments`, { kind: "counselling_visit" }))).appointment.id;
    // Agreed without contact: a letter, so the referral's letter is given and it may be completed.
    const partner = owner === "jun" ? partners.deletion : partners.legalAid;
    referrals[owner] = (await ok(stack.ops(as, "POST", `/cases/${caseId}/referrals`, { partner_id: partner, items: ["category"] }))).referral.id;
    const room = await joinNewReferralRoom(stack, taken[owner].victim);
    await answerItems(stack, taken[owner].victim, room, ["yes"]);
    await eventually(() => stack.ops(as, "GET", `/cases/${caseId}/referrals`),
      (r) => r.body.referrals?.find((x: { id: string }) => x.id === referrals[owner])?.status === "letter_given", `${owner}'s referral letter to be given`);
  }

  const callers: Record<Kind, Account | undefined> = {
    none: undefined,
    unknown: { userId: "@nobody:localhost", deviceId: "NONE", token: "syt_not_a_token_the_homeserver_knows" },
    // The victim of Mina's case: a member of its room.
    visitor: taken.mina.victim.account,
    bot: { userId: stack.triageBot, deviceId: "BOT", token: stack.bots.triage.client.getAccessToken()! },
    admin: await stack.hs.createAccount("admin", "root"),
    partner: patAccount,
    companion: mina.account,
    supervisor: boss.account,
  };
  return { stack, callers, staff, cases: { mina: taken.mina.caseId, jun: taken.jun.caseId, boss: taken.boss.caseId }, waiting, alerts, slots, appointments, referrals, partners };
}

/** A victim's case that finished triage while nobody is on shift; returns its id. */
async function waitingCase(stack: Stack): Promise<string> {
  const victim = await stack.visitor();
  const roomId = await stack.startConversation(victim);
  await answerTriage(victim, roomId, stack.triageBot, [["language", "I just want to talk to someone"]]);
  const c = await eventually(async () => stack.bots.queue.cases.getByRoom(roomId), (row) => row?.status === "waiting", "a waiting case");
  return c!.id;
}

async function ok(reply: Promise<{ status: number; body: any }>): Promise<any> {
  const { status, body } = await reply;
  if (status !== 200) throw new Error(`set-up request refused: ${status} ${JSON.stringify(body)}`);
  return body;
}
