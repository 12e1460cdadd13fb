import type { Kysely } from "kysely";

/**
 * Referral desks (docs/REFERRALS.md "Starting from any Matrix client"): the
 * private room where the referral bot asks a companion which partner and items
 * to offer. Ids, steps and event ids only; the summary stays in the room.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable("referral_desks")
    .addColumn("room_id", "text", (c) => c.primaryKey())
    .addColumn("case_id", "text", (c) => c.notNull().references("cases.id").onDelete("cascade"))
    .addColumn("staff_id", "text", (c) => c.notNull())
    .addColumn("round", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("step", "text", (c) => c.notNull())
    .addColumn("partner_id", "text")
    .addColumn("items", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("summary_event_id", "text")
    .addColumn("read_state", "text", (c) => c.notNull().defaultTo('{"ts":0,"ids":[]}'))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("referral_desks_case_staff").on("referral_desks").columns(["case_id", "staff_id"]).unique().execute();
}
