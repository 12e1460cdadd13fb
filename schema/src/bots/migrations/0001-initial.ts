import type { Kysely } from "kysely";

// Migrations take an untyped Kysely: they describe the schema, the types follow it.
export async function up(db: Kysely<unknown>): Promise<void> {
  const s = db.schema;
  await s.createTable("staff")
    .addColumn("user_id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("display_name", "text")
    .addColumn("languages", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("capacity", "integer", (c) => c.notNull())
    .addColumn("on_shift", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("shift_changed_at", "bigint")
    .addColumn("last_assigned_at", "bigint")
    .execute();

  await s.createTable("cases")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("room_id", "text", (c) => c.notNull().unique())
    .addColumn("visitor_id", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("language", "text")
    .addColumn("category", "text")
    .addColumn("images", "text")
    .addColumn("deadline", "text")
    .addColumn("minor", "integer")
    .addColumn("risk", "text")
    .addColumn("crisis", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("priority", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("triage_state", "text")
    .addColumn("noted_event_ids", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("queued_at", "bigint")
    .addColumn("assigned_to", "text")
    .addColumn("assigned_at", "bigint")
    .addColumn("handed_off_at", "bigint")
    .addColumn("closed_at", "bigint")
    .addColumn("outcome", "text")
    .addColumn("queue_notice_event_id", "text")
    .addColumn("last_position", "integer")
    .addColumn("last_wait_minutes", "integer")
    .execute();
  await s.createIndex("cases_status").on("cases").columns(["status", "queued_at"]).execute();
  await s.createIndex("cases_assigned").on("cases").columns(["assigned_to", "status"]).execute();
  await s.createIndex("cases_assigned_at").on("cases").column("assigned_at").execute();
  await s.createIndex("cases_closed_at").on("cases").column("closed_at").execute();

  await s.createTable("offers")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("case_id", "text", (c) => c.notNull().references("cases.id").onDelete("cascade"))
    .addColumn("companion_id", "text", (c) => c.notNull())
    .addColumn("offered_at", "bigint", (c) => c.notNull())
    .addColumn("expires_at", "bigint", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("resolved_at", "bigint")
    .execute();
  await s.createIndex("offers_case").on("offers").columns(["case_id", "status"]).execute();
  await s.createIndex("offers_companion").on("offers").columns(["companion_id", "status"]).execute();
  await s.createIndex("offers_status").on("offers").columns(["status", "expires_at"]).execute();

  await s.createTable("case_log")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("case_id", "text", (c) => c.notNull().references("cases.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("actor", "text")
    .addColumn("at", "bigint", (c) => c.notNull())
    .execute();
  await s.createIndex("case_log_kind_at").on("case_log").columns(["kind", "at"]).execute();
  await s.createIndex("case_log_case").on("case_log").column("case_id").execute();

  await s.createTable("meta")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .execute();
}
