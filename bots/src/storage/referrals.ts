/** Referral rows: statuses, item ids and times only (never the shared items' text), decoded into `Referral`. */
import type { Selectable, Updateable } from "kysely";
import { HANDED_OFF_STATUSES, type ReferralItem, type ReferralsTable, type ReferralStatus } from "@onsafe/schema";
import { NOTHING_READ, type ReadMark } from "./read-mark.ts";
import type { BotsStore } from "./store.ts";

export interface Referral {
  id: string;
  caseId: string;
  partnerId: string;
  companionId: string;
  status: ReferralStatus;
  itemsOffered: ReferralItem[];
  itemsConsented: ReferralItem[];
  /** The item asked about now, or `done`. */
  step: ReferralItem | "done";
  roomId: string | null;
  offerEventId: string | null;
  handoffEventId: string | null;
  read: ReadMark;
  createdAt: number;
  consentedAt: number | null;
  acceptedAt: number | null;
  firstContactAt: number | null;
  completedAt: number | null;
  declinedAt: number | null;
  withdrawnAt: number | null;
  remindedAt: number | null;
}

export type ReferralPatch = Partial<Omit<Referral, "id" | "caseId" | "partnerId" | "companionId" | "itemsOffered" | "createdAt">>;

export class ReferralStore {
  constructor(private readonly db: BotsStore) {}

  insert(r: Pick<Referral, "id" | "caseId" | "partnerId" | "companionId" | "itemsOffered" | "createdAt">): void {
    this.db.run(this.db.q.insertInto("referrals").values({
      id: r.id, case_id: r.caseId, partner_id: r.partnerId, companion_id: r.companionId, status: "offered",
      items_offered: JSON.stringify(r.itemsOffered), items_consented: "[]", step: r.itemsOffered[0],
      read_state: JSON.stringify(NOTHING_READ), created_at: r.createdAt,
    }));
  }

  byId(id: string): Referral | undefined {
    const row = this.db.first(this.db.q.selectFrom("referrals").selectAll().where("id", "=", id));
    return row && decode(row);
  }

  byRoom(roomId: string): Referral | undefined {
    const row = this.db.first(this.db.q.selectFrom("referrals").selectAll().where("room_id", "=", roomId));
    return row && decode(row);
  }

  ofCase(caseId: string): Referral[] {
    return this.db.all(this.db.q.selectFrom("referrals").selectAll().where("case_id", "=", caseId).orderBy("created_at").orderBy("id")).map(decode);
  }

  /**
   * Referrals handed off to any of these partners (the bot posted the hand-off to their staff), newest
   * hand-off first. A letter (no one invited) and a declined referral never reached them.
   */
  handedOffTo(partnerIds: string[]): Referral[] {
    if (partnerIds.length === 0) return [];
    return this.db.all(this.db.q.selectFrom("referrals").selectAll()
      .where("partner_id", "in", partnerIds).where("handoff_event_id", "is not", null).where("status", "in", [...HANDED_OFF_STATUSES])
      .orderBy("consented_at", "desc").orderBy("id", "desc")).map(decode);
  }

  /** The referrals a companion (or supervisor) made, newest first. */
  madeBy(companionId: string): Referral[] {
    return this.db.all(this.db.q.selectFrom("referrals").selectAll().where("companion_id", "=", companionId)
      .orderBy("created_at", "desc").orderBy("id", "desc")).map(decode);
  }

  /** Every item answered (or declined) but no outcome recorded: a finish the bot did not complete. */
  answeredUnfinished(): Referral[] {
    return this.db.all(this.db.q.selectFrom("referrals").selectAll().where("step", "=", "done").where("status", "=", "offered")).map(decode);
  }

  /** Consented before `before` and not yet accepted, never reminded: the companion should hear of them. */
  unacceptedSince(before: number): Referral[] {
    return this.db.all(this.db.q.selectFrom("referrals").selectAll()
      .where("status", "=", "consented").where("consented_at", "<", before).where("reminded_at", "is", null))
      .map(decode);
  }

  /** Counts per partner and status, for the supervisor's metrics. */
  countsByPartnerAndStatus(): { partnerId: string; status: ReferralStatus; count: number }[] {
    return this.db.all(this.db.q.selectFrom("referrals")
      .select(["partner_id", "status"]).select((eb) => eb.fn.countAll<number>().as("count"))
      .groupBy(["partner_id", "status"]).orderBy("partner_id").orderBy("status"))
      .map((r) => ({ partnerId: r.partner_id, status: r.status, count: Number(r.count) }));
  }

  /** A transfer accepted: the case's referrals made by `from` are followed by `to`. */
  moveCase(caseId: string, from: string, to: string): void {
    this.db.run(this.db.q.updateTable("referrals").set({ companion_id: to }).where("case_id", "=", caseId).where("companion_id", "=", from));
  }

  update(id: string, patch: ReferralPatch): void {
    this.db.run(this.db.q.updateTable("referrals").set(encode(patch)).where("id", "=", id));
  }
}

function decode(r: Selectable<ReferralsTable>): Referral {
  return {
    id: r.id,
    caseId: r.case_id,
    partnerId: r.partner_id,
    companionId: r.companion_id,
    status: r.status,
    itemsOffered: JSON.parse(r.items_offered) as ReferralItem[],
    itemsConsented: JSON.parse(r.items_consented) as ReferralItem[],
    step: r.step as Referral["step"],
    roomId: r.room_id,
    offerEventId: r.offer_event_id,
    handoffEventId: r.handoff_event_id,
    read: JSON.parse(r.read_state) as ReadMark,
    createdAt: r.created_at,
    consentedAt: r.consented_at,
    acceptedAt: r.accepted_at,
    firstContactAt: r.first_contact_at,
    completedAt: r.completed_at,
    declinedAt: r.declined_at,
    withdrawnAt: r.withdrawn_at,
    remindedAt: r.reminded_at,
  };
}

const COLUMNS = {
  status: "status",
  itemsConsented: "items_consented",
  step: "step",
  roomId: "room_id",
  offerEventId: "offer_event_id",
  handoffEventId: "handoff_event_id",
  read: "read_state",
  consentedAt: "consented_at",
  acceptedAt: "accepted_at",
  firstContactAt: "first_contact_at",
  completedAt: "completed_at",
  declinedAt: "declined_at",
  withdrawnAt: "withdrawn_at",
  remindedAt: "reminded_at",
} as const satisfies Record<keyof ReferralPatch, keyof ReferralsTable>;

function encode(patch: ReferralPatch): Updateable<ReferralsTable> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch) as [keyof ReferralPatch, unknown][]) {
    if (value === undefined) continue;
    out[COLUMNS[key]] = key === "itemsConsented" || key === "read" ? JSON.stringify(value) : value;
  }
  return out as Updateable<ReferralsTable>;
}
