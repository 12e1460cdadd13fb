import type { Kysely } from "kysely";

/**
 * Crisis alerts that reach a person (docs/CRISIS.md "The alert"): one row per
 * alert (ids and times only), each staff member's pager room with the triage
 * bot, and the on-call list (`staff.on_call`: paged off shift at level 2).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const s = db.schema;
  await s.createTable("crisis_alerts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("case_id", "text", (c) => c.notNull().references("cases.id").onDelete("cascade"))
    .addColumn("raised_at", "bigint", (c) => c.notNull())
    .addColumn("level", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("level_at", "bigint", (c) => c.notNull())
    .addColumn("acknowledged_by", "text")
    .addColumn("acknowledged_at", "bigint")
    .addColumn("resolved_at", "bigint")
    .addColumn("resolution", "text")
    .execute();
  await s.createIndex("crisis_alerts_case").on("crisis_alerts").columns(["case_id", "resolved_at"]).execute();
  await s.createIndex("crisis_alerts_open").on("crisis_alerts").columns(["resolved_at", "raised_at"]).execute();

  await s.createTable("pager_rooms")
    .addColumn("user_id", "text", (c) => c.primaryKey())
    .addColumn("room_id", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .execute();

  await s.alterTable("staff").addColumn("on_call", "integer", (c) => c.notNull().defaultTo(0)).execute();
}
