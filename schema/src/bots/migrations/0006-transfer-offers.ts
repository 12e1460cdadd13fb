import type { Kysely } from "kysely";

/**
 * Transfers are offers (docs/SHIFT.md "Transfer"): an offer row with
 * `transfer_from` set is a colleague handing over a case they hold, which
 * stays assigned to them until the offer is accepted. Null: an offer from the queue.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("offers").addColumn("transfer_from", "text").execute();
}
