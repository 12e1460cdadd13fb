import type { Kysely } from "kysely";

/** Appointments (docs/SCHEDULING.md): companions' slots, appointments, the appointments rooms, visits per day. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const s = db.schema;
  await s.alterTable("staff").addColumn("visits_per_day", "integer").execute();

  await s.createTable("availability_slots")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("companion_id", "text", (c) => c.notNull())
    .addColumn("starts_at", "bigint", (c) => c.notNull())
    .addColumn("ends_at", "bigint", (c) => c.notNull())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("appointment_id", "text", (c) => c.unique())
    .execute();
  await s.createIndex("availability_slots_companion").on("availability_slots").columns(["companion_id", "starts_at"]).execute();

  await s.createTable("appointments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("case_id", "text", (c) => c.notNull().references("cases.id").onDelete("cascade"))
    .addColumn("companion_id", "text", (c) => c.notNull())
    .addColumn("kind", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("step", "text", (c) => c.notNull())
    .addColumn("slot_id", "text")
    .addColumn("starts_at", "bigint")
    .addColumn("ends_at", "bigint")
    .addColumn("place", "text")
    .addColumn("offered_slot_ids", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("prompt_event_id", "text")
    .addColumn("confirmation_event_id", "text")
    .addColumn("reminded_24h_at", "bigint")
    .addColumn("reminded_1h_at", "bigint")
    .addColumn("cancelled_by", "text")
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("confirmed_at", "bigint")
    .addColumn("cancelled_at", "bigint")
    .execute();
  await s.createIndex("appointments_case").on("appointments").column("case_id").execute();
  await s.createIndex("appointments_companion").on("appointments").columns(["companion_id", "status", "starts_at"]).execute();
  await s.createIndex("appointments_status_start").on("appointments").columns(["status", "starts_at"]).execute();

  await s.createTable("scheduling_rooms")
    .addColumn("case_id", "text", (c) => c.primaryKey().references("cases.id").onDelete("cascade"))
    .addColumn("room_id", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "bigint", (c) => c.notNull())
    .addColumn("read_state", "text", (c) => c.notNull().defaultTo('{"ts":0,"ids":[]}'))
    .execute();
}
