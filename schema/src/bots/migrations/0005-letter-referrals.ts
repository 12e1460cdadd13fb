import type { Kysely } from "kysely";

/**
 * A referral that ended in a letter (nobody invited, no hand-off posted) was
 * recorded `accepted`, which staff read as "accepted by the partner" though
 * nothing reached the partner (issue 19). It is now `letter_given`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await (db as Kysely<{ referrals: { status: string; handoff_event_id: string | null } }>).updateTable("referrals").set({ status: "letter_given" })
    .where("status", "=", "accepted").where("handoff_event_id", "is", null).execute();
}
