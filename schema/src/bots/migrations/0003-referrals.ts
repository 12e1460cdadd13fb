import type { Kysely } from "kysely";

/** Referrals (docs/REFERRALS.md): the partner directory and referral tracking. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const s = db.schema;
  await s.createTable("partners")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("name_ko", "text", (c) => c.notNull())
    .addColumn("name_en", "text", (c) => c.notNull())
    .addColumn("about_ko", "text", (c) => c.notNull())
    .addColumn("about_en", "text", (c) => c.notNull())
    .addColumn("region", "text", (c) => c.notNull())
    .addColumn("languages", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("hours", "text", (c) => c.notNull())
    .addColumn("contact", "text", (c) => c.notNull())
    .addColumn("staff_ids", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("active", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "bigint", (c) => c.notNull())
    .execute();

  await s.createTable("referrals")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("case_id", "text", (c) => c.notNull().references("cases.id").onDelete("cascade"))
    .addColumn("partner_id", "text", (c) => c.notNull().references("partners.id"))
    .addColumn("companion_id", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("items_offered", "text", (c) => c.notNull())
    .addColumn("items_consented", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("step", "text", (c) => c.notNull())
    .addColumn("room_id", "text", (c) => c.unique())
    .addColumn("offer_event_id", "text")
    .addColumn("handoff_event_id", "text")
    .addColumn("read_state", "text", (c) => c.notNull().defaultTo('{"ts":0,"ids":[]}'))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("consented_at", "bigint")
    .addColumn("accepted_at", "bigint")
    .addColumn("first_contact_at", "bigint")
    .addColumn("completed_at", "bigint")
    .addColumn("declined_at", "bigint")
    .addColumn("withdrawn_at", "bigint")
    .addColumn("reminded_at", "bigint")
    .execute();
  await s.createIndex("referrals_case").on("referrals").column("case_id").execute();
  await s.createIndex("referrals_status").on("referrals").columns(["status", "consented_at"]).execute();
  await s.createIndex("referrals_partner").on("referrals").columns(["partner_id", "status"]).execute();
}
