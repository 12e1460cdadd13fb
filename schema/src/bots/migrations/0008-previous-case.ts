import type { Kysely } from "kysely";

/**
 * A returning victim's new case may point at their earlier, closed case
 * (docs/CRISIS.md "Returning victims"): set only when the victim said yes to
 * the triage bot's question, cleared when the earlier case is erased. The
 * indexes find a visitor's earlier cases when a new one starts, and the cases
 * pointing at one being erased.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("cases").addColumn("previous_case_id", "text").execute();
  await db.schema.createIndex("cases_visitor").on("cases").columns(["visitor_id", "closed_at"]).execute();
  await db.schema.createIndex("cases_previous").on("cases").column("previous_case_id").execute();
}
