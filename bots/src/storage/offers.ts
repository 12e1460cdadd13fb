/** Offers of a case to a companion, from the queue or a colleague's transfer: at most one pending per case. */
import type { Selectable } from "kysely";
import type { OffersTable, OfferStatus } from "@onsafe/schema";
import type { BotsStore } from "./store.ts";

export interface Offer {
  id: number;
  caseId: string;
  companionId: string;
  offeredAt: number;
  expiresAt: number;
  status: OfferStatus;
  resolvedAt: number | null;
  /** A transfer: the colleague who holds the case; null for an offer from the queue. */
  transferFrom: string | null;
}

export class OfferStore {
  constructor(private readonly db: BotsStore) {}

  insert(o: Pick<Offer, "caseId" | "companionId" | "offeredAt" | "expiresAt"> & { transferFrom?: string }): void {
    this.db.run(this.db.q.insertInto("offers").values({
      case_id: o.caseId,
      companion_id: o.companionId,
      offered_at: o.offeredAt,
      expires_at: o.expiresAt,
      status: "pending",
      transfer_from: o.transferFrom ?? null,
    }));
  }

  pendingFor(caseId: string): Offer | undefined {
    const row = this.db.first(this.db.q.selectFrom("offers").selectAll().where("case_id", "=", caseId).where("status", "=", "pending"));
    return row && decode(row);
  }

  /** Every pending offer, for the queue view. */
  pending(): Offer[] {
    return this.db.all(this.db.q.selectFrom("offers").selectAll().where("status", "=", "pending")).map(decode);
  }

  /** Pending offers per companion. */
  pendingCounts(): Map<string, number> {
    const rows = this.db.all(this.db.q.selectFrom("offers").select(["companion_id", (e) => e.fn.countAll<number>().as("n")])
      .where("status", "=", "pending").groupBy("companion_id"));
    return new Map(rows.map((r) => [r.companion_id, r.n]));
  }

  pendingExpiredBy(now: number): Offer[] {
    return this.db.all(this.db.q.selectFrom("offers").selectAll()
      .where("status", "=", "pending").where("expires_at", "<=", now).orderBy("id")).map(decode);
  }

  pendingTo(companionId: string): Offer[] {
    return this.db.all(this.db.q.selectFrom("offers").selectAll()
      .where("companion_id", "=", companionId).where("status", "=", "pending")).map(decode);
  }

  /** Everyone who was offered the case from the queue before, with how it ended (a transfer declined is no refusal of the queue's offer). */
  pastFor(caseId: string): Offer[] {
    return this.db.all(this.db.q.selectFrom("offers").selectAll().where("case_id", "=", caseId).where("status", "!=", "pending")
      .where("transfer_from", "is", null)).map(decode);
  }

  /** Transfers `from` offered that were accepted since `since`, newest first. */
  acceptedTransfersFrom(from: string, since: number): Offer[] {
    return this.db.all(this.db.q.selectFrom("offers").selectAll().where("transfer_from", "=", from).where("status", "=", "accepted")
      .where("resolved_at", ">=", since).orderBy("id", "desc")).map(decode);
  }

  /** The case's newest transfer, whatever its state. */
  latestTransfer(caseId: string): Offer | undefined {
    const row = this.db.first(this.db.q.selectFrom("offers").selectAll().where("case_id", "=", caseId).where("transfer_from", "is not", null)
      .orderBy("id", "desc").limit(1));
    return row && decode(row);
  }

  resolve(id: number, status: Exclude<OfferStatus, "pending">, at: number): void {
    this.db.run(this.db.q.updateTable("offers").set({ status, resolved_at: at }).where("id", "=", id));
  }
}

function decode(r: Selectable<OffersTable>): Offer {
  return {
    id: r.id,
    caseId: r.case_id,
    companionId: r.companion_id,
    offeredAt: r.offered_at,
    expiresAt: r.expires_at,
    status: r.status,
    resolvedAt: r.resolved_at,
    transferFrom: r.transfer_from,
  };
}
