import { type Kysely, sql } from "kysely";

/**
 * The last day (days since 1970-01-01, UTC) a visitor used their account, so
 * idle visitor accounts can expire (docs/RETENTION.md). A day, not a time: it
 * is all retention needs. Visitors already there count from the day of the
 * upgrade, so the upgrade itself deletes nobody. Null for staff and bots.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("users").addColumn("active_day", "integer").execute();
  await sql`UPDATE users SET active_day = ${Math.floor(Date.now() / 86_400_000)} WHERE kind = 'visitor'`.execute(db);
  await db.schema.createIndex("users_visitor_activity").on("users").columns(["kind", "deactivated", "active_day"]).execute();
}
